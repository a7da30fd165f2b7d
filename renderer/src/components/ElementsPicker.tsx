/**
 * The shot's `elements` (issue 13 item 5): the library's elements with their thumbnails, toggled
 * on and off, with the model's limit (renderer/src/lib/element-limit.ts: 3 on kling-3.0 with a
 * start frame, 7 on kling-3.0-omni, none on models without elements, disabled with the reason).
 * Picked ids that the library lacks, or more than the limit, are said next to the picker.
 *
 * For the shot editor (renderer/src/components/ShotEditor.tsx): `onChange` gets the new ids and
 * the library entries picked, so the storyboard can list them in its top-level `elements`
 * (`{id, klingId}` once the element is ready at Kling).
 */
import { useId } from 'react';

import { el } from '../i18n/elements';
import { elementLimit, type ElementLimitInput } from '../lib/element-limit';
import { pickable, useElements, type ElementView } from '../state/elements';
import { useGoTo } from '../state/context';
import { ElementThumb } from './ElementThumb';

interface Props {
  /** The shot (model, frames, motion reference): what decides the limit. */
  shot: ElementLimitInput;
  value: readonly string[] | undefined;
  onChange: (ids: string[] | undefined, picked: ElementView[]) => void;
}

export function ElementsPicker({ shot, value, onChange }: Props): React.JSX.Element {
  const headId = useId();
  const goTo = useGoTo();
  const { elements, error } = useElements();
  const library = pickable(elements ?? []);
  const chosen = [...(value ?? [])];
  const limit = elementLimit(shot);
  const byId = new Map(library.map((e) => [e.id, e]));
  const missing = elements === null ? [] : chosen.filter((id) => !byId.has(id));
  const set = (ids: string[]): void => {
    const picked = ids.map((id) => byId.get(id)).filter((e): e is ElementView => Boolean(e));
    onChange(ids.length ? ids : undefined, picked);
  };
  const toggle = (id: string): void => set(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const full = chosen.length >= limit.max;
  const over = limit.why === null && chosen.length > limit.max;
  return (
    <fieldset className="el-picker" aria-labelledby={headId} data-testid="elements-picker">
      <legend id={headId}>
        {el.picker.legend}{' '}
        {limit.why === null && (
          <span className="counter" data-testid="elements-limit">
            {el.picker.count(chosen.length, limit.max)} · {limit.label}
          </span>
        )}
      </legend>
      {limit.why && (
        <p className="why" data-testid="elements-why">
          {limit.why}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {elements !== null && library.length === 0 && (
        <p className="hint">
          {el.picker.none}{' '}
          <button type="button" onClick={() => goTo('Elements')}>
            {el.picker.openPage}
          </button>
        </p>
      )}
      {library.length > 0 && (
        <ul className="el-pick-grid">
          {library.map((e) => {
            const on = chosen.includes(e.id);
            // A picked element can always be removed; adding one needs room under the limit.
            const disabled = !on && (limit.why !== null || full);
            return (
              <li key={e.key}>
                <button
                  type="button"
                  className={`el-pick${on ? ' on' : ''}`}
                  aria-pressed={on}
                  aria-label={el.picker.toggle(e.id, on)}
                  title={disabled ? (limit.why ?? el.picker.full(limit.max)) : undefined}
                  disabled={disabled}
                  onClick={() => toggle(e.id)}
                >
                  <ElementThumb file={e.thumbnail} alt="" />
                  <span>@{e.id}</span>
                  {e.state !== 'ready' && <span className="tag warn">{el.state[e.state] ?? e.state}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {(over || (limit.why !== null && chosen.length > 0) || missing.length > 0) && (
        <ul role="alert" className="error">
          {over && <li>{el.picker.over(chosen.length, limit.max, limit.label)}</li>}
          {limit.why !== null && chosen.length > 0 && <li>{limit.why}</li>}
          {missing.map((id) => (
            <li key={id}>
              {el.picker.missing(id)}{' '}
              <button type="button" onClick={() => set(chosen.filter((x) => x !== id))}>
                {el.picker.toggle(id, true)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen.length > 0 && <p className="hint">{el.picker.namePrompt(chosen)}</p>}
    </fieldset>
  );
}
