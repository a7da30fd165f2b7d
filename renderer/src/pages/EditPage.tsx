/**
 * The edit: the picked take of each shot in storyboard order, with trims and crossfades,
 * the compatibility verdict (stream copy or re-encode, and why), export with progress and
 * cancel, and NLE timeline export. Calls media.* when the media contract is in the build.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import type { EditClip, EditPlan, ExportProgress, PresetName, TimelineFormat } from '../../../shared/media';
import { t } from '../i18n/strings';
import { call, hasMethod, subscribe } from '../lib/api';
import { useStoryboard } from '../state/context';
import { usePicks } from '../state/picks';

interface Trim {
  inS?: number;
  outS?: number;
  fade?: number;
}

const num = (v: string): number | undefined => (v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

export function EditPage(): React.JSX.Element {
  const { history } = useStoryboard();
  const shots = history.present.shots;
  const [picks, pick] = usePicks();
  const [trims, setTrims] = useState<Record<string, Trim>>({});
  const [plan, setPlan] = useState<EditPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [out, setOut] = useState('');
  const [preset, setPreset] = useState<PresetName | ''>('');
  const [format, setFormat] = useState<TimelineFormat>('fcpxml');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [exporting, setExporting] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  /** The file just written (edit or timeline), for "Show in folder". */
  const [donePath, setDonePath] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const media = hasMethod('media.planEdit');

  const clips: EditClip[] = useMemo(
    () =>
      shots
        .filter((s) => picks[s.id])
        .map((s) => {
          const tr = trims[s.id] ?? {};
          return {
            file: picks[s.id] ?? '',
            name: s.id,
            prompt: s.prompt,
            model: s.model,
            inS: tr.inS,
            outS: tr.outS,
            transition: tr.fade ? { kind: 'crossfade' as const, seconds: tr.fade } : undefined,
          };
        }),
    [shots, picks, trims],
  );

  // The verdict follows the timeline (debounced).
  useEffect(() => {
    if (!media || clips.length === 0) return;
    const id = setTimeout(() => {
      call('media.planEdit', { edit: { clips, preset: preset || undefined } }).then(
        (p) => {
          setPlan(p);
          setError(null);
        },
        (e: Error) => {
          setPlan(null);
          setError(e.message);
        },
      );
    }, 300);
    return () => clearTimeout(id);
  }, [media, clips, preset]);

  const exportId = useRef<string | null>(null);
  useEffect(
    () =>
      subscribe('media.progress', (p) => {
        if (p.exportId === exportId.current) setProgress(p);
      }),
    [],
  );

  const setTrim = (id: string, patch: Trim): void => setTrims((x) => ({ ...x, [id]: { ...x[id], ...patch } }));

  const exportEdit = async (): Promise<void> => {
    setExporting(true);
    setDone(null);
    setDonePath(null);
    setShown(null);
    setError(null);
    setProgress(null);
    try {
      exportId.current = crypto.randomUUID();
      const r = await call(
        'media.exportEdit',
        {
          edit: { clips, preset: preset || undefined, title: history.present.name },
          output: out,
          exportId: exportId.current,
        },
        6 * 3600_000,
      );
      setDone(`${r.output} (${r.mode === 'copy' ? 'stream copy' : 're-encoded'}, ${r.durationS.toFixed(2)} s)`);
      setDonePath(r.output);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(false);
      exportId.current = null;
    }
  };

  return (
    <section className="page edit" aria-labelledby="edit-title">
      <h1 id="edit-title">{t.edit.title}</h1>
      {!media && <p className="hint">{t.edit.noMedia}</p>}
      {shots.length === 0 ? (
        <p className="empty">{t.edit.empty}</p>
      ) : (
        <table className="dense timeline" data-testid="timeline">
          <thead>
            <tr>
              {t.edit.cols.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shots.map((s, i) => {
              const idx = clips.findIndex((c) => c.name === s.id);
              const tr = trims[s.id] ?? {};
              return (
                <tr key={`${s.id}-${i}`}>
                  <td>{i + 1}</td>
                  <td>{s.id}</td>
                  <td>
                    <input
                      aria-label={t.edit.clipFile(s.id)}
                      value={picks[s.id] ?? ''}
                      placeholder={t.edit.pickHint}
                      onChange={(e) => pick(s.id, e.target.value || null)}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t.edit.inPoint(s.id)}
                      type="number"
                      min={0}
                      step={0.1}
                      value={tr.inS ?? ''}
                      onChange={(e) => setTrim(s.id, { inS: num(e.target.value) })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t.edit.outPoint(s.id)}
                      type="number"
                      min={0}
                      step={0.1}
                      value={tr.outS ?? ''}
                      onChange={(e) => setTrim(s.id, { outS: num(e.target.value) })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t.edit.fade(s.id)}
                      type="number"
                      min={0}
                      max={10}
                      step={0.1}
                      value={tr.fade ?? ''}
                      onChange={(e) => setTrim(s.id, { fade: num(e.target.value) })}
                    />
                  </td>
                  <td>
                    {idx >= 0 && plan?.clipDurationsS[idx] !== undefined
                      ? `${plan.clipDurationsS[idx].toFixed(2)} s`
                      : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {plan && (
        <div role="status" data-testid="verdict" className="verdict">
          <strong className={plan.mode === 'copy' ? 'ok' : 'warn'}>
            {plan.mode === 'copy' ? t.edit.copy : t.edit.reencode}
          </strong>{' '}
          · {plan.durationS.toFixed(2)} s · {plan.target.width}×{plan.target.height} {plan.target.fpsFraction} fps
          {plan.reasons.length > 0 && (
            <ul>
              {plan.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {media && clips.length > 0 && (
        <div className="form inline">
          <label>
            {t.edit.output}
            <input value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/edit.mp4" />
          </label>
          <label>
            {t.edit.preset}
            <select
              value={preset}
              onChange={(e) => {
                const next = e.target.value as PresetName | '';
                setPreset(next);
                // ProRes lives in .mov; the other presets keep what the editor typed.
                if (next === 'prores') setOut((o) => o.replace(/\.(mp4|m4v)$/i, '.mov'));
              }}
            >
              <option value="">{t.edit.presetAuto}</option>
              <option value="h264">H.264</option>
              <option value="hevc">HEVC</option>
              <option value="prores">ProRes</option>
            </select>
          </label>
          <button type="button" className="primary" disabled={!out || exporting} onClick={() => void exportEdit()}>
            {t.edit.export}
          </button>
          <button
            type="button"
            disabled={!exporting}
            onClick={() => {
              if (exportId.current)
                void call('media.cancel', { exportId: exportId.current }).catch((e: Error) => setError(e.message));
            }}
          >
            {t.edit.cancel}
          </button>
          {exporting && <progress max={100} value={progress?.percent ?? 0} aria-label={t.edit.progress} />}
          {progress?.etaS != null && exporting && <span>{t.edit.secondsLeft(Math.round(progress.etaS))}</span>}
          <label>
            {t.edit.nle}
            <select value={format} onChange={(e) => setFormat(e.target.value as TimelineFormat)}>
              <option value="fcpxml">FCPXML</option>
              <option value="fcp7">FCP7 XML (Premiere)</option>
              <option value="edl">EDL</option>
              <option value="otio">OpenTimelineIO</option>
            </select>
          </label>
          <button
            type="button"
            disabled={!out}
            onClick={() =>
              void call('media.timeline', {
                edit: { clips, title: history.present.name },
                format,
                output: out.replace(/\.[^./]+$/, '') + `.${format === 'fcp7' ? 'xml' : format}`,
              }).then(
                (r) => {
                  setDone(r.file);
                  setDonePath(r.file);
                  setShown(null);
                },
                (e: Error) => setError(e.message),
              )
            }
          >
            {t.edit.exportTimeline}
          </button>
        </div>
      )}
      {done && (
        <p role="status" data-testid="export-done">
          {t.edit.written} <code>{done}</code>{' '}
          {donePath && (
            <button
              type="button"
              onClick={() =>
                void call('app.showInFolder', { path: donePath }).then(
                  (r) => setShown(r.opened),
                  (e: Error) => setError(e.message),
                )
              }
            >
              {t.edit.showInFolder}
            </button>
          )}
        </p>
      )}
      {shown && (
        <p role="status" className="muted">
          {t.edit.shownInFolder(shown)}
        </p>
      )}
    </section>
  );
}
