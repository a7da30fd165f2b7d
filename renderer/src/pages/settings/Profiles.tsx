/**
 * Settings > Key profiles: the keychain's profiles (masked), test and delete, and the form
 * that adds one. Keys go to the OS keychain through the core; the page never sees a whole key.
 */
import { useCallback, useEffect, useState } from 'react';

import type { ProfileInfo } from '../../../../shared/contract';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

type Provider = 'kling' | 'cometapi' | 'sandbox';

export function Profiles(): React.JSX.Element {
  const [list, setList] = useState<ProfileInfo[]>([]);
  const [keychain, setKeychain] = useState<string | null>(null);
  const [err, setErr, clear] = useError();
  const [status, setStatus] = useState<string | null>(null);
  const load = useCallback(() => {
    call('secrets.list', {}).then((r) => {
      setList(r.profiles);
      setKeychain(r.keychain.status === 'ok' ? null : r.keychain.message);
    }, setErr);
  }, [setErr]);
  useEffect(load, [load]);
  const test = (p: ProfileInfo): void =>
    void call('secrets.test', { name: p.name }).then(
      (r) => setStatus(`${p.name}: ${r.ok ? 'OK' : 'FAILED'}: ${r.message}`),
      setErr,
    );
  const remove = (p: ProfileInfo): void =>
    void call('secrets.delete', { name: p.name, provider: p.provider }).then(load, setErr);
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
        <ProfileTable list={list} onTest={test} onDelete={remove} />
      )}
      {status && <p role="status">{status}</p>}
      <ProfileForm onSaved={load} clear={clear} setErr={setErr} />
      <Alert text={err} />
    </section>
  );
}

/** The stored profiles: masked key and its kind, age (a due rotation marked), test and delete. */
function ProfileTable({
  list,
  onTest,
  onDelete,
}: {
  list: ProfileInfo[];
  onTest: (p: ProfileInfo) => void;
  onDelete: (p: ProfileInfo) => void;
}): React.JSX.Element {
  return (
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
            <td>{p.provider === 'sandbox' ? <span className="tag sim">{t.settings.simulator}</span> : p.provider}</td>
            <td>{p.region ?? p.baseUrl ?? '—'}</td>
            <td>
              <code>{p.maskedKey}</code>{' '}
              <small data-testid="profile-kind">{p.kind === 'bearer' ? t.settings.bearer : t.settings.aksk}</small>
            </td>
            <td className={p.rotationDue ? 'warn' : undefined}>{p.ageDays} d</td>
            <td>
              <button type="button" onClick={() => onTest(p)}>
                {t.settings.test}
              </button>{' '}
              <button type="button" aria-label={`${t.settings.del} ${p.name}`} onClick={() => onDelete(p)}>
                {t.settings.del}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Adding a profile: an API key (Kling's current API) or AK/SK (the legacy /v1 endpoints); the key fields empty after a save. */
function ProfileForm({
  onSaved,
  clear,
  setErr,
}: {
  onSaved: () => void;
  clear: () => void;
  setErr: (e: unknown) => void;
}): React.JSX.Element {
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
      onSaved();
    } catch (e) {
      setErr(e);
    }
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
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
  );
}
