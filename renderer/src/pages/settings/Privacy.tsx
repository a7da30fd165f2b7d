/**
 * Settings > Privacy: the PII filter's mode and terms, and stripping metadata from exports.
 */
import { useEffect, useState } from 'react';

import type { PrivacySettings } from '../../../../shared/contract';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

export function Privacy(): React.JSX.Element {
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
