import { useEffect, useRef } from 'react';

import { t } from '../i18n/strings';

/** The shortcut sheet (`?`): a modal dialog, focus moves in and Esc closes it. */
export function HelpSheet({ onClose }: { onClose: () => void }): React.JSX.Element {
  const ref = useRef<HTMLButtonElement>(null);
  // Focus moves into the sheet and back to where it was when the sheet closes.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        className="dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          // The close button is the only stop: Tab stays inside the modal.
          if (e.key === 'Tab') {
            e.preventDefault();
            ref.current?.focus();
          }
        }}
      >
        <h2 id="help-title">{t.help.title}</h2>
        <table className="shortcuts">
          <tbody>
            {t.help.rows.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">
                  <kbd>{k}</kbd>
                </th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={ref} type="button" onClick={onClose}>
          {t.help.close}
        </button>
      </div>
    </div>
  );
}
