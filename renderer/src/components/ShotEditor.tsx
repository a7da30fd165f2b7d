/**
 * One shot's editor on the Storyboard page: scene, elements, id and subject, its words
 * (PromptFields.tsx), model, resolution, duration, aspect ratio, audio and takes with what the
 * capability table forbids disabled and explained, frames, motion reference, and every problem
 * the validator has with it.
 */
import {
  ASPECT_RATIOS,
  CAPABILITIES,
  describeRate,
  formatCost,
  LIVE_MODELS,
  modelsWith,
  multiShotPrompt,
  type AspectRatio,
  type AudioSetting,
  type KlingModel,
  type Resolution,
} from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { ElementSpec, StoryboardProblem } from '../../../shared/storyboard/schema';
import { sc } from '../i18n/scenes';
import { sentPrompt, shotUnits, type Shot } from '../state/storyboard';
import { SCENE_LIMITS, sceneRange, type SceneGroup } from '../state/storyboard-check';
import { ElementsPicker } from './ElementsPicker';
import { MotionFields } from './MotionFields';
import { PromptFields } from './PromptFields';
import { SceneField } from './SceneField';
import { DurationSelect } from './DurationSelect';
import { FeatureSwitch } from './FeatureSwitch';
import { FrameInput } from './FrameInput';

interface Props {
  shot: Shot;
  index: number;
  shots: Shot[];
  /** The storyboard's top-level elements. */
  elements: readonly ElementSpec[];
  /** The shot's element ids changed; `add`: library elements the storyboard's top-level list needs. */
  onElements: (ids: string[] | undefined, add: ElementSpec[]) => void;
  /** The validator's problems with this shot (state/storyboard-check.ts checkDraft). */
  problems: readonly StoryboardProblem[];
  /** The scene the shot is one of (consecutive shots with the same scene), or null. */
  scene: SceneGroup | null;
  onChange: (patch: Partial<Shot>, coalesce?: string) => void;
}

/**
 * The patch for a model change: an audio setting the new model has no choice about (always on,
 * never, or no native audio) is dropped, since its menu is disabled there and the user could not fix it.
 */
function switchModel(shot: Shot, model: KlingModel): Partial<Shot> {
  const a = CAPABILITIES[model].audio;
  const keeps = shot.audio === undefined || (Array.isArray(a) && a.includes(shot.audio));
  return keeps ? { model } : { model, audio: undefined };
}

/** Why the audio choice is fixed on this model, or null when the user can choose. */
function audioFixed(model: KlingModel): string | null {
  const a = CAPABILITIES[model].audio;
  if (a === 'always') return `${model} always makes sound`;
  if (a === 'never')
    return `${model} makes silent clips; for sound use ${modelsWith((c) => c.audio === 'always' || (Array.isArray(c.audio) && c.audio.includes('native'))).join(', ')}`;
  if (!a.includes('native')) return `${model} has no native audio (only a reference video's sound)`;
  return null;
}

/** Seconds a shot of a scene may have: at least 1, at most the model's longest scene (kling-api.md §10). */
function sceneDurations(shot: Shot): number[] {
  const { max } = sceneRange(shot);
  return Array.from({ length: max - SCENE_LIMITS.shotMin + 1 }, (_, i) => i + SCENE_LIMITS.shotMin);
}

export function ShotEditor({
  shot,
  index,
  shots,
  elements,
  onElements,
  problems,
  scene,
  onChange,
}: Props): React.JSX.Element {
  const inScene = scene !== null;
  // In a scene a start frame belongs to its first shot and an end frame to its last (kling-api.md §10).
  const firstOf = scene && scene.indices[0] !== index ? shots[scene.indices[0] ?? 0]?.id : undefined;
  const lastOf =
    scene && scene.indices[scene.indices.length - 1] !== index
      ? shots[scene.indices[scene.indices.length - 1] ?? 0]?.id
      : undefined;
  const caps = CAPABILITIES[shot.model];
  const kind = shot.startImage ? 'image2video' : 'text2video';
  const fixedAudio = audioFixed(shot.model);
  const audioValue: AudioSetting = shot.audio ?? (caps.audio === 'always' ? 'native' : 'off');
  const endWhy = !caps.endFrame
    ? t.storyboard.notAvailable(
        'an end frame',
        `${shot.model} takes a start frame only; use ${modelsWith((c) => c.endFrame !== false).join(', ')}`,
      )
    : !shot.startImage
      ? t.storyboard.endNeedsStart
      : null;
  const pid = `shot-${index}`;
  const resolutions = [...new Set<Resolution>([...caps.resolutions, shot.resolution])];

  return (
    <section className="shot-editor" aria-label={`${t.storyboard.shot} ${shot.id}`}>
      <div className="grid2">
        <SceneField shot={shot} index={index} shots={shots} onChange={onChange} />
      </div>
      <ElementsPicker shot={shot} value={shot.elements} defined={elements} onChange={onElements} />
      <div className="grid2">
        <label>
          Id
          <input aria-label="Shot id" value={shot.id} onChange={(e) => onChange({ id: e.target.value }, 'id')} />
        </label>
        <label>
          {t.storyboard.subject}
          <input
            value={shot.subject ?? ''}
            onChange={(e) => onChange({ subject: e.target.value || undefined }, 'subject')}
          />
        </label>
      </div>
      <PromptFields shot={shot} index={index} inScene={inScene} onChange={onChange} />
      {scene && (
        <div className="sent" data-testid="scene-sent">
          <strong>{sc.sceneSentAs(scene.scene)}: </strong>
          <q>
            {multiShotPrompt(
              scene.indices.map((i) => ({
                prompt: sentPrompt(shots[i] as Shot),
                duration: (shots[i] as Shot).duration,
              })),
            )}
          </q>
        </div>
      )}

      <div className="grid4">
        <label>
          {t.storyboard.model}
          <select
            aria-label={t.storyboard.model}
            value={shot.model}
            onChange={(e) => onChange(switchModel(shot, e.target.value as KlingModel))}
          >
            {LIVE_MODELS.map((m) => (
              <option key={m} value={m} title={CAPABILITIES[m].note}>
                {CAPABILITIES[m].label} ({m})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.storyboard.resolution}
          <select
            aria-label={t.storyboard.resolution}
            value={shot.resolution}
            onChange={(e) => onChange({ resolution: e.target.value as Resolution })}
          >
            {resolutions.map((r) => {
              const ok = caps.resolutions.includes(r);
              return (
                <option key={r} value={r} disabled={!ok}>
                  {r}
                  {ok ? '' : ` — ${t.storyboard.notOffered(shot.model, caps.resolutions.join(', '))}`}
                </option>
              );
            })}
          </select>
        </label>
        <DurationSelect
          shot={shot}
          id={`${pid}-duration`}
          onChange={onChange}
          {...(inScene ? { allowed: sceneDurations(shot) } : {})}
        />
        <label>
          {t.storyboard.aspect}
          <select
            aria-label={t.storyboard.aspect}
            value={shot.aspectRatio}
            disabled={kind === 'image2video'}
            title={kind === 'image2video' ? 'image to video takes the start frame’s aspect ratio' : undefined}
            onChange={(e) => onChange({ aspectRatio: e.target.value as AspectRatio })}
          >
            {ASPECT_RATIOS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.storyboard.audio}
          <select
            aria-label={t.storyboard.audio}
            value={audioValue}
            disabled={fixedAudio !== null}
            title={fixedAudio ?? undefined}
            onChange={(e) => onChange({ audio: e.target.value as AudioSetting })}
          >
            <option value="off">{t.storyboard.audioOff}</option>
            <option value="native">{t.storyboard.audioNative}</option>
          </select>
        </label>
        <label>
          {t.storyboard.takes}
          <input
            aria-label={t.storyboard.takes}
            type="number"
            min={1}
            max={20}
            value={shot.takes}
            onChange={(e) => onChange({ takes: Math.max(1, Number(e.target.value) || 1) })}
          />
        </label>
        <div
          className="cost"
          data-testid="shot-cost"
          title={describeRate({ model: shot.model, resolution: shot.resolution, audio: shot.audio })}
        >
          {inScene ? sc.costShare : t.storyboard.cost}: {formatCost(shotUnits(shot))}
        </div>
      </div>
      {fixedAudio ? (
        <p className="why" data-testid="audio-why">
          {fixedAudio}
        </p>
      ) : null}

      <div className="grid2">
        <FrameInput
          label={t.storyboard.startFrame}
          value={shot.startImage}
          disabledReason={shot.startImage || firstOf === undefined ? null : sc.startInScene(firstOf)}
          chainable={index > 0}
          onChange={(v) => onChange({ startImage: v })}
        />
        <FrameInput
          label={t.storyboard.endFrame}
          value={shot.endImage}
          disabledReason={shot.endImage ? null : lastOf !== undefined ? sc.endInScene(lastOf) : endWhy}
          onChange={(v) => onChange({ endImage: v })}
        />
      </div>
      <MotionFields shot={shot} index={index} onChange={onChange} />
      <fieldset className="brush" disabled>
        <legend>{t.storyboard.motionBrush}</legend>
        <p className="why" data-testid="brush-why">
          {t.brush.retired}
        </p>
      </fieldset>

      <FeatureSwitch
        shot={shot}
        features={kind === 'image2video' ? ['audio', 'endFrame', '4k'] : ['audio', '4k']}
        onChange={onChange}
      />
      <div className="problems" role="status" data-testid="shot-problems">
        {problems.length ? (
          <>
            <strong className="error">{t.storyboard.problems}</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i} className="error">
                  <code>{p.field ?? 'shot'}</code>: {p.message}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <span className="ok">{t.storyboard.noProblems}</span>
        )}
      </div>
    </section>
  );
}
