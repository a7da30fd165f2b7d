/**
 * Motion control on a shot (kling-api.md §5.6): the reference video's https URL and the
 * character orientation, with the rules shown; disabled with the reason on models without
 * motion control (a value already set stays editable, so it can be cleared). The validator's
 * problems (shared/storyboard/validate.ts) are listed with the shot's other problems.
 */
import { CAPABILITIES, modelsWith } from '../../../shared/kling';
import { CHARACTER_ORIENTATIONS, type CharacterOrientation } from '../../../shared/storyboard/schema';
import { sc } from '../i18n/scenes';
import type { Shot } from '../state/storyboard';

export function MotionFields({
  shot,
  index,
  onChange,
}: {
  shot: Shot;
  index: number;
  onChange: (patch: Partial<Shot>, coalesce?: string) => void;
}): React.JSX.Element {
  const id = `shot-${index}-motion`;
  const why = CAPABILITIES[shot.model].motionControl
    ? null
    : sc.motionNotOffered(shot.model, modelsWith((c) => c.motionControl).join(', '));
  const off = why !== null && !shot.motionReference && !shot.characterOrientation;
  const url = shot.motionReference ?? '';
  const notes: string[] = [];
  if (url && !/^https:\/\//i.test(url)) notes.push(sc.motionNotHttps);
  if (url && shot.resolution === '4k') notes.push(sc.motionNo4k);
  return (
    <fieldset className="motion" disabled={off} data-testid="motion-fields">
      <legend>{sc.motion}</legend>
      {why && (
        <p className="why" data-testid="motion-why">
          {why}
        </p>
      )}
      <div className="grid2">
        <label>
          {sc.motionUrl}
          <input
            id={id}
            type="url"
            inputMode="url"
            placeholder="https://…/reference.mp4"
            value={url}
            onChange={(e) =>
              onChange({ motionReference: e.target.value.trim() === '' ? undefined : e.target.value.trim() }, 'motion')
            }
          />
        </label>
        <label>
          {sc.orientation}
          <select
            aria-label={sc.orientation}
            value={shot.characterOrientation ?? ''}
            onChange={(e) =>
              onChange({
                characterOrientation: e.target.value === '' ? undefined : (e.target.value as CharacterOrientation),
              })
            }
          >
            <option value="">{sc.orientationNone}</option>
            {CHARACTER_ORIENTATIONS.map((o) => (
              <option key={o} value={o}>
                {o === 'image' ? sc.orientationImage : sc.orientationVideo}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="why">{sc.motionRules}</p>
      {notes.length > 0 && (
        <ul className="error" role="alert">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
