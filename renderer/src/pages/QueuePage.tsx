import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';

import { t } from '../i18n/strings';
import type { MethodInput, MethodName } from '../../../shared/contract';
import { call } from '../lib/api';
import { batchBars, isContentRefusal, JOB_STATES, useBatches, useJobs, type JobView } from '../state/jobs';
import { RetryRefusal } from '../components/RetryRefusal';
import { OutageBanner } from '../components/OutageBanner';
import { SceneQueueConfirm, type SceneAction } from '../components/SceneQueueConfirm';

const ROW_HEIGHT = 28;

function ago(iso: string, now: number): string {
  return span(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)));
}

function span(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function QueuePage(): React.JSX.Element {
  const jobs = useJobs();
  const summaries = useBatches();
  const [stateFilter, setStateFilter] = useState('');
  const [sbFilter, setSbFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [refusal, setRefusal] = useState<JobView | null>(null);
  // Retry or Cancel on a shot of a scene acts on the whole scene take: asked first.
  const [asking, setAsking] = useState<{ job: JobView; action: SceneAction } | null>(null);
  const [busy, setBusy] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);

  const storyboards = useMemo(() => [...new Set(jobs.map((j) => j.storyboard))].sort(), [jobs]);
  const shown = useMemo(
    () => jobs.filter((j) => (!stateFilter || j.state === stateFilter) && (!sbFilter || j.storyboard === sbFilter)),
    [jobs, stateFilter, sbFilter],
  );
  const bars = useMemo(() => batchBars(summaries, jobs), [summaries, jobs]);

  // The virtualizer's functions are not memoisable; the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => shown[i]?.id ?? i,
    overscan: 10,
  });

  const act = <M extends MethodName>(action: M, input: MethodInput<M>): void => {
    call(action, input).then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );
  };
  const retry = (j: JobView): void => {
    if (isContentRefusal(j)) setRefusal(j);
    else if (j.scene) setAsking({ job: j, action: 'retry' });
    else act('queue.retry', { jobId: j.id });
  };
  const cancel = (j: JobView): void => {
    if (j.scene) setAsking({ job: j, action: 'cancel' });
    else act('queue.cancel', { jobId: j.id });
  };
  const answer = (job: JobView, action: SceneAction): void => {
    setBusy(true);
    call(action === 'retry' ? 'queue.retry' : 'queue.cancel', { jobId: job.id })
      .then(
        () => {
          setError(null);
          setAsking(null);
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false));
  };
  const toggle = (id: string): void =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <section className="page queue" aria-labelledby="queue-title">
      <OutageBanner />
      <header className="toolbar">
        <h1 id="queue-title">{t.queue.title}</h1>
        <label>
          {t.queue.filterState}{' '}
          <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)}>
            <option value="">{t.queue.all}</option>
            {JOB_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {t.queue.filterStoryboard}{' '}
          <select value={sbFilter} onChange={(e) => setSbFilter(e.target.value)}>
            <option value="">{t.queue.all}</option>
            {storyboards.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <span data-testid="queue-count">{t.queue.shown(shown.length, jobs.length)}</span>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {bars.length > 0 && (
        <ul className="batches" aria-label={t.queue.batches}>
          {bars.slice(0, 6).map((b) => {
            const elapsed = (now - Date.parse(b.since)) / 1000;
            // Time left from the pace so far: jobs that ran to an end (done, failed, canceled).
            const left =
              b.processed > 0 && b.settled < b.total && !b.paused
                ? Math.round((elapsed / b.processed) * (b.total - b.settled))
                : null;
            return (
              <li
                key={b.id}
                data-testid="batch-bar"
                data-paused={b.paused ? 'true' : 'false'}
                className={b.paused ? 'paused' : undefined}
              >
                <span>{b.storyboard}</span>
                <progress max={b.total} value={b.settled} aria-label={t.queue.progressOf(b.storyboard)} />
                <span data-testid="batch-count">
                  {t.queue.settled(b.settled, b.total)}
                  {left !== null ? t.queue.left(span(left)) : ''}
                </span>
                <span className={b.attention ? 'attention' : 'muted'} data-testid="batch-attention">
                  {b.attention ? t.queue.attention(b.attention) : ''}
                </span>
                <span>
                  {b.paused && (
                    <span className="tag paused" data-testid="batch-paused" title={b.pauseReason ?? undefined}>
                      {b.pauseReason ? t.queue.pausedBecause(b.pauseReason) : t.queue.paused}
                    </span>
                  )}
                </span>
                {b.canPause ? (
                  <button
                    type="button"
                    aria-pressed={b.paused}
                    aria-label={b.paused ? t.queue.resumeBatch(b.storyboard) : t.queue.pauseBatch(b.storyboard)}
                    onClick={() => act(b.paused ? 'queue.resume' : 'queue.pause', { batchId: b.id })}
                  >
                    {b.paused ? t.queue.resume : t.queue.pause}
                  </button>
                ) : (
                  <span />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {refusal && <RetryRefusal job={refusal} onDone={() => setRefusal(null)} />}
      {asking?.job.scene && (
        <SceneQueueConfirm
          key={`${asking.job.id}-${asking.action}`}
          action={asking.action}
          scene={asking.job.scene}
          busy={busy}
          onYes={() => answer(asking.job, asking.action)}
          onNo={() => setAsking(null)}
        />
      )}
      {jobs.length === 0 ? (
        <p className="empty">{t.queue.empty}</p>
      ) : (
        <div className="jobs" role="table" aria-label="Jobs" aria-rowcount={shown.length}>
          <div className="job-row head" role="row">
            {t.queue.cols.map((c) => (
              <span key={c} role="columnheader">
                {c}
              </span>
            ))}
          </div>
          <div ref={scroller} className="job-scroll" data-testid="job-scroll">
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {virtual.getVirtualItems().map((v) => {
                const j = shown[v.index];
                if (!j) return null;
                const expanded = open.has(j.id);
                const unclaimed = j.state === 'queued';
                return (
                  <div
                    key={j.id}
                    ref={virtual.measureElement}
                    data-index={v.index}
                    role="row"
                    data-testid="job-row"
                    className={`job-row${expanded ? ' expanded' : ''}`}
                    data-state={j.state}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      minHeight: ROW_HEIGHT,
                      transform: `translateY(${v.start}px)`,
                    }}
                  >
                    <span role="cell">
                      {j.storyboard}/{j.shotId}#{j.take}
                    </span>
                    <span role="cell" className={`state ${j.state}`}>
                      {j.state}
                      {unclaimed && j.priority > 0 ? ` ↑${j.priority}` : ''}
                    </span>
                    <span role="cell">{j.attempts}</span>
                    <span role="cell">{ago(j.stateSince, now)}</span>
                    <span role="cell" className="err">
                      {j.error ? (
                        <button
                          type="button"
                          className="err-toggle"
                          aria-expanded={expanded}
                          onClick={() => toggle(j.id)}
                          title={expanded ? t.queue.collapse : t.queue.expand}
                        >
                          <span className="err-text">{j.error}</span>
                          {j.fix ? <span className="err-fix"> → {j.fix}</span> : null}
                        </button>
                      ) : (
                        ''
                      )}
                    </span>
                    <span role="cell" className="acts">
                      {(j.state === 'failed' || j.state === 'blocked') && (
                        <button
                          type="button"
                          aria-label={`${t.queue.retry}: ${j.shotId}#${j.take}`}
                          onClick={() => retry(j)}
                        >
                          {t.queue.retry}
                        </button>
                      )}
                      {j.state !== 'done' && j.state !== 'canceled' && (
                        <>
                          <button
                            type="button"
                            aria-label={`${t.queue.cancel}: ${j.shotId}#${j.take}`}
                            onClick={() => cancel(j)}
                          >
                            {t.queue.cancel}
                          </button>
                          <button
                            type="button"
                            aria-label={`${t.queue.up}: ${j.shotId}#${j.take}`}
                            onClick={() => act('queue.reprioritise', { jobId: j.id, priority: j.priority + 1 })}
                          >
                            ↑
                          </button>
                        </>
                      )}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
