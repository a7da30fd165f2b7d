/**
 * The words of the morning report (issue 17 item 5), shared by its HTML page
 * (./report-html.ts) and its PDF (./report-pdf.ts) so both say the same thing.
 */
import type { BatchReport, ReportShot, ReportTake } from '../../../shared/contract';
import { formatCost } from '../../../shared/kling';

export const STATUS_WORD: Record<ReportShot['status'], string> = {
  done: 'done',
  partial: 'partly done',
  running: 'still running',
  blocked: 'blocked',
  failed: 'failed',
  canceled: 'canceled',
};

export function reportTitle(r: BatchReport): string {
  return `Morning report: ${r.storyboard}`;
}

/** The summary lines under the title. */
export function summaryLines(r: BatchReport): string[] {
  const when = new Date(r.createdAt).toUTCString();
  return [
    `Batch ${r.batchId}, queued ${when}; ${r.minutes} min${r.live ? ' so far (still running)' : ''}.`,
    `Takes: ${r.counts.done} done, ${r.counts.failed} failed, ${r.counts.blocked} blocked, ${r.counts.canceled} canceled${r.counts.open ? `, ${r.counts.open} still open` : ''}.`,
    `Cost: billed ${formatCost(r.billedUnits)}${r.unbilledTakes ? ` (${r.unbilledTakes} take(s) not billed yet)` : ''}; estimate ${formatCost(r.estimatedUnits)}.`,
  ];
}

/** One take in a line: "T2 failed: <why> -> Fix: <fix>" or "T1 done, billed 5 u (picked)". */
export function takeLine(t: ReportTake): string {
  const cost = t.state === 'done' ? `, billed ${t.billedUnits === null ? 'not yet' : formatCost(t.billedUnits)}` : '';
  const review = [t.picked ? 'picked' : '', t.rejected ? 'rejected' : '', t.rating ? `rated ${t.rating}/5` : '']
    .filter(Boolean)
    .join(', ');
  const why = t.error ? `: ${t.error}` : '';
  const fix = t.fix ? ` -> Fix: ${t.fix}` : '';
  const note = t.note ? ` Note: "${t.note}"` : '';
  return `T${t.take} ${t.state}${cost}${review ? ` (${review})` : ''}${why}${fix}${note}`;
}

export function shotHeading(s: ReportShot): string {
  const done = s.takes.filter((t) => t.state === 'done').length;
  return `${s.shotId}: ${STATUS_WORD[s.status]} (${done}/${s.takes.length} take(s) done)`;
}
