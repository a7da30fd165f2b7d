import { useEffect, useState } from 'react';

import {
  ASPECT_RATIOS,
  CAMERA_TYPES,
  CAPABILITIES,
  describeSupport,
  FEATURE_LABELS,
  formatCost,
  LIMITS,
  MODELS,
  MODES,
  supports,
  type AspectRatio,
  type Feature,
  type KlingMode,
  type KlingModel,
} from '../../../shared/kling';
import { call } from '../lib/api';
import { t } from '../i18n/strings';
import { shotProblems, shotUnits, type Shot } from '../state/storyboard';
import { CameraControl } from './CameraControl';
import { DurationSelect } from './DurationSelect';
import { FeatureSwitch } from './FeatureSwitch';
import { useFrameUrl } from '../lib/frames';
import { FrameInput } from './FrameInput';
import { MotionBrush } from './MotionBrush';

interface Props {
  shot: Shot;
  index: number;
  shots: Shot[];
  onChange: (patch: Partial<Shot>, coalesce?: string) => void;
}

type Finding = { kind: string; match: string };

/** Debounced PII preview through privacy.pii.preview (what would leave the machine). */
function usePiiPreview(text: string): { findings: Finding[]; sent: string; error: string | null } {
  const [state, setState] = useState<{ findings: Finding[]; sent: string; error: string | null }>({ findings: [], sent: '', error: null });
  useEffect(() => {
    if (!text.trim()) return;
    const id = setTimeout(() => {
      call('privacy.pii.preview', { text }).then(
        (r) => setState({ findings: r.findings, sent: r.text, error: null }),
        (e: Error) => setState({ findings: [], sent: '', error: e.message }),
      );
    }, 250);
    return () => clearTimeout(id);
  }, [text]);
  return text.trim() ? state : { findings: [], sent: '', error: null };
}

export function ShotEditor({ shot, index, shots, onChange }: Props): React.JSX.Element {
  const caps = CAPABILITIES[shot.model];
  const kind = shot.startImage ? 'image2video' : 'text2video';
  const why = (feature: Feature): string | null =>
    supports(shot.model, shot.mode, shot.duration, feature) ? null : t.storyboard.notAvailable(FEATURE_LABELS[feature], `${shot.model}: ${describeSupport(shot.model, feature)}`);
  const problems = shotProblems(shot, index, shots);
  const pii = usePiiPreview(`${shot.prompt}`);
  const cameraFeature: Feature = kind === 'image2video' ? 'cameraControlImage2Video' : 'cameraControlText2Video';
  const cameraTypes = kind === 'image2video' ? caps.cameraTypesImage2Video : CAMERA_TYPES;
  // A start frame exists once it is a picked file (or an older inline image), not a chain to the previous take.
  const startUrl = useFrameUrl(shot.startImage);
  const brushWhy = startUrl ? why('motionBrush') : t.brush.needStart;
  const pid = `shot-${index}`;

  return (
    <section className="shot-editor" aria-label={`${t.storyboard.shot} ${shot.id}`}>
      <div className="grid2">
        <label>
          Id
          <input aria-label="Shot id" value={shot.id} onChange={(e) => onChange({ id: e.target.value }, 'id')} />
        </label>
        <label>
          {t.storyboard.subject}
          <input value={shot.subject ?? ''} onChange={(e) => onChange({ subject: e.target.value || undefined }, 'subject')} />
        </label>
      </div>
      <label htmlFor={`${pid}-prompt`}>{t.storyboard.prompt}</label>
      <textarea
        id={`${pid}-prompt`}
        rows={4}
        value={shot.prompt}
        aria-describedby={`${pid}-prompt-count`}
        onChange={(e) => onChange({ prompt: e.target.value }, 'prompt')}
      />
      <div id={`${pid}-prompt-count`} className={`counter${shot.prompt.length > LIMITS.promptMax ? ' error' : ''}`} data-testid="prompt-count">
        {t.storyboard.chars(shot.prompt.length, LIMITS.promptMax)}
      </div>
      <label htmlFor={`${pid}-neg`}>{t.storyboard.negativePrompt}</label>
      <textarea
        id={`${pid}-neg`}
        rows={2}
        value={shot.negativePrompt ?? ''}
        onChange={(e) => onChange({ negativePrompt: e.target.value || undefined }, 'neg')}
      />
      <div className={`counter${(shot.negativePrompt?.length ?? 0) > LIMITS.negativePromptMax ? ' error' : ''}`}>
        {t.storyboard.chars(shot.negativePrompt?.length ?? 0, LIMITS.negativePromptMax)}
      </div>
      <div className="pii" aria-live="polite" data-testid="pii-preview">
        <strong>{t.storyboard.pii}: </strong>
        {pii.error ? (
          <span className="error">{pii.error}</span>
        ) : pii.findings.length ? (
          <>
            {pii.findings.map((f, i) => (
              <span key={i} className="tag warn">
                {f.kind}: {f.match}
              </span>
            ))}
            <div className="sent">
              Sent as: <q>{pii.sent}</q>
            </div>
          </>
        ) : (
          <span className="muted">{t.storyboard.piiNone}</span>
        )}
      </div>

      <div className="grid4">
        <label>
          {t.storyboard.model}
          <select aria-label={t.storyboard.model} value={shot.model} onChange={(e) => onChange({ model: e.target.value as KlingModel })}>
            {MODELS.map((m) => {
              const ok = CAPABILITIES[m].kinds[kind].length > 0;
              return (
                <option key={m} value={m} disabled={!ok} title={ok ? CAPABILITIES[m].note : `${m} does not do ${kind}`}>
                  {CAPABILITIES[m].label} ({m})
                </option>
              );
            })}
          </select>
        </label>
        <label>
          {t.storyboard.mode}
          <select aria-label={t.storyboard.mode} value={shot.mode} disabled={caps.modeless} title={caps.modeless ? `${shot.model} takes no mode` : undefined} onChange={(e) => onChange({ mode: e.target.value as KlingMode })}>
            {MODES.map((m) => {
              const ok = caps.kinds[kind].includes(m);
              return (
                <option key={m} value={m} disabled={!ok}>
                  {m}
                  {ok ? '' : ` — not for ${kind} on ${shot.model}`}
                </option>
              );
            })}
          </select>
        </label>
        <DurationSelect shot={shot} id={`${pid}-duration`} onChange={onChange} />
        <label>
          {t.storyboard.aspect}
          <select aria-label={t.storyboard.aspect} value={shot.aspectRatio} disabled={kind === 'image2video'} title={kind === 'image2video' ? 'image to video takes the start frame’s aspect ratio' : undefined} onChange={(e) => onChange({ aspectRatio: e.target.value as AspectRatio })}>
            {ASPECT_RATIOS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.storyboard.takes}
          <input aria-label={t.storyboard.takes} type="number" min={1} max={20} value={shot.takes} onChange={(e) => onChange({ takes: Math.max(1, Number(e.target.value) || 1) })} />
        </label>
        <label>
          cfg scale
          <input
            type="number"
            min={0}
            max={1}
            step={0.1}
            disabled={why('cfgScale') !== null}
            title={why('cfgScale') ?? undefined}
            value={shot.cfgScale ?? ''}
            onChange={(e) => onChange({ cfgScale: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        </label>
        <div className="cost" data-testid="shot-cost">
          {t.storyboard.cost}: {formatCost(shotUnits(shot))}
        </div>
      </div>

      <div className="grid2">
        <FrameInput label={t.storyboard.startFrame} value={shot.startImage} disabledReason={null} chainable={index > 0} onChange={(v) => onChange({ startImage: v, motionBrush: v ? shot.motionBrush : undefined })} />
        <FrameInput
          label={t.storyboard.endFrame}
          value={shot.endImage}
          disabledReason={shot.startImage ? why('endFrame') : why('endFrameOnly')}
          onChange={(v) => onChange({ endImage: v })}
        />
      </div>
      <CameraControl camera={shot.camera} disabledReason={why(cameraFeature)} allowedTypes={cameraTypes} onChange={(c) => onChange({ camera: c })} />
      {startUrl ? (
        <MotionBrush image={startUrl} value={shot.motionBrush} disabledReason={brushWhy} onChange={(b) => onChange({ motionBrush: b })} />
      ) : (
        <fieldset className="brush" disabled>
          <legend>{t.storyboard.motionBrush}</legend>
          <p className="why">{brushWhy}</p>
        </fieldset>
      )}

      <FeatureSwitch shot={shot} features={kind === 'image2video' ? [cameraFeature, 'endFrame', 'motionBrush'] : [cameraFeature]} onChange={onChange} />
      <div className="problems" role="status" data-testid="shot-problems">
        {problems.length ? (
          <>
            <strong className="error">{t.storyboard.problems}</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i} className="error">
                  <code>{p.field}</code>: {p.message}
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
