/**
 * The shot's `scene` (README.md, "Storyboards"): a name typed, or one of the storyboard's scenes picked
 * from the list (the neighbours' first). Consecutive shots with the same scene are one
 * multi-shot generation; on a model without multi-shot the field says so.
 */
import { CAPABILITIES, modelsWith } from '../../../shared/kling';
import { sc } from '../i18n/scenes';
import type { Shot } from '../state/storyboard';

export function SceneField({
  shot,
  index,
  shots,
  onChange,
}: {
  shot: Shot;
  index: number;
  shots: readonly Shot[];
  onChange: (patch: Partial<Shot>, coalesce?: string) => void;
}): React.JSX.Element {
  const id = `shot-${index}-scene`;
  const near = [shots[index - 1]?.scene, shots[index + 1]?.scene];
  const names = [
    ...new Set([...near, ...shots.map((s) => s.scene)].filter((x): x is string => Boolean(x) && x !== shot.scene)),
  ];
  const why = CAPABILITIES[shot.model].multiShot
    ? null
    : sc.sceneNotOffered(shot.model, modelsWith((c) => c.multiShot).join(', '));
  return (
    <div className="field scene-field">
      <label htmlFor={id}>{sc.scene}</label>
      <input
        id={id}
        list={`${id}-names`}
        value={shot.scene ?? ''}
        placeholder="e.g. kitchen"
        aria-describedby={`${id}-hint`}
        disabled={why !== null && !shot.scene}
        title={why ?? undefined}
        onChange={(e) => onChange({ scene: e.target.value.trim() === '' ? undefined : e.target.value }, 'scene')}
      />
      <datalist id={`${id}-names`}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {names.length > 0 && !shot.scene && (
        <span className="scene-picks">
          {names.slice(0, 3).map((n) => (
            <button key={n} type="button" onClick={() => onChange({ scene: n })}>
              {n}
            </button>
          ))}
        </span>
      )}
      <p id={`${id}-hint`} className="why">
        {why ?? (shot.scene ? sc.sceneHint : sc.sceneNone)}
      </p>
    </div>
  );
}
