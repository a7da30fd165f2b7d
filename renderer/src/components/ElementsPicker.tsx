/**
 * The shot's `elements` (issue 13 item 5): the storyboard's own top-level elements and the
 * library's (`elements.list`), with their thumbnails, toggled on and off, under the model's
 * limit (renderer/src/lib/element-limit.ts: 3 on kling-3.0 with a start frame, 7 on
 * kling-3.0-omni, none on models without elements: disabled with the reason). Picked ids that
 * neither knows, or more than the limit, are said next to the picker with the fix.
 *
 * For the shot editor (renderer/src/components/ShotEditor.tsx): `onChange(ids, add)` gives the
 * shot's new ids and, for library elements the storyboard does not list yet, the top-level
 * entries to add (`{id, name, klingId}` of an element ready at Kling: README.md, "Storyboards", elements "existing").
 */
import { useId } from 'react';

import type { ElementSpec } from '../../../shared/storyboard/schema';
import { el } from '../i18n/elements';
import { elementLimit, sceneElements, type ElementLimitInput, type SceneShotInput } from '../lib/element-limit';
import { pickable, useElements, type ElementView } from '../state/elements';
import { useGoTo } from '../state/context';
import { ElementThumb } from './ElementThumb';

interface Props {
  /** The shot (model, frames, motion reference): what decides the limit. */
  shot: ElementLimitInput;
  value: readonly string[] | undefined;
  /** The storyboard's top-level `elements`. */
  defined?: readonly ElementSpec[] | undefined;
  onChange: (ids: string[] | undefined, add: ElementSpec[]) => void;
  /**
   * The storyboard's shots and this shot's index: in a multi-shot scene the limit is the scene's
   * (its first shot's start frame, the union of its shots' elements; lib/element-limit.ts sceneElements).
   */
  shots?: readonly SceneShotInput[] | undefined;
  index?: number | undefined;
}

/** The storyboard entry for a library element ready at Kling (it is then sent by its Kling id), or null. */
export function librarySpec(e: ElementView): ElementSpec | null {
  if (e.state !== 'ready' || !e.klingId) return null;
  return { id: e.id, name: e.name.slice(0, 20) || e.id, klingId: e.klingId };
}

interface Choice {
  id: string;
  thumbnail: string | null;
  /** Shown under the alias when not simply ready in the library. */
  note: string | null;
  view: ElementView | null;
}

export function ElementsPicker({ shot, value, defined, onChange, shots, index }: Props): React.JSX.Element {
  const headId = useId();
  const goTo = useGoTo();
  const { elements, error } = useElements();
  const library = pickable(elements ?? []);
  const byId = new Map(library.map((e) => [e.id, e]));
  const choices: Choice[] = library.map((e) => ({
    id: e.id,
    thumbnail: e.thumbnail,
    note: e.state === 'ready' ? null : (el.state[e.state] ?? e.state),
    view: e,
  }));
  // The library entry of a storyboard element given by its Kling id ({id, klingId}: what this picker adds).
  const byKling = new Map<string, ElementView>();
  for (const e of elements ?? [])
    if (e.klingId && (!byKling.has(e.klingId) || e.state !== 'deleted')) byKling.set(e.klingId, e);
  const inFile = new Set((defined ?? []).map((d) => d.id));
  // Ids whose element was deleted at Kling (pickable() leaves deleted entries out).
  const gone = new Set<string>();
  for (const d of defined ?? []) {
    if (byId.has(d.id)) continue;
    const lib = d.klingId ? byKling.get(d.klingId) : undefined;
    if (lib?.state === 'deleted') gone.add(d.id);
    choices.push({
      id: d.id,
      thumbnail: d.frontalImage ?? lib?.thumbnail ?? null,
      note: lib?.state === 'deleted' ? (el.state.deleted ?? 'deleted') : el.picker.inStoryboard,
      view: null,
    });
  }
  for (const e of elements ?? []) if (e.state === 'deleted' && !byId.has(e.id) && !inFile.has(e.id)) gone.add(e.id);
  choices.sort((a, b) => a.id.localeCompare(b.id));
  const known = new Set(choices.map((c) => c.id));
  const chosen = [...(value ?? [])];
  const scene = shots && index !== undefined ? sceneElements(shots, index) : null;
  const limit = scene ? scene.limit : elementLimit(shot);
  // A scene sends the union of its shots' elements: those count once, whoever names them.
  const others = new Set(scene?.others ?? []);
  const count = new Set([...others, ...chosen]).size;
  const missing = elements === null ? [] : chosen.filter((id) => !known.has(id) || gone.has(id));
  const set = (ids: string[]): void => {
    const add = ids
      .filter((id) => !inFile.has(id))
      .map((id) => byId.get(id))
      .map((v) => (v ? librarySpec(v) : null))
      .filter((s): s is ElementSpec => s !== null);
    onChange(ids.length ? ids : undefined, add);
  };
  const toggle = (id: string): void => set(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const full = count >= limit.max;
  const over = limit.why === null && count > limit.max;
  return (
    <fieldset className="el-picker" aria-labelledby={headId} data-testid="elements-picker">
      <legend id={headId}>
        {el.picker.legend}{' '}
        {limit.why === null && (
          <span className="counter" data-testid="elements-limit">
            {el.picker.count(count, limit.max)} · {limit.label}
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
      {elements !== null && choices.length === 0 && (
        <p className="hint">
          {el.picker.none}{' '}
          <button type="button" onClick={() => goTo('Elements')}>
            {el.picker.openPage}
          </button>
        </p>
      )}
      {choices.length > 0 && (
        <ul className="el-pick-grid">
          {choices.map((c) => {
            const on = chosen.includes(c.id);
            // A picked element can always be removed; adding one needs room under the limit.
            const disabled = !on && (gone.has(c.id) || limit.why !== null || (full && !others.has(c.id)));
            return (
              <li key={c.id}>
                <button
                  type="button"
                  className={`el-pick${on ? ' on' : ''}`}
                  aria-pressed={on}
                  aria-label={el.picker.toggle(c.id, on)}
                  title={
                    disabled
                      ? gone.has(c.id)
                        ? el.picker.deleted(c.id)
                        : (limit.why ?? el.picker.full(limit.max))
                      : undefined
                  }
                  disabled={disabled}
                  onClick={() => toggle(c.id)}
                >
                  <ElementThumb file={c.thumbnail} alt="" />
                  <span>@{c.id}</span>
                  {c.note && <span className="tag warn">{c.note}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {(over || (limit.why !== null && chosen.length > 0) || missing.length > 0) && (
        <ul role="alert" className="error">
          {over && <li>{el.picker.over(count, limit.max, limit.label)}</li>}
          {limit.why !== null && chosen.length > 0 && <li>{limit.why}</li>}
          {missing.map((id) => (
            <li key={id}>
              {gone.has(id) ? el.picker.deleted(id) : el.picker.missing(id)}{' '}
              <button type="button" onClick={() => set(chosen.filter((x) => x !== id))}>
                {el.picker.toggle(id, true)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {scene && scene.others.length > 0 && (
        <p className="hint" data-testid="elements-scene-others">
          {el.picker.sceneOthers(scene.name, scene.others)}
        </p>
      )}
      {chosen.length > 0 && <p className="hint">{el.picker.namePrompt(chosen)}</p>}
    </fieldset>
  );
}
