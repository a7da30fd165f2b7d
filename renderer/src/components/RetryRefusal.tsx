/**
 * Retry of a take Kling refused for its content: says why the same prompt will not help and
 * asks for a changed one before anything is sent (queue.retry with a prompt; the core refuses
 * an unchanged retry too, electron/core/handlers/queue.ts).
 */
import { useEffect, useState } from 'react';

import { t } from '../i18n/strings';
import { call } from '../lib/api';
import type { JobView } from '../state/jobs';

export function RetryRefusal({ job, onDone }: { job: JobView; onDone: () => void }): React.JSX.Element {
  const [refused, setRefused] = useState<string | null>(null);
  const [prompt, setPrompt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('queue.job', { jobId: job.id }).then(
      (r) => {
        if (!live) return;
        setRefused(r.prompt);
        setPrompt(r.prompt);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [job.id]);

  const same = refused !== null && prompt.trim() === refused.trim();
  const send = (): void => {
    setBusy(true);
    call('queue.retry', { jobId: job.id, prompt }).then(onDone, (e: Error) => {
      setBusy(false);
      setError(e.message);
    });
  };

  return (
    <section
      className="refusal"
      role="dialog"
      aria-modal="false"
      aria-labelledby="refusal-title"
      data-testid="retry-refusal"
    >
      <h2 id="refusal-title">
        {t.queue.refusal.title}: {job.storyboard}/{job.shotId}#{job.take}
      </h2>
      <p>{t.queue.refusal.why}</p>
      {job.error && <p className="err">{job.error}</p>}
      <label>
        {t.queue.refusal.prompt}
        <textarea rows={3} value={prompt} disabled={refused === null} onChange={(e) => setPrompt(e.target.value)} />
      </label>
      {same && <p className="muted">{t.queue.refusal.same}</p>}
      <p className="muted">{t.queue.refusal.storyboardKeeps}</p>
      <p className="muted">{t.queue.refusal.images}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" disabled={refused === null || same || !prompt.trim() || busy} onClick={send}>
          {t.queue.refusal.send}
        </button>
        <button type="button" onClick={onDone}>
          {t.queue.refusal.close}
        </button>
      </div>
    </section>
  );
}
