import { useEffect, useState } from 'react';

import type { ProfileInfo } from '../../../shared/contract';
import { formatCost } from '../../../shared/kling';
import { t } from '../i18n/strings';
import { call } from '../lib/api';
import { useStoryboard } from '../state/context';
import { useJobs, type JobView } from '../state/jobs';
import { shotProblems, shotUnits, toJson } from '../state/storyboard';

type PiiMode = 'mask' | 'block' | 'allow';

const LIVE = new Set(['queued', 'submitting', 'running', 'downloading']);

/** The morning report of the newest finished batch: done, failed, blocked with reasons, cost, time. */
function MorningReport({ jobs }: { jobs: JobView[] }): React.JSX.Element {
  const byBatch = new Map<string, JobView[]>();
  for (const j of jobs) byBatch.set(j.batchId, [...(byBatch.get(j.batchId) ?? []), j]);
  const finished = [...byBatch.entries()].filter(([, js]) => js.every((j) => !LIVE.has(j.state)));
  const last = finished.sort(
    (a, b) =>
      Math.max(...b[1].map((j) => Date.parse(j.stateSince))) - Math.max(...a[1].map((j) => Date.parse(j.stateSince))),
  )[0];
  if (!last) return <p className="empty">{t.batch.reportEmpty}</p>;
  const [id, js] = last;
  const count = (st: string): number => js.filter((j) => j.state === st).length;
  const done = js.filter((j) => j.state === 'done');
  const units = done.reduce((n, j) => n + j.units, 0);
  // What Kling billed (billing[] / final_unit_deduction), next to the estimate.
  const billed = done.reduce((n, j) => n + (j.billedUnits ?? 0), 0);
  const unbilled = done.filter((j) => j.billedUnits === null || j.billedUnits === undefined).length;
  const times = js.map((j) => Date.parse(j.stateSince));
  const minutes = Math.round((Math.max(...times) - Math.min(...times)) / 60_000);
  const problems = js.filter((j) => j.state === 'failed' || j.state === 'blocked');
  return (
    <div data-testid="morning-report" role="status">
      <p>
        Batch {id} ({js[0]?.storyboard}): <strong className="ok">{count('done')} done</strong>,{' '}
        <strong className="error">{count('failed')} failed</strong>,{' '}
        <strong className="warn">{count('blocked')} blocked</strong>, {count('canceled')} canceled ·{' '}
        <span data-testid="report-billed">
          billed {formatCost(billed)}
          {unbilled ? ` (${unbilled} not billed yet)` : ''}
        </span>{' '}
        (estimate {formatCost(units)}) · {minutes} min
      </p>
      {problems.length > 0 && (
        <ul>
          {problems.map((j) => (
            <li key={j.id}>
              {j.shotId}#{j.take} {j.state}: {j.error ?? 'no reason given'}
              {j.fix ? ` → ${j.fix}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function BatchPage(): React.JSX.Element {
  const { history } = useStoryboard();
  const sb = history.present;
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [profile, setProfile] = useState('');
  const [budget, setBudget] = useState('');
  const [pii, setPii] = useState<PiiMode>('mask');
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const jobs = useJobs();

  useEffect(() => {
    call('secrets.list', {}).then(
      (r) => {
        setProfiles(r.profiles);
        setProfile((p) => p || (r.profiles.find((x) => x.isDefault) ?? r.profiles[0])?.name || '');
      },
      (e: Error) => setError(e.message),
    );
    call('privacy.settings.get', {}).then(
      (s) => setPii(s.piiMode),
      () => undefined,
    );
  }, []);

  const total = sb.shots.reduce((n, s) => n + shotUnits(s), 0);
  const cap = budget === '' ? null : Number(budget);
  const invalid = sb.shots.filter((s, i) => shotProblems(s, i, sb.shots).length > 0);
  const chosen = profiles.find((p) => p.name === profile);

  const queue = async (): Promise<void> => {
    setError(null);
    try {
      const imported = await call('storyboard.import', { format: 'json', content: toJson(sb) });
      const r = await call('queue.enqueue', {
        storyboardId: imported.storyboardId,
        ...(profile ? { profile } : {}),
        ...(cap !== null && cap > 0 ? { budgetUnits: cap } : {}),
        piiMode: pii,
      });
      setQueued(t.batch.queued(r.jobs, r.existing, r.batchId, r.provider === 'sandbox' ? `${t.settings.simulator} (${r.reason})` : r.reason));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="page batch" aria-labelledby="batch-title">
      <h1 id="batch-title">
        {t.batch.title}: {sb.name}
      </h1>
      {sb.shots.length === 0 ? (
        <p className="empty">{t.storyboard.empty}</p>
      ) : (
        <table className="dense" data-testid="batch-costs">
          <caption className="visually-hidden">{t.batch.perShot}</caption>
          <thead>
            <tr>
              {t.batch.cols.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sb.shots.map((s, i) => {
              const p = shotProblems(s, i, sb.shots);
              return (
                <tr key={`${s.id}-${i}`}>
                  <td>{s.id}</td>
                  <td>
                    {s.model} {s.resolution} {s.duration} s{s.audio === 'native' ? ' ♪' : ''}
                  </td>
                  <td>{s.takes}</td>
                  <td>{formatCost(shotUnits(s))}</td>
                  <td className={p.length ? 'error' : 'ok'}>
                    {p.length ? p.map((x) => `${x.field}: ${x.message}`).join('; ') : 'ok'}
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t.batch.total}
              </th>
              <td data-testid="batch-total">{formatCost(total)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      <div className="form">
        <label>
          {t.batch.budget}
          <input type="number" min={0} step={0.5} value={budget} onChange={(e) => setBudget(e.target.value)} />
        </label>
        {cap !== null && total > cap && (
          <p role="alert" className="warn">
            {t.batch.overBudget}
          </p>
        )}
        <label>
          {t.batch.profile}
          <select value={profile} onChange={(e) => setProfile(e.target.value)} disabled={!profiles.length}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} · {p.provider === 'sandbox' ? t.settings.simulator : p.provider} · {p.maskedKey}
              </option>
            ))}
          </select>
        </label>
        {!profiles.length && <p className="hint">{t.batch.noProfiles}</p>}
        {chosen?.provider === 'sandbox' && (
          <p className="tag sim">
            {t.settings.simulator}: {t.batch.simulatorNote}
          </p>
        )}
        <fieldset>
          <legend>{t.batch.pii}</legend>
          {(['mask', 'block', 'allow'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="pii" checked={pii === m} onChange={() => setPii(m)} /> {t.batch.piiModes[m]}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          className="primary"
          disabled={!sb.shots.length || invalid.length > 0}
          onClick={() => void queue()}
        >
          {t.batch.queue}
        </button>
        {invalid.length > 0 && <p className="hint error">{t.batch.needsFix(invalid.length)}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {queued && <p role="status">{queued}</p>}
      </div>
      <h2>{t.batch.report}</h2>
      <MorningReport jobs={jobs} />
    </section>
  );
}
