import { useEffect, useRef } from 'react';

import { t } from '../i18n/strings';

/** The shortcut sheet (`?`): a modal dialog, focus moves in and Esc closes it. */
export function HelpSheet({ onClose }: { onClose: () => void }): React.JSX.Element {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
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
