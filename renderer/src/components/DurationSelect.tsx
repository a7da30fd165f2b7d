/**
 * The shot's duration. A value the model does not offer (a 15 s shot switched to a model
 * with 5 and 10 s) stays selected and is named as such, with the nearest allowed value one
 * click away; before, the menu showed its first option while the shot kept 15 s.
 */
import { CAPABILITIES } from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { Shot } from '../state/storyboard';

/** The allowed duration closest to `d` (ties: the shorter, it costs less). */
export function nearestDuration(allowed: readonly number[], d: number): number {
  let best = allowed[0] ?? d;
  for (const a of allowed) if (Math.abs(a - d) < Math.abs(best - d)) best = a;
  return best;
}

/** `allowed`: the seconds offered when they are not the model's own (a shot of a scene: 1 s up). */
export function DurationSelect({
  shot,
  id,
  onChange,
  allowed: given,
}: {
  shot: Shot;
  id: string;
  onChange: (patch: Partial<Shot>) => void;
  allowed?: readonly number[];
}): React.JSX.Element {
  const caps = CAPABILITIES[shot.model];
  const allowed = given ?? caps.durations;
  const bad = !allowed.includes(shot.duration);
  const options = [...new Set([...allowed, shot.duration])].sort((a, b) => a - b);
  const fix = nearestDuration(allowed, shot.duration);
  return (
    <div className="field">
      <label htmlFor={id}>{t.storyboard.duration}</label>
      <select
        id={id}
        aria-label={t.storyboard.duration}
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-bad` : undefined}
        className={bad ? 'invalid' : undefined}
        value={shot.duration}
        onChange={(e) => onChange({ duration: Number(e.target.value) })}
      >
        {options.map((d) => {
          const ok = allowed.includes(d);
          return (
            <option key={d} value={d} disabled={!ok}>
              {ok ? `${d} s` : t.storyboard.durationNotOffered(d, caps.label)}
            </option>
          );
        })}
      </select>
      {bad && (
        <p id={`${id}-bad`} className="value-bad" role="alert" data-testid="duration-invalid">
          {t.storyboard.durationBad(shot.duration, `${caps.label} (${shot.model})`, allowed.join(', '))}{' '}
          <button type="button" onClick={() => onChange({ duration: fix })}>
            {t.storyboard.useValue(`${fix} s`)}
          </button>
        </p>
      )}
    </div>
  );
}
