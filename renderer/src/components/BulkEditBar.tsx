/**
 * Bulk edits over the table's selected shots (issue 17 item 6): model, resolution, duration and
 * takes, applied together as one undo step. The page checks the edit first
 * (state/storyboard-bulk.ts); a refusal lists the shots and the reason, and nothing changes.
 */
import { useState } from 'react';

import { CAPABILITIES, LIVE_MODELS, RESOLUTIONS, type KlingModel, type Resolution } from '../../../shared/kling';
import { MAX_TAKES } from '../../../shared/storyboard/schema';
import { sp } from '../i18n/storyboard-pictures';
import type { BulkPatch, BulkRefusal } from '../state/storyboard-bulk';

/** Every duration some live model offers: a value a selected shot's model lacks is refused, not hidden. */
const DURATIONS = [...new Set(LIVE_MODELS.flatMap((m) => CAPABILITIES[m].durations))].sort((a, b) => a - b);
const TAKES = Array.from({ length: MAX_TAKES }, (_, i) => i + 1);

interface Props {
  count: number;
  /** Applies the patch; returns the refusals (nothing applied) or null when it was applied. */
  onApply: (patch: BulkPatch) => BulkRefusal[] | null;
}

function describe(p: BulkPatch): string {
  return [
    p.model && CAPABILITIES[p.model].label,
    p.resolution,
    p.duration !== undefined && `${p.duration} s`,
    p.takes !== undefined && `×${p.takes}`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function BulkEditBar({ count, onApply }: Props): React.JSX.Element {
  const [model, setModel] = useState('');
  const [resolution, setResolution] = useState('');
  const [duration, setDuration] = useState('');
  const [takes, setTakes] = useState('');
  const [refusals, setRefusals] = useState<BulkRefusal[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const patch: BulkPatch = {
    ...(model ? { model: model as KlingModel } : {}),
    ...(resolution ? { resolution: resolution as Resolution } : {}),
    ...(duration ? { duration: Number(duration) } : {}),
    ...(takes ? { takes: Number(takes) } : {}),
  };
  const empty = Object.keys(patch).length === 0;
  const apply = (): void => {
    const r = onApply(patch);
    setRefusals(r);
    if (r) return setDone(null);
    setDone(sp.applied(describe(patch), count));
    setModel('');
    setResolution('');
    setDuration('');
    setTakes('');
  };
  const select = (
    label: string,
    value: string,
    set: (v: string) => void,
    options: ReadonlyArray<{ value: string; text: string }>,
  ): React.JSX.Element => (
    <label>
      <span className="visually-hidden">{label}</span>
      <select aria-label={label} value={value} onChange={(e) => (set(e.target.value), setDone(null))}>
        <option value="">
          {label.split(' ')[0]} {sp.keep}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="bulk-bar" role="group" aria-label={sp.bulkTitle} data-testid="bulk-bar">
      <strong data-testid="selection-count">{sp.selected(count)}</strong>
      {select(
        sp.model,
        model,
        setModel,
        LIVE_MODELS.map((m) => ({ value: m, text: CAPABILITIES[m].label })),
      )}
      {select(
        sp.resolution,
        resolution,
        setResolution,
        RESOLUTIONS.map((r) => ({ value: r, text: r })),
      )}
      {select(
        sp.duration,
        duration,
        setDuration,
        DURATIONS.map((d) => ({ value: String(d), text: `${d} s` })),
      )}
      {select(
        sp.takes,
        takes,
        setTakes,
        TAKES.map((n) => ({ value: String(n), text: `×${n}` })),
      )}
      <button type="button" disabled={empty || count === 0} onClick={apply}>
        {sp.apply(count)}
      </button>
      {done && (
        <span role="status" className="muted" data-testid="bulk-done">
          {done}
        </span>
      )}
      {refusals && (
        <div role="alert" className="error bulk-refused" data-testid="bulk-refused">
          <p>{sp.refused(refusals.reduce((n, r) => n + r.shots.length, 0))}</p>
          <ul>
            {refusals.map((r, i) => (
              <li key={i}>
                {r.shots.length > 0 && <strong>{sp.refusedShots(r.shots)}: </strong>}
                {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
