import { useCallback, useEffect, useState } from 'react';

import type {
  AppInfo,
  AuditRow,
  ComplianceReport,
  EraseReport,
  PrivacySettings,
  ProfileInfo,
  RetentionPlan,
  RetentionRule,
} from '../../../shared/contract';
import { t } from '../i18n/strings';
import { call } from '../lib/api';
import { downloadText } from '../lib/download';
import { OutageSettings } from '../components/OutageSettings';
import { HeaderCells } from '../components/HeaderCells';

type Provider = 'kling' | 'cometapi' | 'sandbox';

function useError(): [string | null, (e: unknown) => void, () => void] {
  const [err, setErr] = useState<string | null>(null);
  return [err, (e: unknown) => setErr((e as Error).message ?? String(e)), () => setErr(null)];
}

function Alert({ text }: { text: string | null }): React.JSX.Element | null {
  return text ? (
    <p role="alert" className="error">
      {text}
    </p>
  ) : null;
}

function Profiles(): React.JSX.Element {
  const [list, setList] = useState<ProfileInfo[]>([]);
  const [keychain, setKeychain] = useState<string | null>(null);
  const [err, setErr, clear] = useError();
  const [status, setStatus] = useState<string | null>(null);
  const [form, setForm] = useState({
    name: '',
    provider: 'kling' as Provider,
    region: '',
    baseUrl: '',
    // An API key is Kling's credential today (its new API takes nothing else); AK/SK reach only the legacy /v1 one.
    kind: 'bearer' as 'aksk' | 'bearer',
    accessKey: '',
    secretKey: '',
    apiKey: '',
  });
  const load = useCallback(() => {
    call('secrets.list', {}).then((r) => {
      setList(r.profiles);
      setKeychain(r.keychain.status === 'ok' ? null : r.keychain.message);
    }, setErr);
  }, [setErr]);
  useEffect(load, [load]);
  const save = async (): Promise<void> => {
    clear();
    try {
      await call('secrets.set', {
        name: form.name,
        provider: form.provider,
        region: form.region || undefined,
        baseUrl: form.baseUrl || undefined,
        credentials:
          form.kind === 'aksk'
            ? { kind: 'aksk', accessKey: form.accessKey, secretKey: form.secretKey }
            : { kind: 'bearer', apiKey: form.apiKey },
      });
      setForm((f) => ({ ...f, accessKey: '', secretKey: '', apiKey: '' }));
      load();
    } catch (e) {
      setErr(e);
    }
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section aria-labelledby="profiles-title">
      <h2 id="profiles-title">{t.settings.profiles}</h2>
      {keychain && (
        <p className="warn" role="status">
          {t.settings.keychainDown}
          {keychain}
        </p>
      )}
      {list.length === 0 ? (
        <p className="empty">{t.settings.noProfiles}</p>
      ) : (
        <table className="dense" data-testid="profiles">
          <thead>
            <tr>
              <th scope="col">{t.settings.name}</th>
              <th scope="col">{t.settings.provider}</th>
              <th scope="col">{t.settings.region}</th>
              <th scope="col">{t.settings.key}</th>
              <th scope="col">{t.settings.age}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={`${p.name}-${p.provider}`}>
                <td>
                  {p.name}
                  {p.isDefault ? ' (default)' : ''}
                </td>
                <td>
                  {p.provider === 'sandbox' ? <span className="tag sim">{t.settings.simulator}</span> : p.provider}
                </td>
                <td>{p.region ?? p.baseUrl ?? '—'}</td>
                <td>
                  <code>{p.maskedKey}</code> <small data-testid="profile-kind">{p.kind === 'bearer' ? t.settings.bearer : t.settings.aksk}</small>
                </td>
                <td className={p.rotationDue ? 'warn' : undefined}>{p.ageDays} d</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void call('secrets.test', { name: p.name }).then(
                        (r) => setStatus(`${p.name}: ${r.ok ? 'OK' : 'FAILED'}: ${r.message}`),
                        setErr,
                      )
                    }
                  >
                    {t.settings.test}
                  </button>{' '}
                  <button
                    type="button"
                    aria-label={`${t.settings.del} ${p.name}`}
                    onClick={() =>
                      void call('secrets.delete', { name: p.name, provider: p.provider }).then(load, setErr)
                    }
                  >
                    {t.settings.del}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status && <p role="status">{status}</p>}
      <form
        className="form inline"
        aria-label={t.settings.addProfile}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t.settings.name}
          <input required value={form.name} onChange={set('name')} />
        </label>
        <label>
          {t.settings.provider}
          <select value={form.provider} onChange={set('provider')}>
            <option value="kling">Kling</option>
            <option value="cometapi">CometAPI</option>
            <option value="sandbox">Sandbox ({t.settings.simulator})</option>
          </select>
        </label>
        <label>
          {t.settings.region}
          <input value={form.region} onChange={set('region')} placeholder="global" />
        </label>
        <label>
          {t.settings.baseUrl}
          <input value={form.baseUrl} onChange={set('baseUrl')} placeholder="http://127.0.0.1:PORT" />
        </label>
        <label>
          {t.settings.keyType}
          <select value={form.kind} onChange={set('kind')}>
            <option value="bearer">{t.settings.bearer}</option>
            <option value="aksk">{t.settings.aksk}</option>
          </select>
        </label>
        {form.kind === 'aksk' ? (
          <>
            <label>
              {t.settings.accessKey}
              <input required autoComplete="off" value={form.accessKey} onChange={set('accessKey')} />
            </label>
            <label>
              {t.settings.secretKey}
              <input required type="password" autoComplete="off" value={form.secretKey} onChange={set('secretKey')} />
            </label>
          </>
        ) : (
          <label>
            {t.settings.apiKey}
            <input required type="password" autoComplete="off" value={form.apiKey} onChange={set('apiKey')} />
          </label>
        )}
        <button type="submit">{t.settings.save}</button>
      </form>
      <Alert text={err} />
    </section>
  );
}

function Tools(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [err, setErr] = useError();
  useEffect(() => void call('app.info', {}).then(setInfo, setErr), [setErr]);
  return (
    <section aria-labelledby="tools-title">
      <h2 id="tools-title">{t.settings.tools}</h2>
      {info && (
        <dl className="kv">
          <dt>{t.settings.dataFolder}</dt>
          <dd data-testid="settings-data-dir">{info.dataDir}</dd>
          <dt>ffmpeg</dt>
          <dd>
            {info.ffmpeg.path ?? '—'} {info.ffmpeg.version ? `(${info.ffmpeg.version})` : `(${info.ffmpeg.source})`}
          </dd>
          <dt>ffprobe</dt>
          <dd>
            {info.ffprobe.path ?? '—'} {info.ffprobe.version ? `(${info.ffprobe.version})` : `(${info.ffprobe.source})`}
          </dd>
        </dl>
      )}
      <Alert text={err} />
    </section>
  );
}

function Privacy(): React.JSX.Element {
  const [s, setS] = useState<PrivacySettings | null>(null);
  const [terms, setTerms] = useState('');
  const [err, setErr, clear] = useError();
  const [saved, setSaved] = useState(false);
  useEffect(
    () =>
      void call('privacy.settings.get', {}).then((x) => {
        setS(x);
        setTerms(x.piiTerms.join('\n'));
      }, setErr),
    [setErr],
  );
  if (!s) return <Alert text={err} />;
  return (
    <section aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t.settings.privacy}</h2>
      <div className="form">
        <label>
          {t.settings.piiMode}
          <select
            value={s.piiMode}
            onChange={(e) => setS({ ...s, piiMode: e.target.value as PrivacySettings['piiMode'] })}
          >
            <option value="mask">mask</option>
            <option value="block">block</option>
            <option value="allow">allow</option>
          </select>
        </label>
        <label>
          {t.settings.piiTerms}
          <textarea rows={3} value={terms} onChange={(e) => setTerms(e.target.value)} />
        </label>
        <label>
          <input
            type="checkbox"
            checked={s.stripExportMetadata}
            onChange={(e) => setS({ ...s, stripExportMetadata: e.target.checked })}
          />{' '}
          {t.settings.stripMeta}
        </label>
        <button
          type="button"
          onClick={() => {
            clear();
            setSaved(false);
            const piiTerms = terms
              .split('\n')
              .map((x) => x.trim())
              .filter(Boolean);
            call('privacy.settings.set', {
              piiMode: s.piiMode,
              piiTerms,
              stripExportMetadata: s.stripExportMetadata,
            }).then((x) => {
              setS(x);
              setSaved(true);
            }, setErr);
          }}
        >
          {t.settings.saveTerms}
        </button>
        {saved && <span role="status">{t.settings.saved}</span>}
      </div>
      <Alert text={err} />
    </section>
  );
}

type RuleField = 'rawTakesDaysAfterExport' | 'rawTakesMaxDays' | 'imagesDays' | 'editsDays';
const RULE_FIELDS: readonly RuleField[] = ['rawTakesDaysAfterExport', 'rawTakesMaxDays', 'imagesDays', 'editsDays'];

/** A rule as the form edits it: days as text, '' = never (kept). */
type RuleDraft = { project: string } & Record<RuleField, string>;
const toDraft = (r: RetentionRule): RuleDraft => ({
  project: r.project,
  rawTakesDaysAfterExport: r.rawTakesDaysAfterExport === null ? '' : String(r.rawTakesDaysAfterExport),
  rawTakesMaxDays: r.rawTakesMaxDays === null ? '' : String(r.rawTakesMaxDays),
  imagesDays: r.imagesDays === null ? '' : String(r.imagesDays),
  editsDays: r.editsDays === null ? '' : String(r.editsDays),
});

/** The form's rule for the core, or what is wrong with it (field and fix). */
function fromDraft(d: RuleDraft): RetentionRule | string {
  const project = d.project.trim();
  if (!project) return t.settings.rules.needProject;
  const out = { project } as RetentionRule;
  for (const f of RULE_FIELDS) {
    const v = d[f].trim();
    if (v === '') {
      out[f] = null;
      continue;
    }
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 36500) return t.settings.rules.badDays(t.settings.rules.cols[f], v);
    out[f] = n;
  }
  return out;
}

/** One rule's row: the days per kind of file, saved with Save (empty = never). */
function RuleRow({ draft, isNew, onSave, onRemove }: { draft: RuleDraft; isNew: boolean; onSave: (d: RuleDraft) => void; onRemove?: () => void }): React.JSX.Element {
  const [d, setD] = useState(draft);
  const label = isNew ? t.settings.rules.newRule : d.project;
  return (
    <tr data-testid={isNew ? 'rule-new' : 'rule'}>
      <td>
        {isNew ? (
          <input aria-label={t.settings.rules.project} list="retention-projects" value={d.project} placeholder="*" onChange={(e) => setD({ ...d, project: e.target.value })} />
        ) : (
          <strong>{d.project === '*' ? t.settings.rules.everyProject : d.project}</strong>
        )}
      </td>
      {RULE_FIELDS.map((f) => (
        <td key={f}>
          <input
            type="number"
            min={0}
            max={36500}
            inputMode="numeric"
            aria-label={`${t.settings.rules.cols[f]} (${label})`}
            placeholder={t.settings.rules.never}
            value={d[f]}
            onChange={(e) => setD({ ...d, [f]: e.target.value })}
          />
        </td>
      ))}
      <td>
        <button type="button" aria-label={isNew ? t.settings.rules.add : `${t.settings.rules.save} ${d.project}`} onClick={() => onSave(d)}>
          {isNew ? t.settings.rules.add : t.settings.rules.save}
        </button>{' '}
        {onRemove && (
          <button type="button" aria-label={`${t.settings.rules.remove} ${d.project}`} onClick={onRemove}>
            {t.settings.rules.remove}
          </button>
        )}
      </td>
    </tr>
  );
}

function Retention(): React.JSX.Element {
  const [rules, setRules] = useState<RetentionRule[]>([]);
  const [projects, setProjects] = useState<string[]>([]);
  const [plan, setPlan] = useState<RetentionPlan | null>(null);
  const [err, setErr, clear] = useError();
  const [saved, setSaved] = useState<string | null>(null);
  // A new row after each add (its key changes, so the form starts empty again).
  const [added, setAdded] = useState(0);
  useEffect(() => void call('privacy.retention.rules', {}).then((r) => setRules(r.rules), setErr), [setErr]);
  useEffect(
    () =>
      void call('queue.batches', {}).then(
        (r) => setProjects([...new Set(r.batches.map((b) => b.storyboard))].sort()),
        () => undefined,
      ),
    [],
  );
  const save = (d: RuleDraft, isNew: boolean): void => {
    clear();
    setSaved(null);
    const rule = fromDraft(d);
    if (typeof rule === 'string') return setErr(new Error(rule));
    if (isNew && rules.some((r) => r.project === rule.project)) return setErr(new Error(t.settings.rules.exists(rule.project)));
    call('privacy.retention.setRule', { rule }).then((r) => {
      setRules(r.rules);
      setSaved(t.settings.rules.saved(rule.project));
      if (isNew) setAdded((n) => n + 1);
    }, setErr);
  };
  const remove = (r: RetentionRule): void => {
    clear();
    call('privacy.retention.setRule', { rule: r, remove: true }).then((x) => setRules(x.rules), setErr);
  };
  const blank: RuleDraft = { project: rules.some((r) => r.project === '*') ? '' : '*', rawTakesDaysAfterExport: '30', rawTakesMaxDays: '', imagesDays: '', editsDays: '' };
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{t.settings.retention}</h2>
      <p className="hint">{rules.length === 0 ? t.settings.noRules : t.settings.rules.help}</p>
      <datalist id="retention-projects">
        <option value="*">{t.settings.rules.everyProject}</option>
        {projects.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <table className="dense retention-rules" data-testid="retention-rules">
        <thead>
          <tr>
            <th scope="col">{t.settings.rules.project}</th>
            {RULE_FIELDS.map((f) => (
              <th key={f} scope="col">
                {t.settings.rules.cols[f]}
              </th>
            ))}
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <RuleRow key={`${r.project}:${JSON.stringify(r)}`} draft={toDraft(r)} isNew={false} onSave={(d) => save(d, false)} onRemove={() => remove(r)} />
          ))}
          <RuleRow key={`new-${added}-${blank.project}`} draft={blank} isNew onSave={(d) => save(d, true)} />
        </tbody>
      </table>
      {saved && <p role="status">{saved}</p>}
      <button type="button" onClick={() => void call('privacy.retention.run', { dryRun: true }).then(setPlan, setErr)}>
        {t.settings.retentionPreview}
      </button>
      {plan && <p role="status">{t.settings.wouldDelete(plan.files.length, (plan.bytes / 1048576).toFixed(1))}</p>}
      <Alert text={err} />
    </section>
  );
}

const AUDIT_PAGE = 50;

function Audit(): React.JSX.Element {
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [err, setErr] = useError();
  useEffect(
    () =>
      void call('privacy.audit.list', { limit: AUDIT_PAGE, offset }).then((r) => {
        setRows(r.rows);
        setTotal(r.total);
      }, setErr),
    [setErr, offset],
  );
  const exp = (format: 'csv' | 'json'): void =>
    void call('privacy.audit.export', { format }).then(
      (r) => downloadText(`shotline-audit.${format}`, r.content, format === 'csv' ? 'text/csv' : 'application/json'),
      setErr,
    );
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE));
  const page = Math.floor(offset / AUDIT_PAGE) + 1;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">
        {t.settings.audit} ({total})
      </h2>
      <button type="button" onClick={() => exp('csv')}>
        {t.settings.exportCsv}
      </button>{' '}
      <button type="button" onClick={() => exp('json')}>
        {t.settings.exportJson}
      </button>
      {rows.length === 0 ? (
        <p className="empty">{t.settings.auditEmpty}</p>
      ) : (
        <>
          <nav className="pager" aria-label={t.settings.auditPages}>
            <button type="button" disabled={offset === 0} onClick={() => setOffset(0)}>
              {t.settings.first}
            </button>
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - AUDIT_PAGE))}>
              {t.settings.newer}
            </button>
            <span data-testid="audit-page">{t.settings.auditRange(offset + 1, offset + rows.length, total, page, pages)}</span>
            <button type="button" disabled={offset + AUDIT_PAGE >= total} onClick={() => setOffset(offset + AUDIT_PAGE)}>
              {t.settings.older}
            </button>
            <button type="button" disabled={offset + AUDIT_PAGE >= total} onClick={() => setOffset((pages - 1) * AUDIT_PAGE)}>
              {t.settings.last}
            </button>
          </nav>
          <table className="dense" data-testid="audit">
            <thead>
              <tr>
                <HeaderCells cols={t.settings.auditCols} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  <td>{r.time}</td>
                  <td>
                    {r.provider} {r.host}
                  </td>
                  <td>
                    {r.method} {r.path}
                  </td>
                  <td>{r.tombstonedAt ? '[erased]' : (r.subject ?? '—')}</td>
                  <td>{r.dataCategories.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Alert text={err} />
    </section>
  );
}

function Erase(): React.JSX.Element {
  const [subject, setSubject] = useState('');
  const [report, setReport] = useState<EraseReport | null>(null);
  const [err, setErr, clear] = useError();
  const run = (dryRun: boolean): void => {
    clear();
    void call('privacy.erase', { subject, dryRun }).then(setReport, setErr);
  };
  return (
    <section aria-labelledby="erase-title">
      <h2 id="erase-title">{t.settings.erase}</h2>
      <div className="form inline">
        <label>
          {t.settings.subject}
          <input value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <button type="button" disabled={!subject} onClick={() => run(true)}>
          {t.settings.dryRun}
        </button>
        <button type="button" className="danger" disabled={!subject || !report?.dryRun} onClick={() => run(false)}>
          {t.settings.eraseNow}
        </button>
      </div>
      {report && (
        <div role="status" data-testid="erase-report">
          <p>
            {t.settings.eraseSummary(
              report.dryRun,
              report.files.length,
              Object.values(report.rows).reduce((a, b) => a + b, 0),
              report.auditRowsTombstoned,
            )}
          </p>
          {report.cannotErase.length > 0 && (
            <ul>
              {report.cannotErase.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <Alert text={err} />
    </section>
  );
}

function Compliance(): React.JSX.Element {
  const [r, setR] = useState<ComplianceReport | null>(null);
  const [err, setErr] = useError();
  return (
    <section aria-labelledby="compliance-title">
      <h2 id="compliance-title">{t.settings.compliance}</h2>
      <button type="button" onClick={() => void call('privacy.compliance', {}).then(setR, setErr)}>
        {t.settings.runCompliance}
      </button>
      {r && (
        <ul className="checks" data-testid="compliance">
          {r.checks.map((c) => (
            <li key={c.id} data-status={c.status}>
              <strong>{c.status.toUpperCase()}</strong> {c.title}: {c.detail}
              {c.fix && <div className="fix">→ {c.fix}</div>}
            </li>
          ))}
        </ul>
      )}
      <Alert text={err} />
    </section>
  );
}

export function SettingsPage(): React.JSX.Element {
  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings.title}</h1>
      <Profiles />
      <Tools />
      <OutageSettings />
      <Privacy />
      <Retention />
      <Audit />
      <Erase />
      <Compliance />
    </section>
  );
}
