/**
 * Settings > Compliance: the PASS / WARN / FAIL checks of electron/core/privacy/compliance.ts,
 * each with its fix.
 */
import { useState } from 'react';

import type { ComplianceReport } from '../../../../shared/contract';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

export function Compliance(): React.JSX.Element {
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
