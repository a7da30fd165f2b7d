/**
 * The element runner: creates the library's elements at Kling as durable jobs of their own
 * (docs/architecture.md, "What the queue guarantees"), ticked by its own small loop started and stopped with the engine
 * (electron/core/engine/runner.ts). Per row: queued -> (external id kept, synchronous=FULL)
 * submitting -> POST -> running -> poll -> ready (Kling id stored) | failed | blocked. A row
 * found in `submitting` (a crash, a lost answer) is first looked up by its external id and
 * adopted if Kling has it; only "not found" sends the create again, so an element is never
 * created twice. Transient trouble (timeouts, 5xx, 1302/1303) waits with backoff and is judged by
 * a time budget, as jobs are; what needs the user (key, balance, bad input) is blocked or failed
 * with the fix.
 */
import type Database from 'better-sqlite3';

import type { ElementCreateBody } from '../../../shared/elements/wire';
import { filterPrompt } from '../../../shared/privacy/pii';
import { ShotlineError } from '../../../shared/result';
import type { ResolvedElement } from '../../../shared/storyboard/schema';
import type { KlingClient } from '../kling/client';
import { isKlingError } from '../kling/errors';
import { loadImageFile } from '../kling/images';
import { getPrivacySettings } from '../privacy/settings';
import { looksLikeUrl } from '../../../shared/kling/images';
import { elementIdsFor, ensureElements, getElement, moveElement, type ElementRow } from './library';

export interface ElementRunnerOptions {
  db: Database.Database;
  client: KlingClient;
  account: string;
  /** Tick period (default 1000 ms; the sandbox 250). */
  pollMs?: number;
  /** First retry delay after transient trouble; doubles up to 60 s. Default 1000. */
  baseDelayMs?: number;
  /** Time in transient trouble before an element is blocked (default 12 h, as jobs). */
  transientBudgetMs?: number;
  /** How long a job may wait inside `idsFor` before it is told to come back (default 10 min). */
  maxWaitMs?: number;
  log?: (line: string) => void;
  /** An element changed state (the app emits `elements.changed`). */
  onChange?: (key: string) => void;
  now?: () => number;
}

/** Thrown by `idsFor` when the elements are still being created: the job should wait, not fail. */
export class ElementsWaiting extends Error {
  constructor(
    readonly aliases: readonly string[],
    readonly waitMs: number,
  ) {
    super(`waiting for element${aliases.length === 1 ? '' : 's'} ${aliases.join(', ')} to be created at Kling`);
    this.name = 'ElementsWaiting';
  }
}

const OPEN = "('queued', 'submitting', 'running')";

/** The create body for an element (images loaded and checked as frames are: raw base64). */
export async function elementBody(el: ResolvedElement, externalTaskId: string): Promise<ElementCreateBody> {
  const base = { element_name: el.name, element_description: el.description, external_task_id: externalTaskId };
  if (el.source === 'video')
    return {
      ...base,
      reference_type: 'video_refer',
      element_video_list: { refer_videos: [{ video_url: el.video ?? '' }] },
    };
  const load = async (field: string, p: string): Promise<string> =>
    looksLikeUrl(p) ? p : (await loadImageFile(`element ${el.id}, ${field}`, p)).base64;
  const frontal = await load('frontalImage', el.frontalImage ?? '');
  const refs: Array<{ image_url: string }> = [];
  for (const [i, p] of (el.referenceImages ?? []).entries())
    refs.push({ image_url: await load(`referenceImages[${i}]`, p) });
  return { ...base, reference_type: 'image_refer', element_image_list: { frontal_image: frontal, refer_images: refs } };
}

export class ElementRunner {
  private readonly o: Required<Omit<ElementRunnerOptions, 'log' | 'onChange'>> & ElementRunnerOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly ac = new AbortController();

  constructor(opts: ElementRunnerOptions) {
    this.o = {
      pollMs: 1000,
      baseDelayMs: 1000,
      transientBudgetMs: 12 * 3_600_000,
      maxWaitMs: 600_000,
      now: Date.now,
      ...opts,
    };
  }

  get account(): string {
    return this.o.account;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Tick soon (an element was queued). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ac.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(this.o.pollMs);
      });
    }, ms);
  }

  /** One pass over this account's open elements that are due. */
  async tick(): Promise<void> {
    const now = this.o.now();
    const due = this.o.db
      .prepare<[string, number], ElementRow>(
        `SELECT * FROM elements WHERE account = ? AND state IN ${OPEN} AND (next_at IS NULL OR next_at <= ?) ORDER BY created_at, rowid`,
      )
      .all(this.o.account, now);
    for (const row of due) {
      if (this.stopped) return;
      await this.step(row);
    }
  }

  /**
   * The engine's hook (EngineOptions.elementIds): the Kling ids of the elements a job names,
   * created first if need be. Waits while they are made (a few seconds at Kling); past
   * `maxWaitMs`, or when the runner stops, throws ElementsWaiting (the job should come back).
   */
  async idsFor(storyboardId: string, names: readonly string[]): Promise<Record<string, string>> {
    const started = this.o.now();
    for (;;) {
      const a = elementIdsFor(this.o.db, this.o.account, storyboardId, names);
      if ('ready' in a) return a.ready;
      if ('failed' in a)
        throw new ShotlineError({ code: 'validation', where: 'elements', message: `${a.failed}. Fix: ${a.fix}` });
      if (this.stopped || this.o.now() - started >= this.o.maxWaitMs)
        throw new ElementsWaiting(a.waiting, this.o.pollMs);
      this.wake();
      await new Promise((r) => setTimeout(r, this.o.pollMs));
    }
  }

  /** Enqueue time: every element the storyboard defines gets its live element in this account. */
  ensure(storyboardId: string): void {
    for (const row of ensureElements(this.o.db, this.o.account, storyboardId).values())
      if (row.state === 'queued') this.changed(row.key);
    this.wake();
  }

  private changed(key: string): void {
    this.o.onChange?.(key);
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  private async step(row: ElementRow): Promise<void> {
    if (row.state === 'queued') await this.submit(row);
    else if (row.state === 'submitting') await this.reconcile(row);
    else if (row.state === 'running') await this.poll(row);
  }

  private async submit(row: ElementRow, from: 'queued' | 'submitting' = 'queued'): Promise<void> {
    const el = JSON.parse(row.spec) as ResolvedElement;
    const ext = row.external_task_id as string;
    let body: ElementCreateBody;
    try {
      body = await elementBody(el, ext);
    } catch (err) {
      this.fail(
        row,
        from,
        (err as Error).message,
        'replace the image (png or jpg, at least 300 px a side, at most 10 MB, 1:2.5 to 2.5:1) and run again',
      );
      return;
    }
    // Name and description leave as prompts do: through the PII filter in the privacy settings'
    // mode (docs/readme/privacy.md): masked text is sent; in block mode the element waits for the fix.
    const pii = getPrivacySettings(this.o.db);
    const name = filterPrompt(body.element_name, { mode: pii.piiMode, terms: pii.piiTerms });
    const description = filterPrompt(body.element_description, { mode: pii.piiMode, terms: pii.piiTerms });
    if (name.blocked || description.blocked) {
      const what = [name.blocked ? 'name' : null, description.blocked ? 'description' : null].filter(Boolean);
      const kinds = [...new Set([...name.findings, ...description.findings].map((f) => f.kind))].join(', ');
      moveElement(this.o.db, row.key, from, {
        state: 'blocked',
        error: `element ${row.alias}: the ${what.join(' and ')} contains personal data (${kinds}); the PII mode is "block"`,
        fix: `remove it from the element's ${what.join(' and ')} in the storyboard (or set the PII mode to "mask" in Settings, Privacy) and run again`,
        next_at: null,
      });
      this.log(`element ${row.alias}: blocked: personal data in its ${what.join(' and ')}`);
      this.changed(row.key);
      return;
    }
    body = {
      ...body,
      element_name: name.text.slice(0, 20),
      element_description: description.text.slice(0, 100),
    };
    // The intent to create, durably, before the request leaves (docs/architecture.md, "What the queue guarantees").
    if (
      from === 'queued' &&
      !moveElement(
        this.o.db,
        row.key,
        'queued',
        { state: 'submitting', submits: row.submits + 1, reconcile: 0 },
        { durable: true },
      )
    )
      return;
    if (from === 'submitting')
      moveElement(this.o.db, row.key, 'submitting', { submits: row.submits + 1, reconcile: 0 }, { durable: true });
    this.changed(row.key);
    try {
      const task = await this.o.client.elements.create(body, this.ac.signal);
      moveElement(this.o.db, row.key, 'submitting', {
        state: 'running',
        task_id: task.taskId,
        next_at: null,
        transient_since: null,
        error: null,
        fix: null,
      });
      this.log(`element ${row.alias}: created at Kling as task ${task.taskId}`);
      this.changed(row.key);
    } catch (err) {
      // An unclear answer: the task may exist. The next tick looks it up by external id first.
      this.trouble(row, 'submitting', err, { reconcile: 1 });
    }
  }

  private async reconcile(row: ElementRow): Promise<void> {
    let found;
    try {
      found = await this.o.client.elements.get(row.external_task_id as string, this.ac.signal);
    } catch (err) {
      this.trouble(row, 'submitting', err, { reconcile: 1 });
      return;
    }
    if (found) {
      this.log(
        `element ${row.alias}: found task ${found.taskId} for ${row.external_task_id}; adopted, not created again`,
      );
      moveElement(this.o.db, row.key, 'submitting', {
        state: 'running',
        task_id: found.taskId,
        reconcile: 0,
        next_at: null,
        transient_since: null,
      });
      this.changed(row.key);
      return;
    }
    await this.submit({ ...row, reconcile: 0 }, 'submitting');
  }

  private async poll(row: ElementRow): Promise<void> {
    let task;
    try {
      task = await this.o.client.elements.get(row.task_id ?? (row.external_task_id as string), this.ac.signal);
    } catch (err) {
      this.trouble(row, 'running', err, {});
      return;
    }
    if (!task) {
      this.fail(
        row,
        'running',
        `Kling no longer knows the element task ${row.task_id ?? ''}`,
        'run the storyboard again to create the element anew',
      );
      return;
    }
    if (task.status === 'succeed' && task.elementId) {
      moveElement(this.o.db, row.key, 'running', {
        state: 'ready',
        kling_id: task.elementId,
        next_at: null,
        transient_since: null,
        error: null,
        fix: null,
      });
      this.log(`element ${row.alias}: ready at Kling as element ${task.elementId}`);
      this.changed(row.key);
    } else if (task.status === 'failed') {
      this.fail(
        row,
        'running',
        `Kling did not create it: ${task.message || 'the task failed'}`,
        'check the images (a clear, realistic subject) and run again',
      );
    } else {
      moveElement(this.o.db, row.key, 'running', { next_at: this.o.now() + this.o.pollMs });
    }
  }

  private fail(row: ElementRow, from: ElementRow['state'], error: string, fix: string): void {
    moveElement(this.o.db, row.key, from, { state: 'failed', error, fix, next_at: null });
    this.log(`element ${row.alias}: failed: ${error}`);
    this.changed(row.key);
  }

  /** Transient: wait with backoff inside the time budget. Business refusals: failed or blocked with Kling's words. */
  private trouble(row: ElementRow, from: 'submitting' | 'running', err: unknown, patch: Partial<ElementRow>): void {
    if (this.stopped && (err as Error).name === 'AbortError') return;
    const now = this.o.now();
    if (isKlingError(err) && !err.retryable) {
      const why = `Kling refused it: ${err.message}`;
      if (err.category === 'auth' || err.category === 'account' || err.category === 'permission') {
        moveElement(this.o.db, row.key, from, {
          state: 'blocked',
          error: why,
          fix: 'check the key and the account at Kling (Settings), then run again',
          next_at: null,
          ...patch,
        });
        this.changed(row.key);
      } else
        this.fail(
          row,
          from,
          why,
          'fix the element (name at most 20 characters, description at most 100, 1-3 reference images) and run again',
        );
      return;
    }
    const since = row.transient_since ?? now;
    if (now - since > this.o.transientBudgetMs) {
      moveElement(this.o.db, row.key, from, {
        state: 'blocked',
        error: `Kling could not be reached for the element since ${new Date(since).toISOString()}: ${(err as Error).message}`,
        fix: 'run again once Kling answers',
        ...patch,
      });
      this.changed(row.key);
      return;
    }
    const tries = Math.max(0, Math.round(Math.log2(Math.max(1, (now - since) / this.o.baseDelayMs))));
    const delay = Math.min(60_000, this.o.baseDelayMs * 2 ** tries) * (0.75 + Math.random() / 2);
    moveElement(this.o.db, row.key, from, {
      next_at: now + Math.round(delay),
      transient_since: since,
      error: (err as Error).message,
      ...patch,
    });
    this.log(`element ${row.alias}: ${(err as Error).message}; trying again in ${Math.round(delay)} ms`);
  }

  /** Reads a row again (tests, handlers). */
  row(key: string): ElementRow | undefined {
    return getElement(this.o.db, key);
  }
}
