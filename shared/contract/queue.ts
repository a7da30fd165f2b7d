/** The job queue: enqueue a storyboard, list and act on jobs and batches; live events. */
import { z } from 'zod';

import { PROVIDER_IDS } from '../kling/providers';
import { AttemptView, BatchSummary, JobEvent, JobState, JobView } from '../queue';
import { method } from './define';

const Id = z.string().min(1).max(200);

export const QueueListInput = z
  .object({
    batchId: Id.optional(),
    storyboardId: Id.optional(),
    state: JobState.optional(),
    /** Paging: the list is ordered by priority (high first), then storyboard order. */
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(20_000).default(20_000),
  })
  .strict();

export const queueContract = {
  'queue.enqueue': method(
    z
      .object({
        storyboardId: Id,
        /** Key profile (keychain); default: the provider's default profile, or env keys. */
        profile: z.string().optional(),
        provider: z.enum(PROVIDER_IDS).optional(),
        /** Cap in Kling units: no new submission once submitted + next would pass it. */
        budgetUnits: z.number().positive().optional(),
        /** This batch's PII decision (default: the mode in privacy settings). */
        piiMode: z.enum(['mask', 'block', 'allow']).optional(),
        priority: z.number().int().optional(),
        /** Start working the queue now (default true). */
        start: z.boolean().optional(),
      })
      .strict(),
    z.object({
      batchId: z.string(),
      jobs: z.number().int(),
      existing: z.number().int(),
      /** The provider the batch runs on (the sandbox is a simulator) and why it was chosen. */
      provider: z.enum(PROVIDER_IDS),
      reason: z.string(),
      /** Nothing new to do: every take of this storyboard already has a job (batchId is their batch); no batch was made. */
      alreadyQueued: z.boolean().optional(),
      /** Every take of the storyboard as it is now, new and kept, in storyboard order (the CLI's run works and reports these). */
      jobIds: z.array(z.string()).optional(),
    }),
    'Creates one job per take of each shot (takes already made for the same shot settings are kept, never redone) and starts the engine.',
  ),
  'queue.list': method(
    QueueListInput,
    z.object({ jobs: z.array(JobView), total: z.number().int() }),
    'Jobs, filtered and paged (fast for 10,000 jobs).',
  ),
  'queue.job': method(
    z.object({ jobId: Id }).strict(),
    z.object({ job: JobView, attempts: z.array(AttemptView), events: z.array(JobEvent), prompt: z.string() }),
    'One job with its attempts, event history and the prompt its next submission sends (before the PII filter).',
  ),
  'queue.batches': method(
    z.object({}).strict(),
    z.object({ batches: z.array(BatchSummary) }),
    'Batch summaries (counts per state, units), newest first.',
  ),
  'queue.pause': method(
    z.object({ batchId: Id }).strict(),
    z.object({ batch: BatchSummary }),
    'Stops new submissions for a batch; tasks already at Kling finish and download.',
  ),
  'queue.resume': method(
    z.object({ batchId: Id }).strict(),
    z.object({ batch: BatchSummary }),
    'Resumes a paused batch (also after a balance top-up).',
  ),
  'queue.cancel': method(
    z.object({ jobId: Id.optional(), batchId: Id.optional() }).strict(),
    z.object({ changed: z.number().int() }),
    'Cancels a job or every unfinished job of a batch (a task already at Kling still finishes there).',
  ),
  'queue.retry': method(
    z
      .object({
        jobId: Id.optional(),
        batchId: Id.optional(),
        /** A changed prompt for this one take (with jobId): what a content-policy refusal needs. */
        prompt: z.string().trim().min(1).max(2500).optional(),
      })
      .strict(),
    z.object({ changed: z.number().int() }),
    'Queues failed/blocked/canceled jobs again; a job whose task already exists is downloaded, not resubmitted. A take Kling refused for its content is queued again only with a changed prompt (the batch form skips it).',
  ),
  'queue.reprioritise': method(
    z.object({ jobId: Id, priority: z.number().int().min(-1000).max(1000) }).strict(),
    z.object({ job: JobView }),
    'Higher priority jobs are submitted first.',
  ),
  'queue.reroll': method(
    z
      .object({
        shotId: Id,
        storyboardId: Id.optional(),
        /** The batch of the take being re-rolled (default: the storyboard's newest). */ batchId: Id.optional(),
      })
      .strict(),
    z.object({
      jobId: z.string(),
      take: z.number().int(),
      /** A shot of a multi-shot scene: the new take is of the whole scene (one task, one charge). */
      scene: z
        .object({ id: z.string(), shotIds: z.array(z.string()), jobIds: z.array(z.string()), units: z.number() })
        .optional(),
    }),
    "Adds one more take of a shot to its take's batch (given), else the storyboard's newest. A shot of a scene re-rolls the whole scene (scene in the answer).",
  ),
} as const;

export const queueEvents = {
  'job.changed': z.object({ job: JobView }),
  'batch.progress': z.object({ batch: BatchSummary }),
} as const;
