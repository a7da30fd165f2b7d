/**
 * Settings > Audit log (GDPR Art. 30): every request that left the machine, 50 a page, newest
 * first, with CSV and JSON export.
 */
import { useEffect, useState } from 'react';

import type { AuditRow } from '../../../../shared/contract';
import { HeaderCells } from '../../components/HeaderCells';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { downloadText } from '../../lib/download';
import { Alert, useError } from './common';

const AUDIT_PAGE = 50;

export function Audit(): React.JSX.Element {
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
            <span data-testid="audit-page">
              {t.settings.auditRange(offset + 1, offset + rows.length, total, page, pages)}
            </span>
            <button
              type="button"
              disabled={offset + AUDIT_PAGE >= total}
              onClick={() => setOffset(offset + AUDIT_PAGE)}
            >
              {t.settings.older}
            </button>
            <button
              type="button"
              disabled={offset + AUDIT_PAGE >= total}
              onClick={() => setOffset((pages - 1) * AUDIT_PAGE)}
            >
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
