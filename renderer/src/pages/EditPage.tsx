/**
 * The edit of the open storyboard, kept in the core (issue 11 item 5; edit.get / edit.save):
 * the picked take of each shot in cut order, trims and crossfades (a trim outside its clip is
 * refused with the clip's length), the compatibility verdict (stream copy or re-encode, and
 * why), export with a progress bar and cancel, and NLE timelines. Outputs go where the user
 * chose in the system save dialog (dialog.saveOutput); replacing a file asks first.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import type { OutputKind } from '../../../shared/contract';
import type { EditClip, EditPlan, ExportProgress, PresetName, TimelineFormat } from '../../../shared/media';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { call, subscribe } from '../lib/api';
import { useProject } from '../state/context';
import { useEdit } from '../state/picks';
import { HeaderCells } from '../components/HeaderCells';

type TrimField = 'inS' | 'outS' | 'fade';
type Draft = Partial<Record<TrimField, string>>;

const num = (v: string | undefined): number | undefined =>
  v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
const baseName = (f: string): string => f.split(/[\\/]/).pop() ?? f;
const TIMELINE_KIND: Record<TimelineFormat, OutputKind> = { fcpxml: 'fcpxml', fcp7: 'xml', edl: 'edl', otio: 'otio' };

interface Pending {
  path: string;
  kind: 'edit' | 'timeline';
}

export function EditPage(): React.JSX.Element {
  const { storyboardId } = useProject();
  const { edit, save } = useEdit(storyboardId);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [trimError, setTrimError] = useState<string | null>(null);
  const [plan, setPlan] = useState<EditPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<TimelineFormat>('fcpxml');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [exporting, setExporting] = useState(false);
  const [confirm, setConfirm] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** The file just written (edit or timeline), for "Show in folder". */
  const [donePath, setDonePath] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  const shots = useMemo(() => edit?.shots ?? [], [edit]);
  const picks = useMemo(() => edit?.picks ?? {}, [edit]);
  const preset: PresetName | '' = edit?.preset ?? '';
  // Cut order: the stored order, then any shot it does not name, in storyboard order.
  const order = useMemo(() => {
    const ids = new Set(shots.map((s) => s.id));
    const stored = (edit?.order ?? []).filter((id) => ids.has(id));
    return [...stored, ...shots.map((s) => s.id).filter((id) => !stored.includes(id))];
  }, [edit, shots]);
  const shotById = useMemo(() => new Map(shots.map((s) => [s.id, s])), [shots]);

  const clips: EditClip[] = useMemo(
    () =>
      order
        .filter((id) => picks[id])
        .map((id) => {
          const tr = edit?.trims[id] ?? {};
          const s = shotById.get(id);
          return {
            file: picks[id] ?? '',
            name: id,
            prompt: s?.prompt,
            model: s?.model,
            inS: tr.inS,
            outS: tr.outS,
            transition: tr.fade ? { kind: 'crossfade' as const, seconds: tr.fade } : undefined,
          };
        }),
    [order, picks, edit, shotById],
  );

  // Typed trims are saved in the core (debounced); a refusal keeps the typed value and says why.
  useEffect(() => {
    const ids = Object.keys(drafts);
    if (!ids.length || !edit) return;
    const id = setTimeout(() => {
      const trims = Object.fromEntries(
        ids.map((shot) => {
          const d = drafts[shot] ?? {};
          const cur = edit.trims[shot] ?? {};
          const pick = (f: TrimField): number | undefined => (d[f] !== undefined ? num(d[f]) : cur[f]);
          const tr = { inS: pick('inS'), outS: pick('outS'), fade: pick('fade') };
          return [shot, Object.values(tr).some((v) => v !== undefined) ? tr : null];
        }),
      );
      save({ trims }).then(
        () => {
          setDrafts({});
          setTrimError(null);
        },
        (e: Error) => setTrimError(e.message),
      );
    }, 400);
    return () => clearTimeout(id);
  }, [drafts, edit, save]);

  // The verdict follows the timeline (debounced).
  useEffect(() => {
    if (clips.length === 0) return;
    const id = setTimeout(() => {
      call('media.planEdit', { edit: { clips, preset: preset || undefined } }).then(
        (pl) => {
          setPlan(pl);
          setError(null);
        },
        (e: Error) => {
          setPlan(null);
          setError(e.message);
        },
      );
    }, 300);
    return () => clearTimeout(id);
  }, [clips, preset]);

  const exportId = useRef<string | null>(null);
  useEffect(
    () =>
      subscribe('media.progress', (pr) => {
        if (pr.exportId === exportId.current) setProgress(pr);
      }),
    [],
  );

  const setDraft = (id: string, f: TrimField, v: string): void =>
    setDrafts((x) => ({ ...x, [id]: { ...x[id], [f]: v } }));
  const move = (i: number, by: number): void => {
    const next = [...order];
    const [id] = next.splice(i, 1);
    if (id === undefined) return;
    next.splice(i + by, 0, id);
    void save({ order: next }).catch((e: Error) => setError(e.message));
  };

  const writeEdit = async (path: string, overwrite: boolean): Promise<void> => {
    setExporting(true);
    setProgress(null);
    try {
      exportId.current = crypto.randomUUID();
      const r = await call(
        'media.exportEdit',
        {
          edit: { clips, preset: preset || undefined, title: edit?.storyboard },
          output: path,
          overwrite,
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

  const writeTimeline = async (path: string, overwrite: boolean): Promise<void> => {
    try {
      const r = await call('media.timeline', {
        edit: { clips, title: edit?.storyboard },
        format,
        output: path,
        overwrite,
      });
      setDone(r.file);
      setDonePath(r.file);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  /** The save dialog (main process), then "replace it?" when the file exists and the system did not ask. */
  const choose = async (kind: 'edit' | 'timeline'): Promise<void> => {
    if (!storyboardId) return;
    setError(null);
    setDone(null);
    setDonePath(null);
    setShown(null);
    setConfirm(null);
    try {
      const r = await call('dialog.saveOutput', {
        storyboardId,
        kind: kind === 'edit' ? (preset === 'prores' ? 'mov' : 'mp4') : TIMELINE_KIND[format],
      });
      if (!r.chosen || !r.path) return;
      if (r.exists && !r.overwriteConfirmed) return setConfirm({ path: r.path, kind });
      await (kind === 'edit' ? writeEdit(r.path, false) : writeTimeline(r.path, false));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const replace = (): void => {
    if (!confirm) return;
    const c = confirm;
    setConfirm(null);
    void (c.kind === 'edit' ? writeEdit(c.path, true) : writeTimeline(c.path, true));
  };

  if (!storyboardId) {
    return (
      <section className="page edit" aria-labelledby="edit-title">
        <h1 id="edit-title">{t.edit.title}</h1>
        <p className="empty">{p.noProject}</p>
      </section>
    );
  }

  return (
    <section className="page edit" aria-labelledby="edit-title">
      <h1 id="edit-title">{edit ? p.edit.of(edit.storyboard) : t.edit.title}</h1>
      {shots.length === 0 ? (
        <p className="empty">{t.edit.empty}</p>
      ) : (
        <table className="dense timeline" data-testid="timeline">
          <thead>
            <tr>
              <HeaderCells cols={t.edit.cols} />
              <th scope="col">
                <span className="visually-hidden">Order</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {order.map((id, i) => {
              const idx = clips.findIndex((c) => c.name === id);
              const tr = edit?.trims[id] ?? {};
              const d = drafts[id] ?? {};
              const field = (f: TrimField, label: string, max?: number) => (
                <input
                  aria-label={label}
                  type="number"
                  min={0}
                  max={max}
                  step={0.1}
                  value={d[f] ?? tr[f] ?? ''}
                  aria-invalid={d[f] !== undefined && trimError !== null}
                  disabled={!picks[id]}
                  onChange={(e) => setDraft(id, f, e.target.value)}
                />
              );
              return (
                <tr key={id}>
                  <td>{i + 1}</td>
                  <td>{id}</td>
                  <td>
                    <output aria-label={t.edit.clipFile(id)} title={picks[id] ?? ''}>
                      {picks[id] ? baseName(picks[id]) : t.edit.pickHint}
                    </output>
                  </td>
                  <td>{field('inS', t.edit.inPoint(id))}</td>
                  <td>{field('outS', t.edit.outPoint(id))}</td>
                  <td>{field('fade', t.edit.fade(id), 10)}</td>
                  <td>
                    {idx >= 0 && plan?.clipDurationsS[idx] !== undefined
                      ? `${plan.clipDurationsS[idx].toFixed(2)} s`
                      : '—'}
                  </td>
                  <td>
                    <button type="button" aria-label={p.edit.up(id)} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label={p.edit.down(id)}
                      disabled={i === order.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {trimError && (
        <p role="alert" className="error" data-testid="trim-error">
          {trimError}
        </p>
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
      {clips.length > 0 && (
        <div className="form inline">
          <label>
            {t.edit.preset}
            <select
              value={preset}
              onChange={(e) =>
                void save({ preset: (e.target.value as PresetName | '') || null }).catch((err: Error) =>
                  setError(err.message),
                )
              }
            >
              <option value="">{t.edit.presetAuto}</option>
              <option value="h264">H.264</option>
              <option value="hevc">HEVC</option>
              <option value="prores">ProRes</option>
            </select>
          </label>
          <button type="button" className="primary" disabled={exporting} onClick={() => void choose('edit')}>
            {t.edit.export}…
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
          {exporting && (
            <span className="progress" data-testid="export-progress">
              <progress max={100} value={progress?.percent ?? 0} aria-label={t.edit.progress} />{' '}
              {p.edit.percent(progress?.percent ?? 0)}
              {progress?.etaS != null && ` · ${t.edit.secondsLeft(Math.round(progress.etaS))}`}
            </span>
          )}
          <label>
            {t.edit.nle}
            <select value={format} onChange={(e) => setFormat(e.target.value as TimelineFormat)}>
              <option value="fcpxml">FCPXML</option>
              <option value="fcp7">FCP7 XML (Premiere)</option>
              <option value="edl">EDL</option>
              <option value="otio">OpenTimelineIO</option>
            </select>
          </label>
          <button type="button" disabled={exporting} onClick={() => void choose('timeline')}>
            {t.edit.exportTimeline}…
          </button>
        </div>
      )}
      {confirm && (
        <div
          role="alertdialog"
          aria-label={p.edit.exists(confirm.path)}
          className="confirm"
          data-testid="confirm-replace"
        >
          <p>{p.edit.exists(confirm.path)}</p>
          <button type="button" className="primary" onClick={replace}>
            {p.edit.replace}
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            {p.edit.keep}
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
