/**
 * Capability notes are information, not problems: where a feature the shot could use is never
 * offered by its model (native audio, a start + end frame, 4K), this says which live models offer
 * it and switches in one click (model, and a resolution and duration on which the feature works;
 * shared/kling/capabilities.ts).
 */
import {
  CAPABILITIES,
  LIVE_MODELS,
  type KlingModel,
  type ModelCapabilities,
  type Resolution,
} from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { Shot } from '../state/storyboard';
import { nearestDuration } from './DurationSelect';

export type ShotFeature = 'audio' | 'endFrame' | '4k';

const LABELS: Record<ShotFeature, string> = { audio: 'native audio', endFrame: 'a start + end frame', '4k': '4K' };

/** The resolutions at which the model offers the feature ([] = never). */
function featureAt(c: ModelCapabilities, f: ShotFeature): readonly Resolution[] {
  if (f === 'audio')
    return c.audio === 'always'
      ? c.resolutions
      : Array.isArray(c.audio) && c.audio.includes('native')
        ? (c.audioResolutions ?? c.resolutions)
        : [];
  if (f === 'endFrame') return c.endFrame ? c.endFrame.resolutions : [];
  return c.resolutions.includes('4k') ? ['4k'] : [];
}

/** The model, resolution, duration (and audio) to switch to for `feature`, keeping what the shot has when it can. */
export function switchFor(shot: Shot, model: KlingModel, feature: ShotFeature): Partial<Shot> | null {
  const caps = CAPABILITIES[model];
  const at = featureAt(caps, feature);
  if (!at.length) return null;
  const resolution = at.includes(shot.resolution) ? shot.resolution : (at[at.length - 1] as Resolution);
  const duration = caps.durations.includes(shot.duration)
    ? shot.duration
    : nearestDuration(caps.durations, shot.duration);
  return {
    model,
    resolution,
    duration,
    ...(feature === 'audio' && caps.audio !== 'always' ? { audio: 'native' as const } : {}),
  };
}

export function FeatureSwitch({
  shot,
  features,
  onChange,
}: {
  shot: Shot;
  features: readonly ShotFeature[];
  onChange: (patch: Partial<Shot>) => void;
}): React.JSX.Element | null {
  const notes = features
    .filter((f) => featureAt(CAPABILITIES[shot.model], f).length === 0)
    .map((f) => {
      // Two offers at most, in the roster's order (newest first).
      const offers = LIVE_MODELS.filter((m) => m !== shot.model)
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
          {t.storyboard.needsOtherModel(LABELS[f], CAPABILITIES[shot.model].label)}{' '}
          {offers.map(({ m, patch }) => (
            <button key={m} type="button" onClick={() => onChange(patch)}>
              {t.storyboard.switchTo(`${CAPABILITIES[m].label} (${m} ${patch.resolution} ${patch.duration} s)`)}
            </button>
          ))}
        </li>
      ))}
    </ul>
  );
}
