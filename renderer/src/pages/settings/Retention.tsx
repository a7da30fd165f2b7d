/**
 * Settings > Retention: one rule per project (or every project, "*"), days per kind of file
 * (empty = kept), checked here before the core checks them again; and a dry run of the rules.
 */
import { useEffect, useState } from 'react';

import type { RetentionPlan, RetentionRule } from '../../../../shared/contract';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

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
function RuleRow({
  draft,
  isNew,
  onSave,
  onRemove,
}: {
  draft: RuleDraft;
  isNew: boolean;
  onSave: (d: RuleDraft) => void;
  onRemove?: () => void;
}): React.JSX.Element {
  const [d, setD] = useState(draft);
  const label = isNew ? t.settings.rules.newRule : d.project;
  return (
    <tr data-testid={isNew ? 'rule-new' : 'rule'}>
      <td>
        {isNew ? (
          <input
            aria-label={t.settings.rules.project}
            list="retention-projects"
            value={d.project}
            placeholder="*"
            onChange={(e) => setD({ ...d, project: e.target.value })}
          />
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
        <button
          type="button"
          aria-label={isNew ? t.settings.rules.add : `${t.settings.rules.save} ${d.project}`}
          onClick={() => onSave(d)}
        >
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

export function Retention(): React.JSX.Element {
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
    if (isNew && rules.some((r) => r.project === rule.project))
      return setErr(new Error(t.settings.rules.exists(rule.project)));
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
  const blank: RuleDraft = {
    project: rules.some((r) => r.project === '*') ? '' : '*',
    rawTakesDaysAfterExport: '30',
    rawTakesMaxDays: '',
    imagesDays: '',
    editsDays: '',
  };
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
            <RuleRow
              key={`${r.project}:${JSON.stringify(r)}`}
              draft={toDraft(r)}
              isNew={false}
              onSave={(d) => save(d, false)}
              onRemove={() => remove(r)}
            />
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
