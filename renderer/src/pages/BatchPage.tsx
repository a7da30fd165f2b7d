import { useEffect, useState } from 'react';

import type { ProfileInfo } from '../../../shared/contract';
import { formatCost } from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { BatchSummary, JobView } from '../../../shared/queue';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import { p } from '../i18n/project';
import { rp } from '../i18n/report';
import { call } from '../lib/api';
import { OutageReport } from '../components/OutageReport';
import { materialise } from '../lib/frames';
import { useBatchPrefs } from '../state/batch-prefs';
import { useGoTo, useProject, useStoryboard } from '../state/context';
import { refreshEdit } from '../state/picks';
import { useQueueTick } from '../state/queue-tick';
import { shotUnits, toJson, type Storyboard } from '../state/storyboard';
import { HeaderCells } from '../components/HeaderCells';

type PiiMode = 'mask' | 'block' | 'allow';

const LIVE = new Set(['queued', 'submitting', 'running', 'downloading']);

/**
 * The morning report, kept per batch (issue 11 item 3): pick any past batch of this storyboard;
 * a re-roll joins its take's batch, so it never replaces the report of a night's work.
 */
function MorningReport({ storyboardId }: { storyboardId: string | null }): React.JSX.Element {
  const goTo = useGoTo();
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<{ id: string; jobs: JobView[] } | null>(null);
  const tick = useQueueTick();
  useEffect(() => {
    call('queue.batches', {}).then(
      (r) => setBatches(r.batches.filter((b) => !storyboardId || b.storyboardId === storyboardId)),
      () => undefined,
    );
  }, [storyboardId, tick]);
  const id = chosen && batches.some((b) => b.id === chosen) ? chosen : (batches[0]?.id ?? null);
  useEffect(() => {
    if (!id) return;
    call('queue.list', { batchId: id }).then(
      (r) => setLoaded({ id, jobs: r.jobs }),
      () => undefined,
    );
  }, [id, tick]);
  if (!id || !batches.length) return <p className="empty">{t.batch.reportEmpty}</p>;
  const js = loaded?.id === id ? loaded.jobs : [];
  const count = (st: string): number => js.filter((j) => j.state === st).length;
  const done = js.filter((j) => j.state === 'done');
  const units = done.reduce((n, j) => n + j.units, 0);
  // What Kling billed (billing[] / final_unit_deduction), next to the estimate.
  const billed = done.reduce((n, j) => n + (j.billedUnits ?? 0), 0);
  const unbilled = done.filter((j) => j.billedUnits === null || j.billedUnits === undefined).length;
  const times = js.map((j) => Date.parse(j.stateSince));
  const minutes = times.length ? Math.round((Math.max(...times) - Math.min(...times)) / 60_000) : 0;
  const problems = js.filter((j) => j.state === 'failed' || j.state === 'blocked');
  const live = js.some((j) => LIVE.has(j.state));
  return (
    <div data-testid="morning-report" role="status">
      <label>
        {p.batch.reportBatch}{' '}
        <select value={id} onChange={(e) => setChosen(e.target.value)}>
          {batches.map((b) => (
            <option key={b.id} value={b.id}>
              {p.batch.reportOption(b.id, new Date(b.createdAt).toLocaleString(), b.counts.done, b.total)}
            </option>
          ))}
        </select>
      </label>
      <p>
        Batch {id} ({js[0]?.storyboard}): <strong className="ok">{count('done')} done</strong>,{' '}
        <strong className="error">{count('failed')} failed</strong>,{' '}
        <strong className="warn">{count('blocked')} blocked</strong>, {count('canceled')} canceled ·{' '}
        <span data-testid="report-billed">
          billed {formatCost(billed)}
          {unbilled ? ` (${unbilled} not billed yet)` : ''}
        </span>{' '}
        (estimate {formatCost(units)}) · {minutes} min{live ? ` · ${p.batch.running}` : ''}
      </p>
      <OutageReport batchId={id} />
      <button type="button" onClick={() => goTo('Report')}>
        {rp.openReport}
      </button>
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

/**
 * The import's own check on what Queue would send (issue 11 item 1): inline images become
 * data-dir files first, then storyboard.validate runs the validator storyboard.import runs.
 */
function useCoreCheck(sb: Storyboard): {
  checking: boolean;
  ok: boolean;
  problems: StoryboardProblem[];
  messages: string[];
} {
  const [state, setState] = useState<{
    of: Storyboard | null;
    ok: boolean;
    problems: StoryboardProblem[];
    messages: string[];
  }>({ of: null, ok: false, problems: [], messages: [] });
  useEffect(() => {
    if (!sb.shots.length) return;
    let live = true;
    const id = setTimeout(() => {
      void materialise(sb)
        .then((m) => call('storyboard.validate', { format: 'json', content: toJson(m) }))
        .then(
          (r) => live && setState({ of: sb, ok: r.ok, problems: r.problems, messages: r.messages }),
          (e: Error) => live && setState({ of: sb, ok: false, problems: [], messages: [e.message] }),
        );
    }, 300);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, [sb]);
  return { checking: state.of !== sb, ok: state.ok, problems: state.problems, messages: state.messages };
}

export function BatchPage(): React.JSX.Element {
  const { history } = useStoryboard();
  const sb = history.present;
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [profile, setProfile] = useState('');
  // Budget cap and PII decision per storyboard (renderer/src/state/batch-prefs.ts).
  const [prefs, setPrefs] = useBatchPrefs(sb.name);
  const [defaultPii, setDefaultPii] = useState<PiiMode>('mask');
  const budget = prefs.budget;
  const pii = prefs.pii ?? defaultPii;
  const setBudget = (v: string): void => setPrefs({ budget: v });
  const setPii = (m: PiiMode): void => setPrefs({ pii: m });
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const [already, setAlready] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { storyboardId, setStoryboardId } = useProject();
  const goTo = useGoTo();
  const check = useCoreCheck(sb);

  useEffect(() => {
    call('secrets.list', {}).then(
      (r) => {
        setProfiles(r.profiles);
        setProfile((p) => p || (r.profiles.find((x) => x.isDefault) ?? r.profiles[0])?.name || '');
      },
      (e: Error) => setError(e.message),
    );
    call('privacy.settings.get', {}).then(
      (s) => setDefaultPii(s.piiMode),
      () => undefined,
    );
  }, []);

  const total = sb.shots.reduce((n, s) => n + shotUnits(s), 0);
  const cap = budget === '' ? null : Number(budget);
  const invalid = sb.shots.filter((s) => check.problems.some((x) => x.shot === s.id));
  const chosen = profiles.find((p) => p.name === profile);
  // No profile: the batch runs on the sandbox (t.batch.noProfiles); costs there are simulated.
  const simulated = chosen ? chosen.provider === 'sandbox' : profiles.length === 0;

  // One click, one batch: the button is busy until the core answers.
  const queue = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setQueued(null);
    setAlready(null);
    try {
      const imported = await call('storyboard.import', { format: 'json', content: toJson(await materialise(sb)) });
      setStoryboardId(imported.storyboardId);
      refreshEdit(imported.storyboardId);
      const r = await call('queue.enqueue', {
        storyboardId: imported.storyboardId,
        ...(profile ? { profile } : {}),
        ...(cap !== null && cap > 0 ? { budgetUnits: cap } : {}),
        piiMode: pii,
      });
      if (r.alreadyQueued) setAlready(p.batch.alreadyQueued(r.batchId, r.existing));
      else
        setQueued(
          t.batch.queued(
            r.jobs,
            r.existing,
            r.batchId,
            r.provider === 'sandbox' ? `${t.settings.simulator} (${r.reason})` : r.reason,
          ),
        );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
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
              <HeaderCells cols={t.batch.cols} />
            </tr>
          </thead>
          <tbody>
            {sb.shots.map((s, i) => {
              const probs = check.problems.filter((x) => x.shot === s.id);
              return (
                <tr key={`${s.id}-${i}`}>
                  <td>{s.id}</td>
                  <td>
                    {s.model} {s.resolution} {s.duration} s{s.audio === 'native' ? ' ♪' : ''}
                  </td>
                  <td>{s.takes}</td>
                  <td className={simulated ? 'simulated' : undefined}>{formatCost(shotUnits(s))}</td>
                  <td className={check.checking ? 'muted' : probs.length ? 'error' : 'ok'}>
                    {check.checking
                      ? p.batch.checking
                      : probs.length
                        ? probs.map((x) => `${x.field ?? ''}: ${x.message}`).join('; ')
                        : 'ok'}
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
              <td data-testid="batch-total" className={simulated ? 'simulated' : undefined}>
                {formatCost(total)}
              </td>
              <td data-testid="batch-simulated">
                {simulated ? <span className="tag sim">{t.batch.simulatedCost}</span> : null}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {sb.shots.length > 0 && (
        <p className="hint" data-testid="units-note">
          {t.batch.unitsNote(formatCost(1))}
        </p>
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
          disabled={!sb.shots.length || busy || check.checking || !check.ok}
          aria-busy={busy}
          onClick={() => void queue()}
        >
          {busy ? p.batch.queueing : t.batch.queue}
        </button>
        {invalid.length > 0 && <p className="hint error">{t.batch.needsFix(invalid.length)}</p>}
        {!check.checking && !check.ok && check.messages.length > 0 && (
          <div className="hint error" data-testid="batch-check">
            {p.batch.coreProblems}
            <ul>
              {check.messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {queued && <p role="status">{queued}</p>}
        {already && (
          <p role="status" data-testid="already-queued">
            {already}{' '}
            <button type="button" onClick={() => goTo('Queue')}>
              {p.batch.openQueue}
            </button>
          </p>
        )}
      </div>
      <h2>{t.batch.report}</h2>
      <MorningReport storyboardId={storyboardId} />
    </section>
  );
}
