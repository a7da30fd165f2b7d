/**
 * Settings > Erase (GDPR Art. 17): a data subject's material, dry run first, then for real;
 * the report says what cannot be erased here.
 */
import { useState } from 'react';

import type { EraseReport } from '../../../../shared/contract';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

export function Erase(): React.JSX.Element {
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
