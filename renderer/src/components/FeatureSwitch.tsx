/**
 * Capability notes are information, not problems: where a feature the shot could use is
 * never offered by its model, this says which models offer it and switches in one click
 * (model, and a mode and duration on which the feature works; shared/kling/capabilities.ts).
 */
import { CAPABILITIES, describeSupport, FEATURE_LABELS, MODELS, MODES, supports, type Feature, type KlingModel } from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { Shot } from '../state/storyboard';

/** The model, mode and duration to switch to for `feature`, keeping what the shot has when it can. */
export function switchFor(shot: Shot, model: KlingModel, feature: Feature): Partial<Shot> | null {
  const caps = CAPABILITIES[model];
  const modes = [shot.mode, ...MODES.filter((m) => m !== shot.mode)];
  const durations = [shot.duration, ...caps.durations.filter((d) => d !== shot.duration)];
  for (const mode of modes) for (const duration of durations) if (supports(model, mode, duration, feature)) return { model, mode, duration };
  return null;
}

export function FeatureSwitch({ shot, features, onChange }: { shot: Shot; features: readonly Feature[]; onChange: (patch: Partial<Shot>) => void }): React.JSX.Element | null {
  const kind = shot.startImage ? 'image2video' : 'text2video';
  const notes = features
    .filter((f) => describeSupport(shot.model, f) === 'never')
    .map((f) => {
      // Newest models first, only those that make this kind of shot; two offers at most.
      const offers = [...MODELS]
        .reverse()
        .filter((m) => m !== shot.model && CAPABILITIES[m].kinds[kind].length > 0)
        .map((m) => ({ m, patch: switchFor(shot, m, f) }))
        .filter((o): o is { m: KlingModel; patch: Partial<Shot> } => o.patch !== null)
        .slice(0, 2);
      return { f, offers };
    })
    .filter((n) => n.offers.length > 0);
  if (!notes.length) return null;
  return (
    <ul className="feature-notes" aria-label={t.storyboard.featureNotes} data-testid="feature-notes">
      {notes.map(({ f, offers }) => (
        <li key={f}>
          {t.storyboard.needsOtherModel(FEATURE_LABELS[f], CAPABILITIES[shot.model].label)}{' '}
          {offers.map(({ m, patch }) => (
            <button key={m} type="button" onClick={() => onChange(patch)}>
              {t.storyboard.switchTo(`${CAPABILITIES[m].label} (${m}${patch.mode && !CAPABILITIES[m].modeless ? ` ${patch.mode}` : ''} ${patch.duration} s)`)}
            </button>
          ))}
        </li>
      ))}
    </ul>
  );
}
