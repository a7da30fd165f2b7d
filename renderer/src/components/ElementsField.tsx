/**
 * The shot's `elements`, until the Elements picker with thumbnails takes its place: a
 * multi-select of the storyboard's top-level element ids, with the model's limit
 * (CAPABILITIES.elementsMax, shared/kling/capabilities.ts) and the reason where it takes none.
 */
import { CAPABILITIES, modelsWith } from '../../../shared/kling';
import { sc } from '../i18n/scenes';
import type { Shot } from '../state/storyboard';

export function ElementsField({ shot, index, elementIds, onChange }: { shot: Shot; index: number; elementIds: readonly string[]; onChange: (patch: Partial<Shot>) => void }): React.JSX.Element {
  const id = `shot-${index}-elements`;
  const max = CAPABILITIES[shot.model].elementsMax;
  const chosen = shot.elements ?? [];
  const options = [...new Set([...elementIds, ...chosen])];
  const why = max === 0 ? sc.elementsNotOffered(shot.model, modelsWith((c) => c.elementsMax > 0).join(', ')) : options.length === 0 ? sc.elementsNone : null;
  return (
    <div className="field elements-field">
      <label htmlFor={id}>{sc.elements}</label>
      <select
        id={id}
        multiple
        size={Math.min(Math.max(options.length, 2), 5)}
        value={chosen}
        disabled={why !== null && chosen.length === 0}
        title={why ?? undefined}
        onChange={(e) => {
          const ids = [...e.target.selectedOptions].map((o) => o.value);
          onChange({ elements: ids.length ? ids : undefined });
        }}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            @{o}
          </option>
        ))}
      </select>
      <p className="why">{why ?? sc.elementsHint}</p>
      {max > 0 && chosen.length > max && (
        <p className="error" role="alert">
          {sc.elementsMax(chosen.length, max, shot.model)}
        </p>
      )}
    </div>
  );
}
