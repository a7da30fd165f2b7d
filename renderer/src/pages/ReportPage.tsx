/**
 * The morning report as a page (issue 17 item 5): per batch, a poster per shot with its
 * status, its takes (done, failed and blocked with the fix), the batch's time and its estimated
 * and billed cost; each shot opens its takes on the Takes page (../state/shot-focus.ts). The
 * core builds the report (report.batch) and writes it as HTML or PDF (report.export) where the
 * user chose in the system save dialog.
 */
import { useEffect, useState } from 'react';

import type { BatchReport, ReportFormat, ReportShot } from '../../../shared/contract';
import { formatCost } from '../../../shared/kling';
import type { BatchSummary } from '../../../shared/queue';
import { PathLabel } from '../components/PathLabel';
import { rp } from '../i18n/report';
import { call } from '../lib/api';
import { getDataDir, mediaUrl } from '../lib/media';
import { baseName } from '../lib/paths';
import { useGoTo, useProject } from '../state/context';
import { useQueueTick } from '../state/queue-tick';
import { focusShot } from '../state/shot-focus';

function Summary({ r }: { r: BatchReport }): React.JSX.Element {
  const s = rp.summary;
  return (
    <p className="report-summary" data-testid="report-summary">
      <strong className="ok">{s.done(r.counts.done)}</strong>,{' '}
      <strong className="error">{s.failed(r.counts.failed)}</strong>,{' '}
      <strong className="warn">{s.blocked(r.counts.blocked)}</strong>, {s.canceled(r.counts.canceled)}
      {r.counts.open ? `, ${s.open(r.counts.open)}` : ''} · {s.time(r.minutes, r.live)} ·{' '}
      <span data-testid="report-billed">{s.billed(formatCost(r.billedUnits), r.unbilledTakes)}</span> (
      {s.estimate(formatCost(r.estimatedUnits))})
    </p>
  );
}

function ShotCard({ shot, dir }: { shot: ReportShot; dir: string | null }): React.JSX.Element {
  const goTo = useGoTo();
  const url = shot.poster && dir ? mediaUrl(shot.poster, dir) : null;
  const done = shot.takes.filter((t) => t.state === 'done').length;
  return (
    <article className={`report-shot s-${shot.status}`} data-testid="report-shot" data-shot={shot.shotId}>
      {url ? (
        <img src={url} alt={rp.posterOf(shot.shotId)} loading="lazy" />
      ) : (
        <div className="no-poster">{rp.noPoster}</div>
      )}
      <div className="report-shot-body">
        <h3>
          {shot.shotId} <span className={`badge s-${shot.status}`}>{rp.status[shot.status]}</span>
        </h3>
        <p className="muted">{rp.takesDone(done, shot.takes.length)}</p>
        <ul>
          {shot.takes.map((t) => (
            <li key={t.take} data-state={t.state}>
              {rp.take(t.take)} {t.state}
              {t.state === 'done' &&
                ` · ${t.billedUnits === null ? rp.notBilled : rp.billed(formatCost(t.billedUnits))}`}
              {t.picked && <span className="tag">{rp.picked}</span>}
              {t.rejected && <span className="tag">{rp.rejected}</span>}
              {t.rating !== null && <span className="tag">{rp.rating(t.rating)}</span>}
              {t.note && <q className="note">{t.note}</q>}
              {t.error && <span className="error"> {t.error}</span>}
              {t.fix && (
                <span className="fix">
                  {' '}
                  {rp.fix} {t.fix}
                </span>
              )}
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => focusShot(goTo, shot.shotId)}>
          {rp.openTakes(shot.shotId)}
        </button>
      </div>
    </article>
  );
}

/** Export as HTML or PDF: the save dialog, "replace it?" when the system did not ask, then report.export. */
function ExportButtons({ r, setError }: { r: BatchReport; setError: (e: string | null) => void }): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<{ path: string; format: ReportFormat } | null>(null);
  const [done, setDone] = useState<{ file: string; shots: number } | null>(null);
  const write = async (path: string, format: ReportFormat, overwrite: boolean): Promise<void> => {
    setBusy(true);
    try {
      const w = await call('report.export', { batchId: r.batchId, format, output: path, overwrite });
      setDone({ file: w.file, shots: w.shots });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = async (format: ReportFormat): Promise<void> => {
    setError(null);
    setDone(null);
    setConfirm(null);
    try {
      const d = await call('dialog.saveOutput', { storyboardId: r.storyboardId, kind: format });
      if (!d.chosen || !d.path) return;
      if (d.exists && !d.overwriteConfirmed) return setConfirm({ path: d.path, format });
      await write(d.path, format, false);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="form inline report-export">
      <button type="button" disabled={busy} onClick={() => void choose('html')}>
        {rp.exportHtml}
      </button>
      <button type="button" disabled={busy} onClick={() => void choose('pdf')}>
        {rp.exportPdf}
      </button>
      {confirm && (
        <div role="alertdialog" aria-label={rp.exists(baseName(confirm.path))} className="confirm">
          <p>{rp.exists(baseName(confirm.path))}</p>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setConfirm(null);
              void write(confirm.path, confirm.format, true);
            }}
          >
            {rp.replace}
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            {rp.keep}
          </button>
        </div>
      )}
      {done && (
        <p role="status" data-testid="report-written">
          {rp.written(baseName(done.file), done.shots)} <PathLabel path={done.file} />
        </p>
      )}
    </div>
  );
}

export function ReportPage(): React.JSX.Element {
  const { storyboardId } = useProject();
  const tick = useQueueTick();
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [report, setReport] = useState<BatchReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dir, setDir] = useState<string | null>(null);
  useEffect(() => void getDataDir().then(setDir, (e: Error) => setError(e.message)), []);
  useEffect(() => {
    call('queue.batches', {}).then(
      (r) => {
        const mine = r.batches.filter((b) => b.storyboardId === storyboardId);
        setBatches(mine.length ? mine : r.batches);
      },
      (e: Error) => setError(e.message),
    );
  }, [storyboardId, tick]);
  const id = chosen && batches?.some((b) => b.id === chosen) ? chosen : (batches?.[0]?.id ?? null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    call('report.batch', { batchId: id }).then(
      (r) => live && setReport(r),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, tick]);
  const r = report?.batchId === id ? report : null;
  return (
    <section className="page report" aria-labelledby="report-title">
      <h1 id="report-title">{r ? rp.of(r.storyboard) : rp.title}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {batches && !batches.length && <p className="empty">{rp.empty}</p>}
      {id && batches && (
        <label>
          {rp.batch}{' '}
          <select value={id} onChange={(e) => setChosen(e.target.value)}>
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {rp.option(new Date(b.createdAt).toLocaleString(), b.id, b.counts.done, b.total)}
              </option>
            ))}
          </select>
        </label>
      )}
      {id && !r && <p className="muted">{rp.loading}</p>}
      {r && (
        <>
          <Summary r={r} />
          <ExportButtons r={r} setError={setError} />
          <div className="report-shots" data-testid="report-shots">
            {r.shots.map((s) => (
              <ShotCard key={s.shotId} shot={s} dir={dir} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
