/**
 * Settings → Outages (issue 14 item 1): how long a take may wait out Kling or network outages
 * (awake time) before it is blocked with the fix; the CLI's --transient-budget overrides it for
 * one run. Applies when the engine next starts.
 */
import { useEffect, useState } from 'react';

import { call } from '../lib/api';

export function OutageSettings(): React.JSX.Element {
  const [hours, setHours] = useState('');
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    call('engine.settings.get', {}).then(
      (s) => setHours(String(s.transientBudgetHours)),
      (e: Error) => setNote(e.message),
    );
  }, []);
  const save = (): void => {
    const h = Number(hours);
    if (!(h >= 0.01 && h <= 720)) {
      setNote('Outage wait: give hours from 0.01 to 720 (e.g. 12).');
      return;
    }
    call('engine.settings.set', { transientBudgetHours: h }).then(
      (s) => {
        setHours(String(s.transientBudgetHours));
        setNote(`Saved: takes wait out outages for up to ${s.transientBudgetHours} h (from the next engine start).`);
      },
      (e: Error) => setNote(e.message),
    );
  };
  return (
    <section aria-labelledby="outages-title">
      <h2 id="outages-title">Outages</h2>
      <p className="muted">
        When Kling or the network is down, takes wait (nothing fails, nothing is paid twice) and Shotline checks about
        once a minute. Past this much awake time a take is blocked until you run it again.
      </p>
      <label>
        Wait at most (hours){' '}
        <input type="number" min={0.01} max={720} step={0.5} value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>{' '}
      <button type="button" onClick={save}>
        Save
      </button>
      {note && (
        <p role="status" data-testid="outage-settings-note">
          {note}
        </p>
      )}
    </section>
  );
}
