/**
 * The focused take's facts in the dock (issue 17 item 2): the prompt as sent to Kling, model,
 * resolution, audio, units billed, task id, days before Kling deletes it, and the clip by name
 * (never its raw path: components/ClipLabel.tsx). What the core recorded (review.takes) when it has the take; the job's
 * own fields and its queued prompt (queue.job) otherwise.
 */
import { useEffect, useState } from 'react';

import type { TakeInfo } from '../../../../shared/contract/review';
import type { JobView } from '../../../../shared/queue';
import { ClipLabel } from '../../components/ClipLabel';
import { t } from '../../i18n/strings';
import { tk } from '../../i18n/takes';
import { call } from '../../lib/api';
import { daysLeftOf } from './sheet';

const d = tk.details;

function Fact({ label, children }: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The prompt: as sent (review.takes), else the queued one before the PII filter (queue.job). */
function usePrompt(job: JobView, info: TakeInfo | null): { label: string; text: string | null } {
  const [queued, setQueued] = useState<string | null>(null);
  const sent = info?.promptSent ?? null;
  useEffect(() => {
    if (sent !== null) return;
    let live = true;
    call('queue.job', { jobId: job.id }).then(
      (r) => live && setQueued(r.prompt),
      () => live && setQueued(null),
    );
    return () => {
      live = false;
    };
  }, [job.id, sent]);
  return sent !== null ? { label: d.prompt, text: sent } : { label: d.promptQueued, text: queued };
}

export function TakeDetails({ job, info }: { job: JobView; info: TakeInfo | null }): React.JSX.Element {
  const prompt = usePrompt(job, info);
  const days = daysLeftOf(job.expiresAt);
  const media = info?.media ?? null;
  const asked = info?.asked ?? null;
  const resolution = media ? `${media.width}×${media.height}` : null;
  const billed = info?.billedUnits ?? job.billedUnits;
  return (
    <section className="take-details" aria-label={d.title(job.take, job.shotId)} data-testid="take-details">
      <h2>{d.title(job.take, job.shotId)}</h2>
      <dl>
        <Fact label={prompt.label}>
          <span className="prompt" data-testid="detail-prompt">
            {prompt.text ?? d.none}
          </span>
        </Fact>
        <Fact label={d.model}>{asked?.model ?? job.model}</Fact>
        <Fact label={d.resolution}>
          {[asked?.resolution, resolution && `(${resolution})`, asked?.aspectRatio].filter(Boolean).join(' ') || d.none}
        </Fact>
        <Fact label={d.audio}>{media ? (media.hasAudio ? d.audioYes : d.audioNo) : (asked?.audio ?? d.none)}</Fact>
        {media && <Fact label={d.duration}>{`${media.durationS.toFixed(2)} s · ${media.fps} fps`}</Fact>}
        <Fact label={d.units}>
          <span data-testid="detail-units">{d.unitsValue(job.units, billed)}</span>
        </Fact>
        <Fact label={d.task}>
          <span data-testid="detail-task">{info?.taskId ?? job.taskId ?? d.none}</span>
        </Fact>
        <Fact label={d.kept}>{days === null ? d.none : t.takes.daysLeft(days)}</Fact>
        <Fact label={d.clip}>
          {job.file ? <ClipLabel shotId={job.shotId} take={job.take} file={job.file} testId="detail-clip" /> : d.none}
        </Fact>
        {info?.review.marks && (
          <Fact label={d.marks}>{d.marksValue(info.review.marks.inS, info.review.marks.outS)}</Fact>
        )}
      </dl>
    </section>
  );
}
