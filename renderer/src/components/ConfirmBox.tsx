/**
 * An inline confirmation (role alertdialog) for an action that costs or cannot be undone:
 * focus moves to the safe choice when it opens, Escape takes it. Used by the Elements page
 * (delete at Kling) and the Takes page (re-roll a whole scene).
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmBox({
  title,
  testId,
  yes,
  no,
  busy,
  danger,
  onYes,
  onNo,
  children,
}: {
  title: string;
  testId: string;
  yes: string;
  no: string;
  busy: boolean;
  danger?: boolean;
  onYes: () => void;
  onNo: () => void;
  children: ReactNode;
}): React.JSX.Element {
  const safe = useRef<HTMLButtonElement>(null);
  useEffect(() => safe.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label={title}
      className="confirm"
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.stopPropagation();
          onNo();
        }
      }}
    >
      <p>
        <strong>{title}</strong>
      </p>
      {children}
      <button type="button" className={`primary${danger ? ' danger' : ''}`} disabled={busy} onClick={onYes}>
        {yes}
      </button>{' '}
      <button ref={safe} type="button" disabled={busy} onClick={onNo}>
        {no}
      </button>
    </div>
  );
}
