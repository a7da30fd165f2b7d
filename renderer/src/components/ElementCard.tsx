/**
 * One element of the library (Elements page): frontal image, alias, name, state (with the
 * error and its fix), Kling id, account, the shots that name it, and Delete at Kling behind a
 * confirmation that says it deletes at Kling (shared/contract/elements.ts, elements.delete).
 */
import { useState } from 'react';

import { el } from '../i18n/elements';
import { call } from '../lib/api';
import { elementStore, type ElementView } from '../state/elements';
import { ConfirmBox } from './ConfirmBox';
import { ElementThumb } from './ElementThumb';

const BUSY = new Set(['queued', 'submitting', 'running', 'deleting']);

export function ElementCard({ element: e }: { element: ElementView }): React.JSX.Element {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gone = e.state === 'deleted' || e.state === 'deleting';
  const remove = (): void => {
    setBusy(true);
    call('elements.delete', { key: e.key })
      .then(
        (view) => {
          elementStore.put(view);
          setConfirm(false);
          setError(null);
        },
        (err: Error) => setError(err.message),
      )
      .finally(() => setBusy(false));
  };
  return (
    <li className={`el-card state-${e.state}`} data-testid="element-card" aria-label={el.card.alias(e.id)}>
      <ElementThumb file={e.thumbnail} alt={el.card.alias(e.id)} />
      <div className="el-body">
        <div className="row">
          <strong className="el-alias">{el.card.alias(e.id)}</strong>
          <span>{e.name}</span>
          <span
            className={`tag el-state${e.state === 'failed' || e.state === 'blocked' ? ' bad' : BUSY.has(e.state) ? ' warn' : ''}`}
            data-testid="element-state"
          >
            {el.state[e.state] ?? e.state}
          </span>
        </div>
        {e.description && e.description !== e.name && <div className="muted">{e.description}</div>}
        {(e.error || e.fix) && (
          <div role="alert" className="error" data-testid="element-error">
            {e.error}
            {e.fix && <div className="fix-text">{e.fix}</div>}
          </div>
        )}
        <dl className="kv">
          <dt>{el.card.klingId}</dt>
          <dd data-testid="element-kling-id">{e.klingId ?? el.card.noKlingId}</dd>
          <dt>{el.card.account}</dt>
          <dd>{e.account}</dd>
          <dt>{el.card.usedBy}</dt>
          <dd data-testid="element-used-by">
            {e.usedBy.length ? e.usedBy.map((u) => `${u.storyboardId} · ${u.shotId}`).join(', ') : el.card.unused}
          </dd>
          {e.subject && (
            <>
              <dt>{el.card.subject}</dt>
              <dd>{e.subject}</dd>
            </>
          )}
        </dl>
        <div className="row">
          <span className="muted">{el.card.source[e.source]}</span>
          <span className="spacer" />
          {!gone && (
            <button type="button" className="danger" disabled={busy || confirm} onClick={() => setConfirm(true)}>
              {el.card.delete(e.id)}
            </button>
          )}
        </div>
        {confirm && (
          <ConfirmBox
            title={el.confirm.title(e.id)}
            testId="confirm-delete-element"
            yes={el.confirm.yes}
            no={el.confirm.no}
            busy={busy}
            danger
            onYes={remove}
            onNo={() => setConfirm(false)}
          >
            <p>{el.confirm.body(e.account, e.usedBy.length)}</p>
          </ConfirmBox>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </li>
  );
}
