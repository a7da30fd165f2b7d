/**
 * The durable job queue over SQLite. Every state change is one transaction that checks the
 * job's current state and claim token, updates the row and appends an event row; a write
 * from a worker whose claim was taken away (cancel, retry, a newer instance) changes
 * nothing and returns false, so the stale worker stops.
 *
 * Leases are claim tokens owned by one engine instance, not timestamps: only one instance
 * works a data dir (engine lock), and on start it rescues every claim of earlier ones.
 * Nothing is judged by wall-clock age, so a laptop waking from sleep loses nothing.
 */
import { createHash, randomBytes } from 'node:crypto';

import type Database from 'better-sqlite3';

import {
  canTransition,
  type AttemptView,
  type BatchSummary,
  type JobEvent,
  type JobScene,
  type JobState,
  type JobView,
  type StateCounts,
  JOB_STATES,
} from '../../../shared/queue';
import type { PiiMode } from '../../../shared/privacy/pii';
import type { ParsedStoryboard } from '../../../shared/storyboard/validate';
import type { ResolvedShot } from '../../../shared/storyboard/schema';
import { ShotlineError } from '../../../shared/result';
import { sceneRuns, sceneSpecHash } from './scenes';

export interface JobRow {
  id: string;
  batch_id: string;
  shot_pk: number;
  storyboard_id: string;
  shot_id: string;
  take: number;
  seq: number;
  spec_hash: string;
  spec: string;
  subject: string | null;
  kind: string;
  model: string;
  units: number;
  priority: number;
  state: JobState;
  state_since: string;
  attempts: number;
  transient_failures: number;
  /** Awake ms spent in transient trouble (outages), for the time budget (engine.ts). */
  transient_ms: number;
  submits: number;
  external_task_id: string;
  reconcile: number;
  task_id: string | null;
  claim_token: string | null;
  claimed_by: string | null;
  next_at: number | null;
  video_id: string | null;
  video_url: string | null;
  video_duration: number | null;
  file: string | null;
  expires_at: string | null;
  units_charged: number | null;
  error_code: string | null;
  error: string | null;
  fix: string | null;
  retryable: number;
  created_at: string;
  updated_at: string;
  /** Multi-shot scenes (schema step 180): the scene's name, the group of one scene take, lead or member, the whole scene clip. */
  scene_id: string | null;
  scene_group: string | null;
  scene_role: 'lead' | 'member' | null;
  scene_file: string | null;
}

/** Columns a transition may set besides the state. */
export type JobPatch = Partial<
  Pick<
    JobRow,
    | 'attempts'
    | 'transient_failures'
    | 'transient_ms'
    | 'submits'
    | 'external_task_id'
    | 'reconcile'
    | 'task_id'
    | 'next_at'
    | 'video_id'
    | 'video_url'
    | 'video_duration'
    | 'file'
    | 'expires_at'
    | 'units_charged'
    | 'error_code'
    | 'error'
    | 'fix'
    | 'retryable'
    | 'priority'
  >
>;

const PATCH_COLUMNS = new Set<string>([
  'attempts',
  'transient_failures',
  'transient_ms',
  'submits',
  'external_task_id',
  'reconcile',
  'task_id',
  'next_at',
  'video_id',
  'video_url',
  'video_duration',
  'file',
  'expires_at',
  'units_charged',
  'error_code',
  'error',
  'fix',
  'retryable',
  'priority',
]);

// Random bytes drawn 4 KiB at a time: one getrandom call per id made enqueueing 10,000 takes
// spend more time in the kernel than in SQLite.
let pool = Buffer.alloc(0);
let poolAt = 0;
export const newId = (bytes = 8): string => {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(Math.max(4096, bytes));
    poolAt = 0;
  }
  const id = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return id;
};
const iso = (ms = Date.now()): string => new Date(ms).toISOString();
/** The states in which a job still moves without a person (SQL list). */
const OPEN_STATES = "('queued','submitting','running','downloading')";

/** A storyboard id from its name: stable across reruns, safe in paths. */
export function storyboardIdFor(name: string): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'storyboard';
  return `${slug}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
}

/** What makes two takes the same work: the settings Kling sees (not the take count). */
export function specHash(shot: ResolvedShot): string {
  const { index: _i, row: _r, takes: _t, unitsPerTake: _u, subject: _s, ...rest } = shot;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

export interface EnqueueOptions {
  budgetUnits?: number | null;
  provider?: string | null;
  profile?: string | null;
  priority?: number;
  /** The batch's PII decision; null = the mode in privacy settings. */
  piiMode?: PiiMode | null;
}

export interface EnqueueResult {
  batchId: string;
  /** Jobs created now. */
  created: number;
  /** Takes that already had a job (kept, never redone). */
  existing: number;
  /** Every job id of the storyboard's current shots and takes, in storyboard order. */
  jobIds: string[];
}

export type ChangeListener = (jobId: string) => void;

/** A re-roll: the new take of the shot; for a shot of a scene, the new take of every shot of the scene (one task). */
export interface RerollResult {
  jobId: string;
  take: number;
  scene?: { id: string; shotIds: string[]; jobIds: string[]; units: number };
}

export class QueueStore {
  /**
   * Private: the queue's tables are read and written here only (docs/architecture.md, "One owner
   * per table"; test/unit/queue/table-owner.test.ts). Other rooms get their own handle from the caller.
   */
  private readonly db: Database.Database;
  private listeners = new Set<ChangeListener>();
  private batchListeners = new Set<(batchId: string) => void>();
  private stmts: ReturnType<QueueStore['prepare']>;
  /** Transition statements by their SQL (a handful of shapes; compiling one costs more than running it). */
  private cache = new Map<string, Database.Statement>();
  /** Scene group of each job seen (fixed at insert; null for a shot alone): transitions ask on every write. */
  private scenes = new Map<string, { group: string; role: 'lead' | 'member'; scene: string } | null>();

  constructor(db: Database.Database) {
    this.db = db;
    this.stmts = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      job: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      batchOf: db.prepare<[string], { batch_id: string }>('SELECT batch_id FROM jobs WHERE id = ?'),
      event: db.prepare(
        'INSERT INTO events (at, job_id, batch_id, type, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      claim: db.prepare<[string, string, string, string], JobRow>(
        `UPDATE jobs SET claim_token = ?, claimed_by = ?, updated_at = ?
         WHERE id = ? AND claim_token IS NULL RETURNING *`,
      ),
      release: db.prepare('UPDATE jobs SET claim_token = NULL, claimed_by = NULL WHERE id = ? AND claim_token = ?'),
      candidates: db.prepare<[string, number, number], { id: string }>(
        `SELECT j.id FROM jobs j JOIN batches b ON b.id = j.batch_id
         WHERE j.state = ? AND j.claim_token IS NULL AND b.paused = 0 AND (j.next_at IS NULL OR j.next_at <= ?) AND (j.scene_role IS NULL OR j.scene_role = 'lead')
         ORDER BY j.priority DESC, j.seq LIMIT ?`,
      ),
    };
  }

  /** A statement compiled once per store (see `cache`). */
  private cached(sql: string): Database.Statement {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  onChange(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onBatch(l: (batchId: string) => void): () => void {
    this.batchListeners.add(l);
    return () => this.batchListeners.delete(l);
  }
  private changed(jobId: string): void {
    for (const l of this.listeners) l(jobId);
  }
  private batchChanged(batchId: string): void {
    for (const l of this.batchListeners) l(batchId);
  }

  appendEvent(e: {
    jobId?: string | null;
    batchId?: string | null;
    type: string;
    from?: string | null;
    to?: string | null;
    detail?: string | null;
  }): void {
    this.stmts.event.run(
      iso(),
      e.jobId ?? null,
      e.batchId ?? null,
      e.type,
      e.from ?? null,
      e.to ?? null,
      e.detail ?? null,
    );
  }

  // ---------- storyboards ----------

  /** Stores (or updates, by name) a validated storyboard; returns its id. One transaction. */
  saveStoryboard(
    parsed: ParsedStoryboard,
    meta: { sourcePath: string | null; format: string; contentSha256: string },
  ): string {
    const id = storyboardIdFor(parsed.name);
    const now = iso();
    const db = this.db;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO storyboards (id, name, source_path, format, content_sha256, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET source_path = excluded.source_path, format = excluded.format, content_sha256 = excluded.content_sha256, updated_at = excluded.updated_at`,
      ).run(id, parsed.name, meta.sourcePath, meta.format, meta.contentSha256, now, now);
      db.prepare('UPDATE shots SET active = 0 WHERE storyboard_id = ?').run(id);
      const upsert = db.prepare(
        `INSERT INTO shots (storyboard_id, shot_id, ord, prompt, subject, takes, units_per_take, spec, spec_hash, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT(storyboard_id, shot_id) DO UPDATE SET ord = excluded.ord, prompt = excluded.prompt, subject = excluded.subject, takes = excluded.takes,
           units_per_take = excluded.units_per_take, spec = excluded.spec, spec_hash = excluded.spec_hash, active = 1`,
      );
      // A shot of a scene shares the scene's hash: a take of a scene is one generation (scenes.ts).
      for (const run of sceneRuns(parsed.shots, (s) => s.scene)) {
        const hashes = run.map((s) => specHash(s));
        const scene = run[0]?.scene;
        const shared = scene !== undefined ? sceneSpecHash(hashes, scene) : null;
        run.forEach((s, i) =>
          upsert.run(
            id,
            s.id,
            s.index,
            s.prompt,
            s.subject ?? null,
            s.takes,
            s.unitsPerTake,
            JSON.stringify(s),
            shared ?? hashes[i],
          ),
        );
      }
      this.appendEvent({
        type: 'storyboard.imported',
        detail: JSON.stringify({ storyboardId: id, shots: parsed.shots.length }),
      });
    }).immediate();
    return id;
  }

  storyboardName(id: string): string | null {
    const r = this.db.prepare<[string], { name: string }>('SELECT name FROM storyboards WHERE id = ?').get(id);
    return r?.name ?? null;
  }

  // ---------- enqueue ----------

  /**
   * One job per take of each active shot. A take that already has a job with the same
   * settings (spec hash) keeps it, whatever its state: rerunning never redoes work.
   */
  enqueue(storyboardId: string, opts: EnqueueOptions = {}): EnqueueResult {
    const db = this.db;
    if (!this.storyboardName(storyboardId)) {
      throw new ShotlineError({
        code: 'not_found',
        where: 'storyboardId',
        message: `No storyboard "${storyboardId}"; import it first.`,
      });
    }
    const batchId = `b-${newId(6)}`;
    const now = iso();
    let created = 0;
    let existing = 0;
    const jobIds: string[] = [];
    db.transaction(() => {
      db.prepare(
        'INSERT INTO batches (id, storyboard_id, created_at, budget_units, provider, profile, pii_mode) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        batchId,
        storyboardId,
        now,
        opts.budgetUnits ?? null,
        opts.provider ?? null,
        opts.profile ?? null,
        opts.piiMode ?? null,
      );
      const shots = db
        .prepare<
          [string],
          {
            pk: number;
            shot_id: string;
            ord: number;
            takes: number;
            spec: string;
            spec_hash: string;
            subject: string | null;
            units_per_take: number;
          }
        >(
          'SELECT pk, shot_id, ord, takes, spec, spec_hash, subject, units_per_take FROM shots WHERE storyboard_id = ? AND active = 1 ORDER BY ord',
        )
        .all(storyboardId);
      const find = db.prepare<[string, string, number, string], { id: string }>(
        'SELECT id FROM jobs WHERE storyboard_id = ? AND shot_id = ? AND take = ? AND spec_hash = ?',
      );
      const rehome = db.prepare(
        "UPDATE jobs SET batch_id = ? WHERE id = ? AND task_id IS NULL AND state IN ('blocked', 'failed')",
      );
      const seqBase = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM jobs').get() as { m: number }).m;
      let seq = seqBase;
      const parsedShots = shots.map((s) => ({ ...s, parsed: JSON.parse(s.spec) as ResolvedShot }));
      // Storyboard order: a take of a scene puts its shots' jobs in the same place as takes
      // of shots alone would be (take 1 of every shot of the scene, then take 2, ...).
      for (const run of sceneRuns(parsedShots, (s) => s.parsed.scene)) {
        const first = run[0] as (typeof parsedShots)[number];
        for (let take = 1; take <= first.takes; take++) {
          const found = run.map((s) => find.get(storyboardId, s.shot_id, take, s.spec_hash));
          // A scene take whose shots were partly erased (erase --subject deletes a subject's rows)
          // is kept as it is: its task was one, so it is never half redone (a re-roll makes a new one).
          if (found.some(Boolean)) {
            for (const f of found.filter((x): x is { id: string } => x !== undefined)) {
              existing++;
              jobIds.push(f.id);
              // A take that never reached Kling (blocked, failed) joins the new batch, so the
              // new batch's budget and pause apply when it is redone.
              rehome.run(batchId, f.id);
            }
            continue;
          }
          const ids = this.insertTake(
            run.map((s) => ({
              pk: s.pk,
              shotId: s.shot_id,
              spec: s.spec,
              specHash: s.spec_hash,
              subject: s.subject,
              units: s.units_per_take,
              parsed: s.parsed,
            })),
            {
              batchId,
              storyboardId,
              take,
              seq,
              priority: opts.priority ?? 0,
              now,
            },
          );
          seq += ids.length;
          created += ids.length;
          jobIds.push(...ids);
        }
      }
      this.appendEvent({ batchId, type: 'batch.created', detail: JSON.stringify({ storyboardId, created, existing }) });
    }).immediate();
    this.batchChanged(batchId);
    return { batchId, created, existing, jobIds };
  }

  /** One more take of a shot, in `batchId` (its take's batch) when given, else the storyboard's newest batch. */
  reroll(storyboardId: string, shotId: string, batchId?: string): RerollResult {
    const db = this.db;
    return db
      .transaction(() => {
        const shot = db
          .prepare<
            [string, string],
            { pk: number; spec: string; spec_hash: string; subject: string | null; units_per_take: number }
          >('SELECT pk, spec, spec_hash, subject, units_per_take FROM shots WHERE storyboard_id = ? AND shot_id = ?')
          .get(storyboardId, shotId);
        if (!shot)
          throw new ShotlineError({
            code: 'not_found',
            where: 'shotId',
            message: `No shot "${shotId}" in storyboard ${storyboardId}.`,
          });
        const batch = batchId
          ? db
              .prepare<[string, string], { id: string }>('SELECT id FROM batches WHERE id = ? AND storyboard_id = ?')
              .get(batchId, storyboardId)
          : db
              .prepare<[string], { id: string }>(
                'SELECT id FROM batches WHERE storyboard_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
              )
              .get(storyboardId);
        if (!batch && batchId)
          throw new ShotlineError({
            code: 'not_found',
            where: 'batchId',
            message: `Batch ${batchId} is not a batch of storyboard ${storyboardId}.`,
          });
        if (!batch)
          throw new ShotlineError({
            code: 'not_found',
            where: 'storyboardId',
            message: `Storyboard ${storyboardId} was never queued; queue it first.`,
          });
        // A shot of a scene is re-rolled with its scene: one more take of every shot of it (one task).
        const spec = JSON.parse(shot.spec) as ResolvedShot;
        const run =
          spec.scene === undefined
            ? [{ ...shot, shot_id: shotId, parsed: spec }]
            : this.sceneRunOf(storyboardId, shotId);
        const maxTake = db.prepare<[string, string, string], { m: number }>(
          'SELECT COALESCE(MAX(take), 0) AS m FROM jobs WHERE storyboard_id = ? AND shot_id = ? AND spec_hash = ?',
        );
        const take = Math.max(...run.map((s) => maxTake.get(storyboardId, s.shot_id, s.spec_hash)?.m ?? 0)) + 1;
        const seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM jobs').get() as { m: number }).m;
        const ids = this.insertTake(
          run.map((s) => ({
            pk: s.pk,
            shotId: s.shot_id,
            spec: s.spec,
            specHash: s.spec_hash,
            subject: s.subject,
            units: s.units_per_take,
            parsed: s.parsed,
          })),
          {
            batchId: batch.id,
            storyboardId,
            take,
            seq,
            priority: 0,
            now: iso(),
            detail: 'reroll',
          },
        );
        db.prepare('UPDATE batches SET finished_at = NULL WHERE id = ?').run(batch.id);
        const jobId = ids[run.findIndex((s) => s.shot_id === shotId)] as string;
        const units = run.reduce((a, s) => a + s.units_per_take, 0);
        return {
          jobId,
          take,
          ...(spec.scene !== undefined
            ? { scene: { id: spec.scene, shotIds: run.map((s) => s.shot_id), jobIds: ids, units } }
            : {}),
        };
      })
      .immediate();
  }

  /** The active shots of the scene `shotId` belongs to (consecutive shots with its `scene`), in order. */
  private sceneRunOf(
    storyboardId: string,
    shotId: string,
  ): Array<{
    pk: number;
    shot_id: string;
    spec: string;
    spec_hash: string;
    subject: string | null;
    units_per_take: number;
    parsed: ResolvedShot;
  }> {
    const rows = this.db
      .prepare<
        [string],
        { pk: number; shot_id: string; spec: string; spec_hash: string; subject: string | null; units_per_take: number }
      >(
        'SELECT pk, shot_id, spec, spec_hash, subject, units_per_take FROM shots WHERE storyboard_id = ? AND active = 1 ORDER BY ord',
      )
      .all(storyboardId)
      .map((r) => ({ ...r, parsed: JSON.parse(r.spec) as ResolvedShot }));
    const run = sceneRuns(rows, (r) => r.parsed.scene).find((r) => r.some((s) => s.shot_id === shotId));
    if (!run)
      throw new ShotlineError({
        code: 'not_found',
        where: 'shotId',
        message: `Shot "${shotId}" is not an active shot of storyboard ${storyboardId}; import the storyboard again.`,
      });
    return run;
  }

  /**
   * The jobs of one take of a run of shots: a shot alone gets one job; the shots of a scene get
   * one job each in one scene group, the first shot's job the lead (it carries the task; the
   * engine claims only it) and the others members. Inside the caller's transaction.
   */
  private insertTake(
    run: ReadonlyArray<{
      pk: number;
      shotId: string;
      spec: string;
      specHash: string;
      subject: string | null;
      units: number;
      parsed: ResolvedShot;
    }>,
    t: {
      batchId: string;
      storyboardId: string;
      take: number;
      seq: number;
      priority: number;
      now: string;
      detail?: string;
    },
  ): string[] {
    const insert = this.cached(
      `INSERT INTO jobs (id, batch_id, shot_pk, storyboard_id, shot_id, take, seq, spec_hash, spec, subject, kind, model, units, priority, state, state_since,
         external_task_id, created_at, updated_at, scene_id, scene_group, scene_role)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const scene = run[0]?.parsed.scene ?? null;
    const group = scene !== null ? `g-${newId(8)}` : null;
    // The task of a scene is image-to-video when its first shot has a start frame or its last an end frame.
    const sceneKind = run.some((s) => s.parsed.kind === 'image2video')
      ? 'image2video'
      : (run[0]?.parsed.kind ?? 'text2video');
    const ids: string[] = [];
    let seq = t.seq;
    run.forEach((s, i) => {
      const id = `j-${newId(8)}`;
      const role = group === null ? null : i === 0 ? 'lead' : 'member';
      const kind = group !== null ? sceneKind : s.parsed.kind;
      insert.run(
        id,
        t.batchId,
        s.pk,
        t.storyboardId,
        s.shotId,
        t.take,
        ++seq,
        s.specHash,
        s.spec,
        s.subject,
        kind,
        s.parsed.model,
        s.units,
        t.priority,
        t.now,
        externalIdFor(id, 1),
        t.now,
        t.now,
        scene,
        group,
        role,
      );
      if (t.detail)
        this.appendEvent({
          jobId: id,
          batchId: t.batchId,
          type: 'job.created',
          to: 'queued',
          detail: group ? `${t.detail} (scene ${scene})` : t.detail,
        });
      ids.push(id);
    });
    return ids;
  }

  // ---------- claims and transitions ----------

  getJob(id: string): JobRow | undefined {
    return this.stmts.job.get(id);
  }

  /** Unclaimed jobs in `state` that are due, best first (priority, then storyboard order). */
  dueJobs(state: JobState, now: number, limit: number): string[] {
    return this.stmts.candidates.all(state, now, limit).map((r) => r.id);
  }

  /** Takes a lease on a job: returns the row with its new token, or null if someone holds it. */
  claim(jobId: string, owner: string): JobRow | null {
    const token = newId(8);
    return this.stmts.claim.get(token, owner, iso(), jobId) ?? null;
  }

  release(jobId: string, token: string): void {
    this.stmts.release.run(jobId, token);
  }

  /**
   * Moves a claimed job from `from` to `to` in one transaction with its event row. Returns
   * false (and changes nothing) if the job is no longer in `from` under this token.
   * `durable`: synchronous=FULL for this commit (the record of an intent to pay).
   */
  transition(
    jobId: string,
    token: string | null,
    from: JobState,
    to: JobState,
    patch: JobPatch = {},
    opts: { detail?: string; durable?: boolean; release?: boolean; event?: string } = {},
  ): boolean {
    if (from !== to && !canTransition(from, to))
      throw new Error(`queue: illegal transition ${from} -> ${to} for ${jobId}`);
    const sets = ['state = ?', 'updated_at = ?'];
    const now = iso();
    const args: unknown[] = [to, now];
    if (from !== to) {
      sets.push('state_since = ?');
      args.push(now);
    }
    for (const [k, v] of Object.entries(patch)) {
      if (!PATCH_COLUMNS.has(k)) throw new Error(`queue: unknown column ${k}`);
      sets.push(`${k} = ?`);
      args.push(v);
    }
    if (opts.release) sets.push('claim_token = NULL, claimed_by = NULL');
    const where =
      token === null ? 'id = ? AND state = ? AND claim_token IS NULL' : 'id = ? AND state = ? AND claim_token = ?';
    const whereArgs = token === null ? [jobId, from] : [jobId, from, token];
    const db = this.db;
    const sql = `UPDATE jobs SET ${sets.join(', ')} WHERE ${where}`;
    let update = this.cache.get(sql);
    if (!update) {
      update = db.prepare(sql);
      this.cache.set(sql, update);
    }
    const stmt = update;
    let members: string[] = [];
    const run = (): boolean =>
      db
        .transaction(() => {
          const res = stmt.run(...args, ...whereArgs);
          if (res.changes !== 1) return false;
          const batch = (this.stmts.batchOf.get(jobId) as { batch_id: string }).batch_id;
          this.appendEvent({
            jobId,
            batchId: batch,
            type: opts.event ?? 'state',
            from,
            to,
            detail: opts.detail ?? null,
          });
          members = this.mirrorScene(jobId, from, to, patch, opts.event ?? 'state');
          return true;
        })
        .immediate();
    let ok: boolean;
    if (opts.durable) {
      db.pragma('synchronous = FULL');
      try {
        ok = run();
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    } else ok = run();
    if (ok) {
      this.changed(jobId);
      for (const m of members) this.changed(m);
    }
    return ok;
  }

  /** The group, role and scene of a job (fixed at insert), or null for a shot generated alone. */
  sceneOf(jobId: string): { group: string; role: 'lead' | 'member'; scene: string } | null {
    const known = this.scenes.get(jobId);
    if (known !== undefined) return known;
    const r = this.cached('SELECT scene_group AS g, scene_role AS r, scene_id AS s FROM jobs WHERE id = ?').get(
      jobId,
    ) as { g: string | null; r: 'lead' | 'member' | null; s: string | null } | undefined;
    if (!r) return null;
    const sc = r.g && r.r && r.s ? { group: r.g, role: r.r, scene: r.s } : null;
    this.scenes.set(jobId, sc);
    return sc;
  }

  /** Every job of a scene take, lead first (storyboard order). */
  sceneJobs(group: string): JobRow[] {
    return this.cached('SELECT * FROM jobs WHERE scene_group = ? ORDER BY seq').all(group) as JobRow[];
  }

  /**
   * A transition of a scene's lead, mirrored onto its members inside the same transaction
   * (docs/readme/engine.md, Scenes): state, task id, error, fix, retryable, attempts, the
   * reconcile flag (units committed count the whole scene), the result's deadline and video; Kling's charge for the one task is split by duration share
   * (each job's `units` is its share of the estimate) so sums over takes stay true. A member's
   * own external id never leaves the machine: the lead's is the task's. Returns the members changed.
   */
  private mirrorScene(jobId: string, from: JobState, to: JobState, patch: JobPatch, event: string): string[] {
    const sc = this.sceneOf(jobId);
    if (!sc || sc.role !== 'lead') return [];
    const rows = this.sceneJobs(sc.group);
    const lead = rows.find((r) => r.id === jobId) as JobRow;
    const total = rows.reduce((a, r) => a + r.units, 0);
    const share = (r: JobRow): number | null =>
      lead.units_charged === null || !('units_charged' in patch)
        ? r.units_charged
        : total > 0
          ? Math.round((lead.units_charged * r.units * 1e6) / total) / 1e6
          : 0;
    if ('units_charged' in patch && lead.units_charged !== null) {
      this.cached('UPDATE jobs SET units_charged = ? WHERE id = ?').run(share(lead), lead.id);
    }
    const set = this.cached(
      `UPDATE jobs SET state = ?, updated_at = ?, state_since = ?, task_id = ?, error = ?, error_code = ?, fix = ?, retryable = ?, attempts = ?, expires_at = ?,
         video_id = ?, video_url = ?, video_duration = ?, units_charged = ?, next_at = NULL, reconcile = ?, claim_token = NULL, claimed_by = NULL
       WHERE id = ?`,
    );
    const out: string[] = [];
    for (const m of rows) {
      if (m.id === jobId) continue;
      set.run(
        lead.state,
        lead.updated_at,
        from !== to ? lead.state_since : m.state_since,
        lead.task_id,
        lead.error,
        lead.error_code,
        lead.fix,
        lead.retryable,
        lead.attempts,
        lead.expires_at,
        lead.video_id,
        lead.video_url,
        lead.video_duration,
        share(m),
        lead.reconcile,
        m.id,
      );
      if (m.state !== to || event === 'state')
        this.appendEvent({
          jobId: m.id,
          batchId: m.batch_id,
          type: event,
          from: m.state,
          to,
          detail: `scene ${sc.scene}: with its lead ${jobId}`,
        });
      out.push(m.id);
    }
    return out;
  }

  /**
   * A scene take finished: the lead and every member go `done`, each with its own clip, and all
   * keep the scene clip, in one transaction (the lead's claim checked). False if the lead was
   * taken away (cancel, a newer engine).
   */
  completeScene(
    leadId: string,
    token: string,
    clips: ReadonlyMap<string, string>,
    sceneFile: string,
    patch: JobPatch = {},
  ): boolean {
    const sc = this.sceneOf(leadId);
    if (!sc || sc.role !== 'lead') throw new Error(`queue: ${leadId} is not the lead of a scene`);
    const rows = this.sceneJobs(sc.group);
    for (const r of rows) if (!clips.get(r.id)) throw new Error(`queue: no clip for ${r.shot_id} of scene ${sc.scene}`);
    const now = iso();
    const ok = this.db
      .transaction(() => {
        const lead = this.cached(
          "UPDATE jobs SET state = 'done', state_since = ?, updated_at = ?, file = ?, scene_file = ?, next_at = NULL, error = NULL, error_code = NULL, transient_failures = 0, attempts = attempts + 1, claim_token = NULL, claimed_by = NULL WHERE id = ? AND state = 'downloading' AND claim_token = ?",
        ).run(now, now, clips.get(leadId), sceneFile, leadId, token);
        if (lead.changes !== 1) return false;
        if (patch.units_charged !== undefined)
          this.cached('UPDATE jobs SET units_charged = ? WHERE id = ?').run(patch.units_charged, leadId);
        const mem = this.cached(
          "UPDATE jobs SET state = 'done', state_since = ?, updated_at = ?, file = ?, scene_file = ?, next_at = NULL, error = NULL, error_code = NULL, attempts = ? WHERE id = ?",
        );
        const leadRow = this.getJob(leadId) as JobRow;
        for (const r of rows) {
          if (r.id !== leadId) mem.run(now, now, clips.get(r.id), sceneFile, leadRow.attempts, r.id);
          this.appendEvent({
            jobId: r.id,
            batchId: r.batch_id,
            type: 'state',
            from: 'downloading',
            to: 'done',
            detail: clips.get(r.id) ?? null,
          });
        }
        return true;
      })
      .immediate();
    if (ok) for (const r of rows) this.changed(r.id);
    return ok;
  }

  /** A patch without a state change (progress notes, next poll time), still token-checked. */
  update(jobId: string, token: string, state: JobState, patch: JobPatch, detail?: string): boolean {
    return this.transition(jobId, token, state, state, patch, { ...(detail ? { detail } : {}), event: 'update' });
  }

  startAttempt(jobId: string, n: number, externalTaskId: string): number {
    const r = this.db
      .prepare('INSERT INTO attempts (job_id, n, external_task_id, started_at) VALUES (?, ?, ?, ?)')
      .run(jobId, n, externalTaskId, iso());
    return Number(r.lastInsertRowid);
  }

  endAttempt(
    jobId: string,
    externalTaskId: string,
    outcome: string,
    info: { taskId?: string | null; errorCode?: string | null; error?: string | null } = {},
  ): void {
    this.db
      .prepare(
        `UPDATE attempts SET ended_at = ?, outcome = ?, task_id = COALESCE(?, task_id), error_code = ?, error = ?
         WHERE id = (SELECT id FROM attempts WHERE job_id = ? AND external_task_id = ? ORDER BY id DESC LIMIT 1)`,
      )
      .run(iso(), outcome, info.taskId ?? null, info.errorCode ?? null, info.error ?? null, jobId, externalTaskId);
  }

  noteAttemptTask(jobId: string, externalTaskId: string, taskId: string): void {
    this.db
      .prepare('UPDATE attempts SET task_id = ? WHERE job_id = ? AND external_task_id = ? AND task_id IS NULL')
      .run(taskId, jobId, externalTaskId);
  }

  /**
   * Start of an engine instance: every claim of an earlier instance is released (the
   * engine lock proves that instance is gone); jobs caught mid-submission are marked for
   * reconciliation by external id before anything is resubmitted.
   */
  rescue(owner: string): number {
    const db = this.db;
    return db
      .transaction(() => {
        const rows = db
          .prepare<[string], { id: string; batch_id: string; state: string; claimed_by: string | null }>(
            'SELECT id, batch_id, state, claimed_by FROM jobs WHERE claim_token IS NOT NULL AND (claimed_by IS NULL OR claimed_by <> ?)',
          )
          .all(owner);
        const rel = db.prepare(
          "UPDATE jobs SET claim_token = NULL, claimed_by = NULL, reconcile = CASE WHEN state = 'submitting' THEN 1 ELSE reconcile END WHERE id = ?",
        );
        for (const r of rows) {
          rel.run(r.id);
          this.appendEvent({
            jobId: r.id,
            batchId: r.batch_id,
            type: 'rescued',
            from: r.state,
            to: r.state,
            detail: `claim of ${r.claimed_by ?? 'unknown'} released`,
          });
        }
        // A submitting job without a claim is unclear too (crash between claim and write).
        db.prepare("UPDATE jobs SET reconcile = 1 WHERE state = 'submitting' AND claim_token IS NULL").run();
        return rows.length;
      })
      .immediate();
  }

  // ---------- user actions ----------

  setPaused(batchId: string, paused: boolean, reason: string | null = null): void {
    const r = this.db
      .prepare('UPDATE batches SET paused = ?, pause_reason = ? WHERE id = ?')
      .run(paused ? 1 : 0, paused ? reason : null, batchId);
    if (r.changes === 0)
      throw new ShotlineError({ code: 'not_found', where: 'batchId', message: `No batch "${batchId}".` });
    this.appendEvent({ batchId, type: paused ? 'batch.paused' : 'batch.resumed', detail: reason });
    this.batchChanged(batchId);
  }

  private jobsFor(
    sel: { jobId?: string | undefined; batchId?: string | undefined },
    states: readonly JobState[],
  ): JobRow[] {
    const marks = states.map(() => '?').join(',');
    let rows: JobRow[];
    if (sel.jobId)
      rows = this.db
        .prepare<unknown[], JobRow>(`SELECT * FROM jobs WHERE id = ? AND state IN (${marks})`)
        .all(sel.jobId, ...states);
    else if (sel.batchId)
      rows = this.db
        .prepare<unknown[], JobRow>(`SELECT * FROM jobs WHERE batch_id = ? AND state IN (${marks})`)
        .all(sel.batchId, ...states);
    else throw new ShotlineError({ code: 'validation', where: 'jobId', message: 'give jobId or batchId' });
    // Any job of a scene take stands for the whole take: one task, so cancel and retry act on the group.
    const groups = new Set(rows.map((r) => r.scene_group).filter((g): g is string => g !== null));
    if (groups.size === 0) return rows;
    const seen = new Set(rows.map((r) => r.id));
    for (const g of groups) {
      for (const r of this.sceneJobs(g)) {
        if (seen.has(r.id) || !states.includes(r.state)) continue;
        rows.push(r);
        seen.add(r.id);
      }
    }
    return rows;
  }

  /** Cancels: the claim is dropped so a worker holding the job stops at its next write. */
  cancel(sel: { jobId?: string | undefined; batchId?: string | undefined }): number {
    const db = this.db;
    const rows = this.jobsFor(sel, ['queued', 'submitting', 'running', 'downloading', 'failed', 'blocked']);
    let n = 0;
    db.transaction(() => {
      for (const j of rows) {
        db.prepare(
          "UPDATE jobs SET state = 'canceled', state_since = ?, updated_at = ?, claim_token = NULL, claimed_by = NULL, next_at = NULL WHERE id = ?",
        ).run(iso(), iso(), j.id);
        this.appendEvent({ jobId: j.id, batchId: j.batch_id, type: 'user.cancel', from: j.state, to: 'canceled' });
        n++;
      }
    }).immediate();
    for (const j of rows) this.changed(j.id);
    return n;
  }

  /**
   * Queues jobs again. A job whose task exists at Kling keeps its task id (it is polled and
   * downloaded, not resubmitted); a job that never got a task keeps its external id so the
   * engine reconciles before any new submission.
   */
  retry(sel: {
    jobId?: string | undefined;
    batchId?: string | undefined;
    states?: readonly JobState[];
    onlyRetryable?: boolean;
    skipContentRefusals?: boolean;
  }): number {
    const db = this.db;
    let rows = this.jobsFor(sel, sel.states ?? ['failed', 'blocked', 'canceled']);
    if (sel.onlyRetryable) rows = rows.filter((r) => r.state !== 'failed' || r.retryable === 1);
    if (sel.skipContentRefusals) rows = rows.filter((r) => !isContentRefusal(r));
    db.transaction(() => {
      for (const j of rows) {
        db.prepare(
          "UPDATE jobs SET state = 'queued', state_since = ?, updated_at = ?, claim_token = NULL, claimed_by = NULL, next_at = NULL, transient_failures = 0, transient_ms = 0, error = NULL, error_code = NULL, fix = NULL, retryable = 0 WHERE id = ?",
        ).run(iso(), iso(), j.id);
        db.prepare('UPDATE batches SET finished_at = NULL, paused = 0, pause_reason = NULL WHERE id = ?').run(
          j.batch_id,
        );
        this.appendEvent({ jobId: j.id, batchId: j.batch_id, type: 'user.retry', from: j.state, to: 'queued' });
      }
    }).immediate();
    for (const j of rows) this.changed(j.id);
    return rows.length;
  }

  /**
   * On a rerun: queues again what a person can redo without paying twice (blocked, retryable
   * failures). A take Kling refused for its content is left alone: the same prompt is refused again.
   */
  requeueRedoable(jobIds: readonly string[]): number {
    let n = 0;
    for (const id of jobIds) {
      const j = this.getJob(id);
      if (j && !isContentRefusal(j) && (j.state === 'blocked' || (j.state === 'failed' && j.retryable === 1)))
        n += this.retry({ jobId: id });
    }
    return n;
  }

  /** The prompt a job's next submission sends (its own copy of the shot, before the PII filter). */
  jobPrompt(jobId: string): string {
    const j = this.getJob(jobId);
    if (!j) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
    return (JSON.parse(j.spec) as ResolvedShot).prompt;
  }

  /**
   * A changed prompt for one take Kling refused (failed, blocked or canceled): the take's own
   * copy of the shot changes, the storyboard's shot and the spec hash do not (a rerun of the
   * storyboard keeps this take instead of making a new one with the refused prompt).
   */
  setJobPrompt(jobId: string, prompt: string): void {
    const j = this.getJob(jobId);
    if (!j) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
    if (!['failed', 'blocked', 'canceled'].includes(j.state)) {
      throw new ShotlineError({
        code: 'validation',
        where: 'prompt',
        message: `Job "${jobId}" is ${j.state}; a prompt can be changed only on a failed, blocked or canceled take.`,
      });
    }
    const spec = JSON.parse(j.spec) as ResolvedShot;
    if (prompt.trim() === spec.prompt.trim()) {
      throw new ShotlineError({
        code: 'validation',
        where: 'prompt',
        message: 'This is the prompt the take already has; change it before retrying.',
      });
    }
    this.db
      .prepare('UPDATE jobs SET spec = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify({ ...spec, prompt }), iso(), jobId);
    this.appendEvent({ jobId, batchId: j.batch_id, type: 'user.prompt', detail: 'prompt changed for a retry' });
  }

  /** Tells listeners about jobs changed outside a transition (a re-roll's new job). */
  announce(jobIds: readonly string[]): void {
    for (const id of jobIds) this.changed(id);
  }

  reprioritise(jobId: string, priority: number): void {
    if (!this.getJob(jobId))
      throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
    const sc = this.sceneOf(jobId);
    const ids = sc ? this.sceneJobs(sc.group).map((r) => r.id) : [jobId];
    let changes = 0;
    this.db.transaction(() => {
      for (const id of ids) {
        changes += this.db
          .prepare('UPDATE jobs SET priority = ?, updated_at = ? WHERE id = ?')
          .run(priority, iso(), id).changes;
        this.appendEvent({
          jobId: id,
          type: 'user.priority',
          detail: sc ? `${priority} (scene ${sc.scene})` : String(priority),
        });
      }
    })();
    if (changes === 0) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
    for (const id of ids) this.changed(id);
  }

  // ---------- views ----------

  /** What a job's view says about its scene take, and the external id of its task (the lead's for a member). */
  private sceneView(row: JobRow): { scene: JobScene | null; externalTaskId: string } {
    if (!row.scene_group || !row.scene_role || !row.scene_id)
      return { scene: null, externalTaskId: row.external_task_id };
    const rows = this.sceneJobs(row.scene_group);
    const lead = rows.find((r) => r.scene_role === 'lead') ?? row;
    return {
      scene: {
        id: row.scene_id,
        group: row.scene_group,
        role: row.scene_role,
        shotIds: rows.map((r) => r.shot_id),
        units: Math.round(rows.reduce((a, r) => a + r.units, 0) * 1000) / 1000,
        file: row.scene_file,
      },
      externalTaskId: lead.external_task_id,
    };
  }

  /** The external id a job's task goes by: its own, or its scene lead's (the one Kling knows). */
  taskExternalId(row: JobRow): string {
    return this.sceneView(row).externalTaskId;
  }

  view(row: JobRow, storyboardName?: string): JobView {
    const sv = this.sceneView(row);
    return {
      id: row.id,
      batchId: row.batch_id,
      storyboardId: row.storyboard_id,
      storyboard: storyboardName ?? this.storyboardName(row.storyboard_id) ?? row.storyboard_id,
      shotId: row.shot_id,
      take: row.take,
      state: row.state,
      attempts: row.attempts,
      stateSince: row.state_since,
      priority: row.priority,
      units: row.units,
      billedUnits: row.units_charged,
      model: row.model,
      externalTaskId: sv.externalTaskId,
      taskId: row.task_id,
      error: row.error,
      errorCode: row.error_code,
      fix: row.fix,
      retryable: row.retryable === 1,
      file: row.file,
      expiresAt: row.expires_at,
      nextAt: row.next_at !== null ? iso(row.next_at) : null,
      subject: row.subject,
      scene: sv.scene,
    };
  }

  jobView(id: string): JobView | null {
    const r = this.getJob(id);
    return r ? this.view(r) : null;
  }

  list(f: {
    batchId?: string | undefined;
    storyboardId?: string | undefined;
    state?: JobState | undefined;
    offset?: number;
    limit?: number;
  }): { jobs: JobView[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.batchId) {
      where.push('j.batch_id = ?');
      args.push(f.batchId);
    }
    if (f.storyboardId) {
      where.push('j.storyboard_id = ?');
      args.push(f.storyboardId);
    }
    if (f.state) {
      where.push('j.state = ?');
      args.push(f.state);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs j ${w}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare<unknown[], JobRow & { sb_name: string }>(
        `SELECT j.*, s.name AS sb_name FROM jobs j JOIN storyboards s ON s.id = j.storyboard_id ${w} ORDER BY j.priority DESC, j.seq LIMIT ? OFFSET ?`,
      )
      .all(...args, f.limit ?? 20_000, f.offset ?? 0);
    return { jobs: rows.map((r) => this.view(r, r.sb_name)), total };
  }

  attempts(jobId: string): AttemptView[] {
    return this.db
      .prepare<
        [string],
        {
          n: number;
          started_at: string;
          ended_at: string | null;
          outcome: string | null;
          error_code: string | null;
          error: string | null;
          external_task_id: string;
          task_id: string | null;
        }
      >('SELECT * FROM attempts WHERE job_id = ? ORDER BY id')
      .all(jobId)
      .map((a) => ({
        n: a.n,
        startedAt: a.started_at,
        endedAt: a.ended_at,
        outcome: a.outcome,
        errorCode: a.error_code,
        error: a.error,
        externalTaskId: a.external_task_id,
        taskId: a.task_id,
      }));
  }

  events(jobId: string): JobEvent[] {
    return this.db
      .prepare<
        [string],
        {
          id: number;
          at: string;
          job_id: string | null;
          batch_id: string | null;
          type: string;
          from_state: string | null;
          to_state: string | null;
          detail: string | null;
        }
      >('SELECT * FROM events WHERE job_id = ? ORDER BY id')
      .all(jobId)
      .map((e) => ({
        id: e.id,
        at: e.at,
        jobId: e.job_id,
        batchId: e.batch_id,
        type: e.type,
        from: e.from_state,
        to: e.to_state,
        detail: e.detail,
      }));
  }

  batch(id: string): BatchSummary {
    const b = this.db
      .prepare<
        [string],
        {
          id: string;
          storyboard_id: string;
          created_at: string;
          paused: number;
          pause_reason: string | null;
          budget_units: number | null;
          finished_at: string | null;
          name: string;
        }
      >('SELECT b.*, s.name FROM batches b JOIN storyboards s ON s.id = b.storyboard_id WHERE b.id = ?')
      .get(id);
    if (!b) throw new ShotlineError({ code: 'not_found', where: 'batchId', message: `No batch "${id}".` });
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts;
    let total = 0;
    for (const r of this.db
      .prepare<[string], { state: JobState; n: number }>(
        'SELECT state, COUNT(*) AS n FROM jobs WHERE batch_id = ? GROUP BY state',
      )
      .all(id)) {
      counts[r.state] = r.n;
      total += r.n;
    }
    const u = this.db
      .prepare<[string], { submitted: number | null; done: number | null }>(
        `SELECT SUM(CASE WHEN task_id IS NOT NULL OR state = 'submitting' THEN COALESCE(units_charged, units) END) AS submitted,
                SUM(CASE WHEN state = 'done' THEN COALESCE(units_charged, units) END) AS done FROM jobs WHERE batch_id = ?`,
      )
      .get(id);
    return {
      id: b.id,
      storyboardId: b.storyboard_id,
      storyboard: b.name,
      createdAt: b.created_at,
      paused: b.paused === 1,
      pauseReason: b.pause_reason,
      budgetUnits: b.budget_units,
      total,
      counts,
      unitsSubmitted: u?.submitted ?? 0,
      unitsDone: u?.done ?? 0,
      finishedAt: b.finished_at,
      waitedOut: (
        this.db
          .prepare(
            "SELECT COUNT(*) AS n FROM jobs WHERE batch_id = ? AND state = 'blocked' AND error_code = 'transient_budget'",
          )
          .get(id) as { n: number }
      ).n,
    };
  }

  batches(): BatchSummary[] {
    return this.db
      .prepare<[], { id: string }>('SELECT id FROM batches ORDER BY created_at DESC, rowid DESC LIMIT 200')
      .all()
      .map((b) => this.batch(b.id));
  }

  /** Units already committed for a batch: jobs that have (or may have) a task at Kling. */
  unitsCommitted(batchId: string): number {
    const r = this.db
      .prepare<[string], { u: number | null }>(
        `SELECT SUM(COALESCE(units_charged, units)) AS u FROM jobs WHERE batch_id = ? AND (task_id IS NOT NULL OR state = 'submitting' OR reconcile = 1)
           AND NOT (state IN ('failed', 'canceled') AND task_id IS NULL)`,
      )
      .get(batchId);
    return r?.u ?? 0;
  }

  /** Marks a batch finished when none of its jobs can move without a person. */
  finishIfIdle(batchId: string): boolean {
    const open = (
      this.db
        .prepare(
          "SELECT COUNT(*) AS n FROM jobs WHERE batch_id = ? AND state IN ('queued', 'submitting', 'running', 'downloading')",
        )
        .get(batchId) as { n: number }
    ).n;
    if (open > 0) return false;
    const r = this.db
      .prepare('UPDATE batches SET finished_at = ? WHERE id = ? AND finished_at IS NULL')
      .run(iso(), batchId);
    if (r.changes) {
      this.appendEvent({ batchId, type: 'batch.finished' });
      this.batchChanged(batchId);
    }
    return true;
  }

  getState(key: string): string | null {
    return (
      this.db.prepare<[string], { value: string }>('SELECT value FROM engine_state WHERE key = ?').get(key)?.value ??
      null
    );
  }
  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO engine_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, value, iso());
  }

  // ---------- reads and small writes for the engine, handlers and CLI ----------
  // Every statement over the queue's tables lives in this file (docs/architecture.md,
  // "One owner per table"; test/unit/queue/table-owner.test.ts fails on SQL elsewhere).

  /** Every job id, in storyboard then queue order (`shotline status`). */
  allJobIds(): string[] {
    return this.cached('SELECT id FROM jobs ORDER BY storyboard_id, seq')
      .all()
      .map((r) => (r as { id: string }).id);
  }

  /** The job that submitted under this external task id (the audit log names its subject). */
  jobByExternalTaskId(externalTaskId: string): { id: string; subject: string | null } | undefined {
    return this.cached('SELECT id, subject FROM jobs WHERE external_task_id = ?').get(externalTaskId) as
      { id: string; subject: string | null } | undefined;
  }

  /** When the earliest waiting open job is due (ms since epoch), or null when none waits. */
  nextDueAt(): number | null {
    const r = this.cached(
      `SELECT MIN(next_at) AS n FROM jobs WHERE state IN ${OPEN_STATES} AND claim_token IS NULL AND next_at IS NOT NULL`,
    ).get() as { n: number | null } | undefined;
    return r?.n ?? null;
  }

  /** Ids of the open jobs of batches that are not paused. */
  openUnpausedJobIds(): string[] {
    return this.cached(
      `SELECT j.id FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.state IN ${OPEN_STATES} AND b.paused = 0`,
    )
      .all()
      .map((r) => (r as { id: string }).id);
  }

  /** The open jobs that own a task: shots alone and the lead of each scene. */
  openLeadJobs(): JobRow[] {
    return this.cached(
      `SELECT * FROM jobs WHERE state IN ${OPEN_STATES} AND (scene_role IS NULL OR scene_role = 'lead')`,
    ).all() as JobRow[];
  }

  /** Makes these open, unclaimed jobs due now (the provider answers again). One transaction. */
  dueNow(jobIds: readonly string[]): void {
    const due = this.cached(
      `UPDATE jobs SET next_at = NULL WHERE id = ? AND state IN ${OPEN_STATES} AND claim_token IS NULL`,
    );
    this.db.transaction(() => {
      for (const id of jobIds) due.run(id);
    })();
  }

  /** Forgets a job's time in transient trouble (it succeeded). */
  clearTransientMs(jobId: string): void {
    this.cached('UPDATE jobs SET transient_ms = 0 WHERE id = ?').run(jobId);
  }

  /** Adds time in transient trouble to each job (ms, rounded). One transaction. */
  addTransientMs(spans: ReadonlyArray<readonly [jobId: string, ms: number]>): void {
    const get = this.cached('SELECT transient_ms AS t FROM jobs WHERE id = ?');
    const set = this.cached('UPDATE jobs SET transient_ms = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const [id, ms] of spans) {
        const base = (get.get(id) as { t: number } | undefined)?.t ?? 0;
        set.run(Math.round(base + ms), id);
      }
    })();
  }

  /** Jobs that have (or may have) a task at Kling, with their scene group and units; of one batch or all. */
  committedUnitRows(batchId?: string): Array<{ id: string; g: string | null; u: number }> {
    const sql =
      "SELECT id, scene_group AS g, COALESCE(units_charged, units) AS u FROM jobs WHERE (task_id IS NOT NULL OR state = 'submitting' OR reconcile = 1)";
    const rows = batchId ? this.cached(`${sql} AND batch_id = ?`).all(batchId) : this.cached(sql).all();
    return rows as Array<{ id: string; g: string | null; u: number }>;
  }

  /** Whether the batch is paused (false for an unknown batch). */
  batchPaused(batchId: string): boolean {
    return (
      (this.cached('SELECT paused AS p FROM batches WHERE id = ?').get(batchId) as { p: number } | undefined)?.p === 1
    );
  }

  /** The batch's budget in units, or null without one. */
  batchBudget(batchId: string): number | null {
    return (
      (
        this.cached('SELECT budget_units AS b FROM batches WHERE id = ?').get(batchId) as
          { b: number | null } | undefined
      )?.b ?? null
    );
  }

  /** The provider the batch was queued for (null when not recorded). */
  batchProvider(batchId: string): string | null {
    return (
      (this.cached('SELECT provider FROM batches WHERE id = ?').get(batchId) as { provider: string | null } | undefined)
        ?.provider ?? null
    );
  }

  /** The batch's PII mode (null when not recorded, or no such batch). */
  batchPiiMode(batchId: string): PiiMode | null {
    return (
      (this.cached('SELECT pii_mode AS m FROM batches WHERE id = ?').get(batchId) as { m: PiiMode | null } | undefined)
        ?.m ?? null
    );
  }

  /** Provider and profile of the newest unpaused batch with open jobs (the one a start resumes). */
  newestOpenBatch(): { provider: string | null; profile: string | null } | null {
    const r = this.cached(
      `SELECT b.provider, b.profile FROM batches b
       WHERE b.paused = 0 AND EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = b.id AND j.state IN ${OPEN_STATES})
       ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1`,
    ).get() as { provider: string | null; profile: string | null } | undefined;
    return r ?? null;
  }

  /** The active shot just before this one (by order) in its storyboard, or null for the first. */
  previousShotId(shotPk: number): string | null {
    const r = this.cached(
      'SELECT s2.shot_id FROM shots s1 JOIN shots s2 ON s2.storyboard_id = s1.storyboard_id AND s2.active = 1 AND s2.ord < s1.ord WHERE s1.pk = ? ORDER BY s2.ord DESC LIMIT 1',
    ).get(shotPk) as { shot_id: string } | undefined;
    return r?.shot_id ?? null;
  }

  /** Every job of a shot, by take then queue order. */
  jobsOfShot(storyboardId: string, shotId: string): JobRow[] {
    return this.cached('SELECT * FROM jobs WHERE storyboard_id = ? AND shot_id = ? ORDER BY take, seq').all(
      storyboardId,
      shotId,
    ) as JobRow[];
  }

  /**
   * Every job of a storyboard (or of one batch of it) in storyboard order, then take, then queue
   * order: the Takes page's list (electron/core/reviews/takes.ts), one query.
   */
  takeRows(storyboardId: string, batchId?: string): JobRow[] {
    const sql = `SELECT j.* FROM jobs j JOIN shots s ON s.pk = j.shot_pk WHERE j.storyboard_id = ?${
      batchId ? ' AND j.batch_id = ?' : ''
    } ORDER BY s.ord, j.take, j.seq`;
    return this.cached(sql).all(...(batchId ? [storyboardId, batchId] : [storyboardId])) as JobRow[];
  }

  /** The jobs whose clip is one of these files (a timeline export asks which takes it cuts). */
  jobsOfFiles(files: readonly string[]): Array<{ id: string; file: string }> {
    const out: Array<{ id: string; file: string }> = [];
    for (let i = 0; i < files.length; i += 400) {
      const part = files.slice(i, i + 400);
      out.push(
        ...(this.db
          .prepare(`SELECT id, file FROM jobs WHERE file IN (${part.map(() => '?').join(',')})`)
          .all(...part) as Array<{ id: string; file: string }>),
      );
    }
    return out;
  }

  /** After a clear refusal the external id is unused: the next submit may use it directly. */
  markNoTask(jobId: string): void {
    this.cached('UPDATE jobs SET submits = 0 WHERE id = ? AND task_id IS NULL AND reconcile = 0').run(jobId);
  }

  /** The active shots of a storyboard with their takes and spec hash (unordered). */
  activeShotTakes(storyboardId: string): Array<{ shot_id: string; takes: number; spec_hash: string }> {
    return this.cached(
      'SELECT shot_id, takes, spec_hash FROM shots WHERE storyboard_id = ? AND active = 1 ORDER BY ord',
    ).all(storyboardId) as Array<{ shot_id: string; takes: number; spec_hash: string }>;
  }

  /** The job of one take with these settings, with its batch's creation time. */
  takeJob(
    storyboardId: string,
    shotId: string,
    take: number,
    specHash: string,
  ): { id: string; batch_id: string; state: string; retryable: number; created_at: string } | undefined {
    return this.cached(
      'SELECT j.id, j.batch_id, j.state, j.retryable, b.created_at FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.storyboard_id = ? AND j.shot_id = ? AND j.take = ? AND j.spec_hash = ?',
    ).get(storyboardId, shotId, take, specHash) as
      { id: string; batch_id: string; state: string; retryable: number; created_at: string } | undefined;
  }

  /** Ids of the storyboards with an active shot of this id. */
  storyboardsWithShot(shotId: string): string[] {
    return this.cached('SELECT DISTINCT storyboard_id FROM shots WHERE shot_id = ? AND active = 1')
      .all(shotId)
      .map((r) => (r as { storyboard_id: string }).storyboard_id);
  }

  /** The stored specs (JSON) of a storyboard's active shots, in order. */
  activeShotSpecs(storyboardId: string): string[] {
    return this.cached('SELECT spec FROM shots WHERE storyboard_id = ? AND active = 1 ORDER BY ord')
      .all(storyboardId)
      .map((r) => (r as { spec: string }).spec);
  }

  /** A storyboard's active shots (id, prompt, stored spec JSON), in order. */
  activeShotPrompts(storyboardId: string): Array<{ shot_id: string; prompt: string; spec: string }> {
    return this.cached(
      'SELECT shot_id, prompt, spec FROM shots WHERE storyboard_id = ? AND active = 1 ORDER BY ord',
    ).all(storyboardId) as Array<{ shot_id: string; prompt: string; spec: string }>;
  }

  /**
   * Every stored shot that names elements, active or not, with its subject (the element library's
   * used-by and erase, electron/core/elements/library.ts, are handed these by their callers).
   */
  shotsNamingElements(): Array<{
    storyboard_id: string;
    shot_id: string;
    subject: string | null;
    active: number;
    spec: string;
  }> {
    return this.cached(
      'SELECT storyboard_id, shot_id, subject, active, spec FROM shots WHERE spec LIKE \'%"elements"%\'',
    ).all() as Array<{ storyboard_id: string; shot_id: string; subject: string | null; active: number; spec: string }>;
  }

  /**
   * What the compliance report judges of the queue (electron/core/privacy/compliance.ts, checks 4
   * and 7): how many takes reached the provider, and every take with a result URL or done.
   */
  resultFacts(): {
    submitted: number;
    results: Array<{ file: string | null; url: string | null; state: string; expiresAt: string | null }>;
  } {
    const submitted = (this.cached('SELECT count(*) AS n FROM jobs WHERE task_id IS NOT NULL').get() as { n: number })
      .n;
    const results = this.cached(
      "SELECT file, video_url AS url, state, expires_at AS expiresAt FROM jobs WHERE video_url IS NOT NULL OR state = 'done'",
    ).all() as Array<{ file: string | null; url: string | null; state: string; expiresAt: string | null }>;
    return { submitted, results };
  }

  /** Every stored storyboard with its count of active shots, the newest change first (Projects). */
  storyboards(): Array<{
    id: string;
    name: string;
    sourcePath: string | null;
    shots: number;
    createdAt: string;
    updatedAt: string;
  }> {
    const rows = this.cached(
      'SELECT s.*, (SELECT COUNT(*) FROM shots WHERE storyboard_id = s.id AND active = 1) AS shots FROM storyboards s ORDER BY updated_at DESC',
    ).all() as Array<{
      id: string;
      name: string;
      source_path: string | null;
      created_at: string;
      updated_at: string;
      shots: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      sourcePath: r.source_path,
      shots: r.shots,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /** Ids of the storyboards with open jobs. */
  storyboardsWithOpenJobs(): string[] {
    return this.cached(`SELECT DISTINCT storyboard_id FROM jobs WHERE state IN ${OPEN_STATES}`)
      .all()
      .map((r) => (r as { storyboard_id: string }).storyboard_id);
  }
}

/**
 * Kling refused the take's content: 1300/1301 at create, or a task failed by "risk control"
 * (error_code 'policy'); both set by electron/core/engine/engine.ts.
 */
export function isContentRefusal(j: Pick<JobRow, 'state' | 'error_code'>): boolean {
  return (
    (j.state === 'blocked' || j.state === 'failed') &&
    (j.error_code === 'policy' || j.error_code === '1300' || j.error_code === '1301')
  );
}

/** The external task id of a job's n-th submission: stable, unique, at most 128 chars. */
export function externalIdFor(jobId: string, submission: number): string {
  return submission <= 1 ? `shotline-${jobId}` : `shotline-${jobId}-r${submission}`;
}
