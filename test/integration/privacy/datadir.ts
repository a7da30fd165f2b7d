/**
 * A real data dir with two data subjects, laid out the way the queue and media modules
 * store work: a stored storyboard, shots with a subject column, jobs (FK to shots), events
 * linked by name (erase_job_id), clips and thumbnails named by job id, input images, a
 * registered edit whose MP4 metadata names the subject, a log, and audit rows.
 * Table names are prefixed so they never collide with the engine's real tables.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { recordAudit, registerFile } from '../../../electron/core/privacy';
import { listTables, quoteIdent, textColumns } from '../../../electron/core/privacy/sqlite-scan';

export interface Subject {
  tag: string;
  prompt: string;
  jobIds: string[];
  taskIds: string[];
}

export const ALICE: Subject = {
  tag: 'subj-alice-7f3a',
  prompt: 'Alice Moreau walks along the Seine at dawn in a red coat',
  jobIds: ['job-alice-0001', 'job-alice-0002'],
  taskIds: ['task-alice-9001', 'task-alice-9002'],
};
export const BOB: Subject = {
  tag: 'subj-bob-92c1',
  prompt: 'A lighthouse keeper climbs the spiral stairs at dusk',
  jobIds: ['job-bob-0003'],
  taskIds: ['task-bob-9003'],
};

function mp4(file: string, title: string): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=32x32:d=0.2',
    '-metadata',
    `title=${title}`,
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
}

export function buildDataDir(db: Database.Database, dir: string, opts: { withEdits?: boolean } = {}): void {
  db.exec(`
    CREATE TABLE erase_storyboards (id TEXT PRIMARY KEY, name TEXT, source TEXT);
    CREATE TABLE erase_shots (id TEXT PRIMARY KEY, storyboard_id TEXT REFERENCES erase_storyboards(id), shot_key TEXT, prompt TEXT, negative_prompt TEXT, subject TEXT, start_image TEXT);
    CREATE TABLE erase_jobs (id TEXT PRIMARY KEY, shot_id TEXT NOT NULL REFERENCES erase_shots(id), take INTEGER, status TEXT, task_id TEXT, external_task_id TEXT, result_url TEXT, file TEXT, extra TEXT);
    CREATE TABLE erase_events (id INTEGER PRIMARY KEY, erase_job_id TEXT, kind TEXT, detail TEXT);
  `);
  for (const d of ['clips/demo', 'thumbs', 'images', 'edits/demo', 'logs'])
    mkdirSync(join(dir, d), { recursive: true });
  const shots = [ALICE, BOB].map((s, i) => ({ s, id: `shot-${i}`, key: i === 0 ? 'a' : 'b' }));
  const source = JSON.stringify({
    name: 'demo',
    shots: shots.map(({ s, key }) => ({
      id: key,
      prompt: s.prompt,
      subject: s.tag,
      model: 'kling-v1',
      mode: 'std',
      duration: 5,
      aspectRatio: '16:9',
      takes: s.jobIds.length,
    })),
  });
  db.prepare('INSERT INTO erase_storyboards VALUES (?, ?, ?)').run('sb-1', 'demo', source);
  const log: string[] = [];
  for (const { s, id, key } of shots) {
    const image = `images/${s.tag}-start.png`;
    writeFileSync(join(dir, image), Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 7)]));
    db.prepare('INSERT INTO erase_shots VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      'sb-1',
      key,
      s.prompt,
      'blurry, low quality',
      s.tag,
      image,
    );
    s.jobIds.forEach((jobId, i) => {
      const clip = join(dir, 'clips', 'demo', `${jobId}.mp4`);
      writeFileSync(clip, Buffer.concat([Buffer.from('....ftypisom'), Buffer.alloc(2048, i + 1)]));
      writeFileSync(join(dir, 'thumbs', `${jobId}.jpg`), Buffer.alloc(300, 0xff));
      db.prepare('INSERT INTO erase_jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        jobId,
        id,
        i + 1,
        'done',
        s.taskIds[i],
        `ext-${jobId}`,
        `https://cdn.example.com/${s.taskIds[i]}.mp4`,
        clip,
        JSON.stringify({ files: [`thumbs/${jobId}.jpg`], promptUsed: s.prompt }),
      );
      db.prepare('INSERT INTO erase_events (erase_job_id, kind, detail) VALUES (?, ?, ?)').run(
        jobId,
        'submitted',
        `submitted "${s.prompt}"`,
      );
      log.push(`2026-11-25T06:00:0${i}Z job=${jobId} subject=${s.tag} submit prompt="${s.prompt}"`);
      for (const [method, path, purpose] of [
        ['POST', '/v1/videos/text2video', 'create'],
        ['GET', `/v1/videos/text2video/${s.taskIds[i]}`, 'query'],
      ] as const) {
        recordAudit(db, {
          time: '2026-11-25T06:00:00.000Z',
          purpose: `AI video generation (${purpose})`,
          legalBasis: 'Art. 6(1)(b) GDPR',
          dataCategories: ['prompt text'],
          recipient: {
            provider: 'kling',
            host: 'api-singapore.klingai.com',
            region: 'singapore',
            location: 'Singapore (Kling global)',
          },
          method,
          path,
          subject: purpose === 'create' ? s.tag : null,
          jobId,
          externalTaskId: purpose === 'create' ? `ext-${jobId}` : null,
          bodySha256: 'c'.repeat(64),
        });
      }
    });
    if (opts.withEdits !== false) {
      const edit = join(dir, 'edits', 'demo', `${key}-cut.mp4`);
      mp4(edit, `${s.tag} cut`);
      registerFile(db, { path: edit, kind: 'edit', project: 'demo', subject: s.tag });
    }
  }
  writeFileSync(join(dir, 'logs', 'shotline.log'), `${log.join('\n')}\n`);
}

/** Every SQLite cell (text-ish columns of every table) holding `needle`, as "table.column xN". */
export function cellsMentioning(db: Database.Database, needle: string): string[] {
  const out: string[] = [];
  for (const t of listTables(db)) {
    for (const col of textColumns(t)) {
      const n = (
        db
          .prepare(`SELECT count(*) AS n FROM ${quoteIdent(t.name)} WHERE instr(${quoteIdent(col)}, ?) > 0`)
          .get(needle) as { n: number }
      ).n;
      if (n) out.push(`${t.name}.${col} x${n}`);
    }
  }
  return out;
}
