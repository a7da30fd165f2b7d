/**
 * The shot's words (renderer/src/components/ShotEditor.tsx): prompt with its counter (the
 * prompt as sent, camera words included, against the model's limit, or 512 in a scene), the
 * negative prompt where a model takes one, the camera move as a preset or in words, the exact
 * text that will be sent, and the live PII preview (privacy.pii.preview).
 */
import { useEffect, useState } from 'react';

import { CAMERA_PRESETS, CAPABILITIES, LIMITS } from '../../../shared/kling';
import { sc } from '../i18n/scenes';
import { t } from '../i18n/strings';
import { call } from '../lib/api';
import { cameraSentence, sentPrompt, type Shot } from '../state/storyboard';
import { SCENE_LIMITS } from '../state/storyboard-check';

type Finding = { kind: string; match: string };

/** Debounced PII preview through privacy.pii.preview (what would leave the machine). */
function usePiiPreview(text: string): { findings: Finding[]; sent: string; error: string | null } {
  const [state, setState] = useState<{ findings: Finding[]; sent: string; error: string | null }>({
    findings: [],
    sent: '',
    error: null,
  });
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

export function PromptFields({
  shot,
  index,
  inScene,
  onChange,
}: {
  shot: Shot;
  index: number;
  inScene: boolean;
  onChange: (patch: Partial<Shot>, coalesce?: string) => void;
}): React.JSX.Element {
  const caps = CAPABILITIES[shot.model];
  const kind = shot.startImage ? 'image2video' : 'text2video';
  const sent = sentPrompt(shot);
  const pii = usePiiPreview(sent);
  const camera = cameraSentence(shot.camera);
  // In a scene each shot's text (as sent, camera words included) is at most 512 characters (kling-api.md §10).
  const promptMax = inScene ? SCENE_LIMITS.promptMax : caps.promptMax[kind];
  const negWhy = caps.negativePrompt ? null : t.storyboard.noNegative(shot.model);
  const pid = `shot-${index}`;
  return (
    <>
      <label htmlFor={`${pid}-prompt`}>{t.storyboard.prompt}</label>
      <textarea
        id={`${pid}-prompt`}
        rows={4}
        value={shot.prompt}
        aria-describedby={`${pid}-prompt-count`}
        onChange={(e) => onChange({ prompt: e.target.value }, 'prompt')}
      />
      <div
        id={`${pid}-prompt-count`}
        className={`counter${sent.length > promptMax ? ' error' : ''}`}
        data-testid="prompt-count"
      >
        {inScene ? sc.promptInScene(sent.length, promptMax) : t.storyboard.chars(sent.length, promptMax)}
      </div>
      <label htmlFor={`${pid}-neg`}>{t.storyboard.negativePrompt}</label>
      <textarea
        id={`${pid}-neg`}
        rows={2}
        value={shot.negativePrompt ?? ''}
        disabled={negWhy !== null && !shot.negativePrompt}
        title={negWhy ?? undefined}
        onChange={(e) => onChange({ negativePrompt: e.target.value || undefined }, 'neg')}
      />
      {negWhy ? (
        <div className="why">{negWhy}</div>
      ) : (
        <div className={`counter${(shot.negativePrompt?.length ?? 0) > LIMITS.negativePromptMax ? ' error' : ''}`}>
          {t.storyboard.chars(shot.negativePrompt?.length ?? 0, LIMITS.negativePromptMax)}
        </div>
      )}

      <div className="grid2">
        <label>
          {t.storyboard.camera}
          <select
            aria-label={t.storyboard.cameraPreset}
            value={shot.camera && Object.hasOwn(CAMERA_PRESETS, shot.camera) ? shot.camera : shot.camera ? 'words' : ''}
            onChange={(e) =>
              onChange({
                camera:
                  e.target.value === ''
                    ? undefined
                    : e.target.value === 'words'
                      ? (shot.camera ?? 'the camera ')
                      : e.target.value,
              })
            }
          >
            <option value="">{t.storyboard.cameraNone}</option>
            {Object.keys(CAMERA_PRESETS).map((p) => (
              <option key={p} value={p}>
                {p.replace(/_/g, ' ')}
              </option>
            ))}
            <option value="words">{t.storyboard.cameraWords}</option>
          </select>
        </label>
        {shot.camera !== undefined && !Object.hasOwn(CAMERA_PRESETS, shot.camera) ? (
          <label>
            {t.storyboard.cameraWords}
            <input
              aria-label={t.storyboard.cameraWords}
              value={shot.camera}
              onChange={(e) => onChange({ camera: e.target.value }, 'camera')}
            />
          </label>
        ) : (
          <p className="why">{t.storyboard.cameraWhy}</p>
        )}
      </div>
      <div className="sent" data-testid="sent-prompt">
        <strong>{t.storyboard.sentAs}: </strong>
        <q>{pii.findings.length ? pii.sent : sent}</q>
        {camera.error ? <span className="error"> ({camera.error})</span> : null}
      </div>
      <div className="pii" aria-live="polite" data-testid="pii-preview">
        <strong>{t.storyboard.pii}: </strong>
        {pii.error ? (
          <span className="error">{pii.error}</span>
        ) : pii.findings.length ? (
          pii.findings.map((f, i) => (
            <span key={i} className="tag warn">
              {f.kind}: {f.match}
            </span>
          ))
        ) : (
          <span className="muted">{t.storyboard.piiNone}</span>
        )}
      </div>
    </>
  );
}
