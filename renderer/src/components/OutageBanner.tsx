/**
 * The Queue page's outage banner (issue 14): "Kling unreachable since 02:14; next try in 40 s"
 * (or "network down ...") while the engine waits out an outage, with a live countdown; nothing
 * when Kling answers. Fed by `engine.health` (asked at mount and every 15 s, for a CLI run on
 * the same data dir) and its event (the app's own engine).
 */
import { useEffect, useState } from 'react';

import type { EngineHealthView } from '../../../shared/contract';
import { call, subscribe } from '../lib/api';

function countdown(nextTryAt: string | null, now: number): string {
  if (!nextTryAt) return '';
  const s = Math.round((Date.parse(nextTryAt) - now) / 1000);
  if (s <= 0) return '; trying now';
  return s < 90 ? `; next try in ${s} s` : `; next try in ${Math.round(s / 60)} min`;
}

export function OutageBanner(): React.JSX.Element | null {
  const [health, setHealth] = useState<EngineHealthView | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let live = true;
    const ask = (): void => {
      call('engine.health', {}).then(
        (h) => live && setHealth(h),
        () => undefined, // the banner is a hint: the queue list shows the errors that matter
      );
    };
    ask();
    const poll = setInterval(ask, 15_000);
    const off = subscribe('engine.health', (h) => setHealth(h));
    return () => {
      live = false;
      clearInterval(poll);
      off();
    };
  }, []);
  const down = health !== null && health.state !== 'up' && health.message !== null;
  useEffect(() => {
    if (!down) return undefined;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [down]);
  if (!down || !health.message) return null;
  const text = health.message.replace(/; next try.*$/, '') + countdown(health.nextTryAt, now);
  return (
    <p className="outage-banner" role="status" data-testid="outage-banner" title={health.lastError ?? undefined}>
      {text}. Takes wait; nothing fails and nothing is paid twice.
    </p>
  );
}
