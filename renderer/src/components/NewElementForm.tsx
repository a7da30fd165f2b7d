/**
 * "New element" on the Elements page: an alias, name and description with Kling's limits
 * (20/100 characters, kling-api.md §7), a frontal image and 1-3 reference images picked like
 * frames (renderer/src/components/FrameInput.tsx: the same image checks, kept as data-dir
 * files), an optional data subject and the account. Every problem is shown next to its field.
 */
import { useEffect, useState } from 'react';

import { ELEMENT_ID_RE } from '../../../shared/storyboard/schema';
import type { ProfileInfo } from '../../../shared/contract/secrets';
import { el } from '../i18n/elements';
import { t } from '../i18n/strings';
import { call } from '../lib/api';
import { elementStore, type ElementView } from '../state/elements';
import { FrameInput } from './FrameInput';

export const NAME_MAX = 20;
export const DESCRIPTION_MAX = 100;
const REFERENCES = 3;

function Counted({
  label,
  hint,
  value,
  max,
  onChange,
  multiline,
}: {
  label: string;
  hint: string;
  value: string;
  max: number;
  onChange: (v: string) => void;
  multiline?: boolean;
}): React.JSX.Element {
  const over = value.length > max;
  return (
    <label>
      {label}
      {multiline ? (
        <textarea
          rows={2}
          aria-label={label}
          value={value}
          aria-invalid={over}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input aria-label={label} value={value} aria-invalid={over} onChange={(e) => onChange(e.target.value)} />
      )}
      <span className={`counter${over ? ' error' : ''}`}>{el.form.counter(value.length, max)}</span>
      {over ? (
        <span role="alert" className="error">
          {el.form.tooLong(label, value.length, max)}
        </span>
      ) : (
        <span className="hint">{hint}</span>
      )}
    </label>
  );
}

export function NewElementForm({ known }: { known: readonly ElementView[] }): React.JSX.Element {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [frontal, setFrontal] = useState<string | undefined>();
  const [refs, setRefs] = useState<Array<string | undefined>>(Array.from({ length: REFERENCES }, () => undefined));
  const [subject, setSubject] = useState('');
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [profile, setProfile] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    call('secrets.list', {}).then(
      (r) => {
        setProfiles(r.profiles);
        setProfile((p) => p || (r.profiles.find((x) => x.isDefault) ?? r.profiles[0])?.name || '');
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  const references = refs.filter((r): r is string => Boolean(r));
  const idProblem = id && !ELEMENT_ID_RE.test(id) ? el.form.idBad(id) : null;
  const problems = {
    frontal: tried && !frontal ? el.form.needFrontal : null,
    references: tried && references.length === 0 ? el.form.needReference : null,
  };
  const blocked = Boolean(idProblem) || name.length > NAME_MAX || description.length > DESCRIPTION_MAX;
  const chosen = profiles.find((p) => p.name === profile);

  const submit = (): void => {
    setTried(true);
    setDone(null);
    if (blocked || !id || !frontal || references.length === 0) return;
    setBusy(true);
    const before = new Set(known.map((k) => k.key));
    call('elements.create', {
      id,
      frontalImage: frontal,
      referenceImages: references,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(subject.trim() ? { subject: subject.trim() } : {}),
      ...(profile ? { profile } : {}),
    })
      .then(
        (view) => {
          elementStore.put(view);
          setError(null);
          setDone(before.has(view.key) ? el.form.reused(view.id) : el.form.created(view.id));
          setTried(false);
          setId('');
          setName('');
          setDescription('');
          setFrontal(undefined);
          setRefs(Array.from({ length: REFERENCES }, () => undefined));
          setSubject('');
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="form el-form"
      aria-labelledby="new-element-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="new-element-title">{el.form.title}</h2>
      <label>
        {el.form.id}
        <input
          aria-label={el.form.id}
          value={id}
          aria-invalid={Boolean(idProblem)}
          onChange={(e) => setId(e.target.value.trim())}
        />
        {idProblem ? (
          <span role="alert" className="error">
            {idProblem}
          </span>
        ) : (
          <span className={tried && !id ? 'error' : 'hint'}>{el.form.idHint}</span>
        )}
      </label>
      <div className="grid2">
        <Counted label={el.form.name} hint={el.form.nameHint} value={name} max={NAME_MAX} onChange={setName} />
        <Counted
          label={el.form.description}
          hint={el.form.descriptionHint}
          value={description}
          max={DESCRIPTION_MAX}
          onChange={setDescription}
          multiline
        />
      </div>
      <div className="el-images">
        <FrameInput label={el.form.frontal} value={frontal} disabledReason={null} onChange={setFrontal} />
        {refs.map((r, i) => (
          <FrameInput
            key={i}
            label={el.form.reference(i + 1)}
            value={r}
            disabledReason={null}
            onChange={(v) => setRefs((all) => all.map((x, j) => (j === i ? v : x)))}
          />
        ))}
      </div>
      {problems.frontal && (
        <p role="alert" className="error">
          {problems.frontal}
        </p>
      )}
      {problems.references && (
        <p role="alert" className="error">
          {problems.references}
        </p>
      )}
      <label>
        {el.form.subject}
        <input aria-label={el.form.subject} value={subject} onChange={(e) => setSubject(e.target.value)} />
        <span className="hint">{el.form.subjectHint}</span>
      </label>
      {profiles.length ? (
        <label>
          {el.form.account}
          <select aria-label={el.form.account} value={profile} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} · {p.provider === 'sandbox' ? t.settings.simulator : p.provider} · {p.maskedKey}
              </option>
            ))}
          </select>
          {chosen?.provider === 'sandbox' && <span className="tag sim el-sim">{el.form.simulator}</span>}
        </label>
      ) : (
        <p className="hint">
          {el.form.account}: <span className="tag sim">{el.form.simulator}</span> {el.form.sandbox}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || blocked}>
          {busy ? el.form.creating : el.form.create}
        </button>
      </div>
      {error && (
        <p role="alert" className="error" data-testid="element-create-error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" data-testid="element-created">
          {done}
        </p>
      )}
    </form>
  );
}
