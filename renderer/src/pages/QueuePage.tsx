import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';

import { t } from '../i18n/strings';
import type { MethodInput, MethodName } from '../../../shared/contract';
import { call } from '../lib/api';
import { JOB_STATES, useJobs } from '../state/jobs';

const ROW_HEIGHT = 28;

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function QueuePage(): React.JSX.Element {
  const jobs = useJobs();
  const [stateFilter, setStateFilter] = useState('');
  const [sbFilter, setSbFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
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
  const batches = useMemo(() => {
    const m = new Map<string, { total: number; done: number; first: number; storyboard: string }>();
    for (const j of jobs) {
      const b = m.get(j.batchId) ?? { total: 0, done: 0, first: Date.parse(j.stateSince), storyboard: j.storyboard };
      b.total += 1;
      if (j.state === 'done' || j.state === 'failed' || j.state === 'canceled') b.done += 1;
      b.first = Math.min(b.first, Date.parse(j.stateSince));
      m.set(j.batchId, b);
    }
    return [...m.entries()];
  }, [jobs]);

  // The virtualizer's functions are not memoisable; the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  const act = <M extends MethodName>(action: M, input: MethodInput<M>): void => {
    call(action, input).then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );
  };

  return (
    <section className="page queue" aria-labelledby="queue-title">
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
      {batches.length > 0 && (
        <ul className="batches" aria-label="Batches">
          {batches.slice(0, 6).map(([id, b]) => {
            const elapsed = (now - b.first) / 1000;
            const left = b.done > 0 ? (elapsed / b.done) * (b.total - b.done) : null;
            return (
              <li key={id}>
                <span>{b.storyboard}</span>
                <progress max={b.total} value={b.done} aria-label={`${b.storyboard} progress`} />
                <span>
                  {b.done}/{b.total}
                  {left !== null && b.done < b.total
                    ? ` · ~${ago(new Date(now - left * 1000).toISOString(), now)} left`
                    : ''}
                </span>
                <button type="button" onClick={() => act('queue.pause', { batchId: id })}>
                  {t.queue.pause}
                </button>
                <button type="button" onClick={() => act('queue.resume', { batchId: id })}>
                  {t.queue.resume}
                </button>
              </li>
            );
          })}
        </ul>
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
                return (
                  <div
                    key={j.id}
                    role="row"
                    data-testid="job-row"
                    className="job-row"
                    data-state={j.state}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: ROW_HEIGHT,
                      transform: `translateY(${v.start}px)`,
                    }}
                  >
                    <span role="cell">
                      {j.storyboard}/{j.shotId}#{j.take}
                    </span>
                    <span role="cell" className={`state ${j.state}`}>
                      {j.state}
                    </span>
                    <span role="cell">{j.attempts}</span>
                    <span role="cell">{ago(j.stateSince, now)}</span>
                    <span role="cell" className="err" title={j.error ? `${j.error} — ${j.fix ?? ''}` : undefined}>
                      {j.error ? `${j.error}${j.fix ? ` → ${j.fix}` : ''}` : ''}
                    </span>
                    <span role="cell" className="acts">
                      {(j.state === 'failed' || j.state === 'blocked') && (
                        <button type="button" onClick={() => act('queue.retry', { jobId: j.id })}>
                          {t.queue.retry}
                        </button>
                      )}
                      {j.state !== 'done' && j.state !== 'canceled' && (
                        <>
                          <button type="button" onClick={() => act('queue.cancel', { jobId: j.id })}>
                            {t.queue.cancel}
                          </button>
                          <button
                            type="button"
                            aria-label={`${t.queue.up}: ${j.shotId}`}
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
