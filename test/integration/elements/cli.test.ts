/**
 * Elements end to end through `shotline run` against the sandbox over HTTP (issue 13, Tests):
 * an element is created once across two batches (two storyboards naming the same images, and
 * a rerun), once across a kill -9 during its creation (the rerun adopts it by external id: the
 * sandbox saw exactly one create), its Kling id rides with every shot that names it, `erase
 * --subject` deletes it at the sandbox and says so, and `shotline elements list|delete`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import { png } from '../../unit/kling/png';
import { fastSandbox, readDb, runCli, sandboxArgs, startCli, tmp } from '../cli-run/helpers';
import { elementCreates, until } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox({ elementMs: 400 });
});
afterAll(async () => {
  await sb.close();
});

/** PNGs of one character and a storyboard naming it in two image-to-video shots of kling-3.0. */
function writeStoryboard(
  dir: string,
  name: string,
  alias: string,
  extra: Record<string, unknown> = {},
  defaults: Record<string, unknown> = {},
): string {
  writeFileSync(join(dir, 'front.png'), png(480, 640, [200, 40, 40]));
  writeFileSync(join(dir, 'side.png'), png(480, 640, [40, 200, 40]));
  writeFileSync(join(dir, 'start.png'), png(1280, 720, [30, 30, 120]));
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      defaults: { model: 'kling-3.0', resolution: '720p', duration: 5, takes: 1, startImage: 'start.png', ...defaults },
      elements: [
        {
          id: alias,
          name: 'Mara',
          description: 'a woman in a red coat',
          frontalImage: 'front.png',
          referenceImages: ['side.png'],
          ...extra,
        },
      ],
      shots: [
        { id: 'a', prompt: `@${alias} walks along the pier`, elements: [alias] },
        { id: 'b', prompt: `@${alias} looks at the sea`, elements: [alias] },
      ],
    }),
  );
  return file;
}

/** Element ids the sandbox received in video creates (new-standard `contents[type=element]`). */
function elementIdsSent(from: number): string[] {
  return sb.creates.slice(from).flatMap((c) => {
    const contents = (c.body as { contents?: Array<{ type?: string; element_id?: string }> }).contents ?? [];
    return contents.filter((x) => x.type === 'element').map((x) => String(x.element_id));
  });
}

describe('elements through shotline run', () => {
  it('creates the element once across two batches and two storyboards with the same images; every shot sends its Kling id', async () => {
    const dir = tmp('el-once');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const before = elementCreates(sb);
    const videoFrom = sb.creates.length;
    const first = await runCli(
      ['run', writeStoryboard(dir, 'pier', 'mara'), ...sandboxArgs(sb, dataDir), '--json'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(RunResult.parse(JSON.parse(first.stdout)).jobs.every((j) => j.status === 'done')).toBe(true);
    expect(elementCreates(sb) - before).toBe(1);
    const made = sb.elements().at(-1);
    expect(made?.name).toBe('Mara');
    expect(elementIdsSent(videoFrom)).toEqual([made?.elementId, made?.elementId]);

    // The same storyboard again (nothing new), then another storyboard with the same images under another alias.
    expect((await runCli(['run', join(dir, 'pier.json'), ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const second = await runCli(
      ['run', writeStoryboard(dir, 'harbour', 'heroine'), ...sandboxArgs(sb, dataDir), '--json'],
      env,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(elementCreates(sb) - before).toBe(1);
    expect(elementIdsSent(videoFrom)).toEqual(Array(4).fill(made?.elementId));

    // A CSV cannot declare elements: it names one the data dir's library holds, and its shot
    // goes with that element's Kling id (electron/cli/commands/run.ts passes the library's aliases).
    const csv = join(dir, 'quay.csv');
    writeFileSync(
      csv,
      'id,prompt,model,resolution,duration,startImage,elements\nq,@mara waves from the quay,kling-3.0,720p,5,start.png,mara\n',
    );
    const third = await runCli(['run', csv, ...sandboxArgs(sb, dataDir), '--json'], env);
    expect(third.code, third.stderr).toBe(0);
    expect(elementCreates(sb) - before).toBe(1);
    expect(elementIdsSent(videoFrom)).toEqual(Array(5).fill(made?.elementId));

    const list = await runCli(['elements', 'list', '--data-dir', dataDir, '--json'], env);
    const views = (
      JSON.parse(list.stdout) as {
        elements: Array<{ id: string; state: string; klingId: string; usedBy: Array<{ shotId: string }> }>;
      }
    ).elements;
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: 'mara', state: 'ready', klingId: made?.elementId });
    expect(views[0]?.usedBy.map((u) => u.shotId).sort()).toEqual(['a', 'a', 'b', 'b']);
    // (The CSV's shot names the library's element by alias alone; used-by follows the storyboards that declare it.)
    // Audited as an element creation, with images of a person named among the data categories.
    const audit = readDb(
      dataDir,
      (db) =>
        db.prepare("SELECT data_categories AS c FROM audit_log WHERE purpose = 'element creation'").all() as Array<{
          c: string;
        }>,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.c).toContain('images of a person or product');
  }, 120_000);

  it('a kill -9 after the external id is written and the create sent: the rerun adopts the element, the sandbox saw one create', async () => {
    const dir = tmp('el-kill');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const board = writeStoryboard(dir, 'killed', 'mara', { name: 'Mara K' });
    const before = elementCreates(sb);
    const known = sb.elements().length;
    // The sandbox makes the element at once and holds the answer: the CLI dies waiting for it.
    sb.inject({ route: 'create', action: { type: 'delay', ms: 20_000, after: true } });
    const run = startCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
    await until('the element create at the sandbox', () => sb.elements().length > known, 60_000);
    const row = readDb(
      dataDir,
      (db) => db.prepare('SELECT state, external_task_id AS ext FROM elements').get() as { state: string; ext: string },
    );
    expect(row.state).toBe('submitting');
    expect(sb.elements().at(-1)?.externalTaskId).toBe(row.ext);
    run.child.kill('SIGKILL');
    await run.exit;
    sb.clearFaults();

    const rerun = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('adopted, not created again');
    expect(elementCreates(sb) - before).toBe(1);
    expect(sb.elements().length - known).toBe(1);
    const after = readDb(
      dataDir,
      (db) => db.prepare('SELECT state, kling_id AS k FROM elements').get() as { state: string; k: string },
    );
    expect(after).toEqual({ state: 'ready', k: sb.elements().at(-1)?.elementId });
  }, 120_000);

  it("erase --subject deletes the subject's element at the sandbox and says so; elements delete does the same for one key", async () => {
    const dir = tmp('el-erase');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const board = writeStoryboard(dir, 'erased', 'mara', { name: 'Mara E', subject: 'mara-person' });
    expect((await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const el = sb.elements().at(-1);
    expect(el?.name).toBe('Mara E');
    expect(el?.deletedAt).toBeNull();

    // The compliance report lists what Kling holds.
    const compliance = await runCli(['compliance', '--data-dir', dataDir, '--json'], env);
    const checks = (JSON.parse(compliance.stdout) as { checks: Array<{ id: string; detail: string }> }).checks;
    expect(checks.find((c) => c.id === 'elements-at-kling')?.detail).toContain(
      `element ${el?.elementId} (mara, subject mara-person)`,
    );

    const erase = await runCli(['erase', '--subject', 'mara-person', '--data-dir', dataDir], env);
    expect(erase.code, erase.stderr).toBe(0);
    expect(erase.stdout).toContain(`deleted at Kling: element ${el?.elementId} (mara)`);
    expect(sb.elements().find((e) => e.elementId === el?.elementId)?.deletedAt).not.toBeNull();
    expect(readDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM elements').get())).toEqual({ n: 0 });

    // elements delete KEY: another element, deleted at the sandbox by key.
    const dir2 = tmp('el-del');
    const data2 = join(dir2, 'data');
    expect(
      (
        await runCli(
          ['run', writeStoryboard(dir2, 'deleted', 'mara', { name: 'Mara D' }), ...sandboxArgs(sb, data2), '--json'],
          env,
        )
      ).code,
    ).toBe(0);
    const key = readDb(data2, (db) => (db.prepare('SELECT key FROM elements').get() as { key: string }).key);
    const del = await runCli(['elements', 'delete', key, '--data-dir', data2], env);
    expect(del.code, del.stderr).toBe(0);
    const gone = sb.elements().at(-1);
    expect(del.stdout).toContain(`Deleted at Kling: element ${gone?.elementId} (mara)`);
    expect(gone?.deletedAt).not.toBeNull();
  }, 180_000);

  it('an erase whose delete Kling refuses still erases here, keeps only the Kling id, and the next erase deletes it at Kling', async () => {
    const dir = tmp('el-erase-owed');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const board = writeStoryboard(dir, 'owed', 'mara', { name: 'Mara O', subject: 'olga-person' });
    expect((await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const el = sb.elements().at(-1);
    expect(el?.name).toBe('Mara O');

    // Kling is down for element deletes (they count as creates for faults, sandbox/routes.ts).
    sb.inject({ route: 'create', action: { type: 'error', code: 5000, message: 'server busy' }, times: Infinity });
    try {
      const erase = await runCli(['erase', '--subject', 'olga-person', '--data-dir', dataDir], env);
      expect(`${erase.stdout}${erase.stderr}`).toContain(`element ${el?.elementId} (mara)`);
      expect(`${erase.stdout}${erase.stderr}`).toContain('retries the deletion at the next erase');
    } finally {
      sb.clearFaults();
    }
    expect(sb.elements().find((e) => e.elementId === el?.elementId)?.deletedAt).toBeNull();
    // Erased here: no element row, nothing that names the person; only the owed deletion's ids.
    expect(readDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM elements').get())).toEqual({ n: 0 });
    const owed = readDb(dataDir, (db) => db.prepare('SELECT * FROM kling_deletions').all()) as Array<
      Record<string, unknown>
    >;
    expect(owed).toHaveLength(1);
    expect(owed[0]?.kling_id).toBe(el?.elementId);
    expect(JSON.stringify(owed)).not.toMatch(/mara|olga|Mara/);
    const compliance = await runCli(['compliance', '--data-dir', dataDir, '--json'], env);
    const checks = (JSON.parse(compliance.stdout) as { checks: Array<{ id: string; detail: string }> }).checks;
    expect(checks.find((c) => c.id === 'elements-at-kling')?.detail).toContain(
      `element ${el?.elementId} (erased here, deletion at Kling owed since`,
    );

    // Kling answers again: an erase of any subject pays the debt first.
    const again = await runCli(['erase', '--subject', 'nobody-else', '--data-dir', dataDir], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`deleted at Kling: element ${el?.elementId}`);
    expect(sb.elements().find((e) => e.elementId === el?.elementId)?.deletedAt).not.toBeNull();
    expect(readDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM kling_deletions').get())).toEqual({ n: 0 });
  }, 180_000);

  it("erase --subject X where X is only the shots' subject (defaults.subject): the element is X's, deleted at the sandbox, its creation audit row tombstoned", async () => {
    const dir = tmp('el-erase-shots');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const board = writeStoryboard(dir, 'via-shots', 'mara', { name: 'Mara S' }, { subject: 'nina-person' });
    expect((await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const el = sb.elements().at(-1);
    expect(el?.name).toBe('Mara S');
    const created = (): Array<{ subject: string | null; tombstoned: string | null }> =>
      readDb(
        dataDir,
        (db) =>
          db
            .prepare(
              "SELECT subject, tombstoned_at AS tombstoned FROM audit_log WHERE purpose = 'element creation' AND method = 'POST'",
            )
            .all() as Array<{ subject: string | null; tombstoned: string | null }>,
      );
    expect(created()).toEqual([{ subject: 'nina-person', tombstoned: null }]);

    const erase = await runCli(['erase', '--subject', 'nina-person', '--data-dir', dataDir], env);
    expect(erase.code, erase.stderr).toBe(0);
    expect(erase.stdout).toContain(`deleted at Kling: element ${el?.elementId} (mara)`);
    expect(sb.elements().find((e) => e.elementId === el?.elementId)?.deletedAt).not.toBeNull();
    expect(created()).toHaveLength(1);
    expect(created()[0]?.subject).toBeNull();
    expect(created()[0]?.tombstoned).not.toBeNull();
    expect(readDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM elements').get())).toEqual({ n: 0 });
  }, 120_000);

  it('erase --subject X also deletes older elements stored without a subject whose shots all have X; one whose shots differ stays', async () => {
    const dir = tmp('el-erase-old');
    const dataDir = join(dir, 'data');
    const env = { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' };
    const board = writeStoryboard(dir, 'older', 'mara', { name: 'Mara O' }, { subject: 'olga-person' });
    expect((await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const mine = sb.elements().at(-1);
    // A second storyboard: its element is named by shots of two subjects, so it is nobody's alone.
    writeFileSync(join(dir, 'cat-front.png'), png(480, 640, [10, 10, 10]));
    writeFileSync(join(dir, 'cat-side.png'), png(480, 640, [90, 90, 90]));
    const mixed = join(dir, 'mixed.json');
    writeFileSync(
      mixed,
      JSON.stringify({
        name: 'mixed',
        defaults: { model: 'kling-3.0', resolution: '720p', duration: 5, takes: 1, startImage: 'start.png' },
        elements: [{ id: 'cat', name: 'Cat O', frontalImage: 'cat-front.png', referenceImages: ['cat-side.png'] }],
        shots: [
          { id: 'c1', prompt: '@cat sleeps', elements: ['cat'], subject: 'olga-person' },
          { id: 'c2', prompt: '@cat wakes', elements: ['cat'], subject: 'someone-else' },
        ],
      }),
    );
    expect((await runCli(['run', mixed, ...sandboxArgs(sb, dataDir), '--json'], env)).code).toBe(0);
    const cat = sb.elements().at(-1);
    expect(cat?.name).toBe('Cat O');
    // Rows as an older Shotline stored them: no subject on the element or its storyboard link.
    const db = new Database(join(dataDir, 'shotline.db'));
    db.prepare('UPDATE elements SET subject = NULL').run();
    db.prepare('UPDATE storyboard_elements SET subject = NULL').run();
    db.close();

    const dry = await runCli(['erase', '--subject', 'olga-person', '--dry-run', '--data-dir', dataDir], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would delete at Kling: element ${mine?.elementId} (mara)`);
    expect(dry.stdout).not.toContain(`element ${cat?.elementId}`);
    const erase = await runCli(['erase', '--subject', 'olga-person', '--data-dir', dataDir], env);
    expect(erase.code, erase.stderr).toBe(0);
    expect(erase.stdout).toContain(`deleted at Kling: element ${mine?.elementId} (mara)`);
    expect(sb.elements().find((e) => e.elementId === mine?.elementId)?.deletedAt).not.toBeNull();
    expect(sb.elements().find((e) => e.elementId === cat?.elementId)?.deletedAt).toBeNull();
    expect(readDb(dataDir, (d) => d.prepare('SELECT alias, state FROM elements').all())).toEqual([
      { alias: 'cat', state: 'ready' },
    ]);
  }, 180_000);

  it('a bad element image is refused before anything is queued, naming the file, element and field', async () => {
    const dir = tmp('el-bad');
    const board = writeStoryboard(dir, 'bad', 'mara');
    writeFileSync(join(dir, 'side.png'), png(200, 200));
    const before = elementCreates(sb);
    const r = await runCli(['run', board, ...sandboxArgs(sb, join(dir, 'data')), '--json'], {
      SHOTLINE_API_KEY: sb.credentials.apiKey ?? '',
    });
    expect(r.code).toBe(2);
    // The storyboard validator (shared/storyboard) names it first; the library's own check (same words) stands behind it.
    expect(r.stderr).toMatch(
      /bad\.json[:,] elements?\[?.?mara\]?[.,] ?referenceImages\[0\].*side\.png.*200x200 px is too small|bad\.json, element mara, referenceImages\[0\]: 200x200 px is too small/,
    );
    expect(elementCreates(sb)).toBe(before);
  }, 60_000);
});
