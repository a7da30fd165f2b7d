/**
 * The morning report's outage lines (issue 14): each outage the engine waited out during a
 * batch, with its start, end (or "still going"), what it was, and how many takes waited.
 * Mounted in the Batch page's morning report with the batch id.
 */
import { useEffect, useState } from 'react';

import type { OutageView } from '../../../shared/contract';
import { call, subscribe } from '../lib/api';

const KIND: Record<OutageView['kind'], string> = {
  server: 'unavailable (server errors)',
  unreachable: 'unreachable',
  network: 'network down',
};

const hhmm = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

function length(from: string, to: string): string {
  const s = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function OutageReport({ batchId }: { batchId: string }): React.JSX.Element | null {
  const [outages, setOutages] = useState<{ batchId: string; list: OutageView[] } | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => subscribe('engine.health', () => setTick((n) => n + 1)), []);
  useEffect(() => {
    let live = true;
    call('engine.outages', { batchId }).then(
      (r) => live && setOutages({ batchId, list: r.outages }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [batchId, tick]);
  const list = outages?.batchId === batchId ? outages.list : [];
  if (list.length === 0) return null;
  return (
    <div data-testid="outage-report">
      <p>
        Waited out {list.length} outage{list.length === 1 ? '' : 's'} (no take failed for it):
      </p>
      <ul>
        {list.map((o) => (
          <li key={o.id} data-testid="outage-line">
            {hhmm(o.startedAt)}–
            {o.endedAt ? `${hhmm(o.endedAt)} (${length(o.startedAt, o.endedAt)})` : 'not seen to end'}:{' '}
            {o.kind === 'network' ? KIND.network : `${o.provider} ${KIND[o.kind]}`}; {o.jobsWaiting} take
            {o.jobsWaiting === 1 ? '' : 's'} waited
            {o.probes > 0 ? `, ${o.probes} unanswered probe${o.probes === 1 ? '' : 's'}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
