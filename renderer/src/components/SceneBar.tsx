/**
 * A scene's duration bar on the Storyboard page (issue 13 item 5): one segment per shot,
 * proportional to its seconds on a track of the model's longest scene (or the scene, when it is
 * longer), with the limits of kling-api.md §10 (1-6 shots, each at least 1 s, together the
 * model's 3-15 s, one model). Out of range it turns red and says why and what to do; the
 * validator's own problems (shared/storyboard/validate.ts) are listed under the shot editor.
 */
import { CAPABILITIES, formatCost, modelsWith } from '../../../shared/kling';
import { sc } from '../i18n/scenes';
import { SCENE_LIMITS, sceneRange, sceneUnits } from '../state/storyboard-check';
import type { Shot } from '../state/storyboard';

/** Why the scene cannot be made as it is, each with its fix; [] when it can. */
export function sceneFaults(shots: readonly Shot[]): string[] {
  const first = shots[0];
  if (!first) return [];
  const out: string[] = [];
  const label = CAPABILITIES[first.model].label;
  const models = [...new Set(shots.map((s) => s.model))];
  if (models.length > 1) out.push(sc.mixedModels(models.join(', ')));
  if (!CAPABILITIES[first.model].multiShot)
    out.push(sc.noMultiShot(first.model, modelsWith((c) => c.multiShot).join(', ')));
  if (shots.length > SCENE_LIMITS.shotsMax) out.push(sc.tooMany(shots.length, SCENE_LIMITS.shotsMax));
  for (const s of shots)
    if (s.duration < SCENE_LIMITS.shotMin) out.push(sc.shotTooShort(s.id, s.duration, SCENE_LIMITS.shotMin));
  const total = shots.reduce((a, s) => a + s.duration, 0);
  const { min, max } = sceneRange(first);
  if (total > max) out.push(sc.tooLong(total, max, label));
  else if (total < min) out.push(sc.tooShort(total, min, label));
  return out;
}

export function SceneBar({ scene, shots }: { scene: string; shots: readonly Shot[] }): React.JSX.Element {
  const first = shots[0];
  const total = shots.reduce((a, s) => a + s.duration, 0);
  const range = first ? sceneRange(first) : { min: 3, max: 15 };
  const track = Math.max(total, range.max);
  const faults = sceneFaults(shots);
  const cost = formatCost(sceneUnits(shots));
  return (
    <div className={`scene-head${faults.length ? ' bad' : ''}`}>
      <div className="scene-title">
        <strong>{sc.group(scene)}</strong> <span className="muted">{sc.groupSummary(shots.length, total, cost)}</span>
      </div>
      <div
        className="scene-bar"
        role="meter"
        aria-label={sc.barLabel(scene)}
        aria-valuemin={0}
        aria-valuemax={range.max}
        aria-valuenow={total}
        aria-valuetext={sc.barOk(total, range.min, range.max)}
        aria-invalid={faults.length > 0}
        data-testid="scene-bar"
      >
        {shots.map((s, i) => (
          <span
            key={`${s.id}-${i}`}
            className="seg"
            style={{ width: `${(Math.max(s.duration, 0) / track) * 100}%` }}
            title={sc.segment(s.id, s.duration)}
            data-testid="scene-segment"
          >
            {s.duration} s
          </span>
        ))}
        {total > range.max && (
          <span className="limit" style={{ left: `${(range.max / track) * 100}%` }} aria-hidden="true" />
        )}
      </div>
      <div className="scene-range" data-testid="scene-total">
        {sc.barOk(total, range.min, range.max)}
      </div>
      {faults.length > 0 && (
        <ul className="scene-faults" role="alert" data-testid="scene-faults">
          {faults.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
