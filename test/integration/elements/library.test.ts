/**
 * The element library against the sandbox over HTTP, with a real database: one element per
 * account and content across storyboards and batches, Kling ids handed to the engine's hook,
 * an unclear create answer reconciled by external id (one element at the sandbox), both
 * credential kinds, the audit rows, refusals that name the element and field, and delete.
 */
import { join } from 'node:path';

import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import {
  deleteElement,
  elementIdsFor,
  ElementRunner,
  ensureElements,
  getElement,
  libraryAliases,
  listElementViews,
} from '../../../electron/core/elements';
import { elementAuditEntry } from '../../../electron/core/elements/audit';
import { listAudit, recordAudit, auditFromKlingRequest, setPrivacySettings } from '../../../electron/core/privacy';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { loadStoryboard } from '../../../electron/core/storyboard';
import { fastSandbox } from '../sandbox/helpers';
import { clientFor, dataDir, elementCreates, imageElement, openDb, storyboardWith, writeImages } from './helpers';

/** The stored shots naming elements, from their owner (the caller's part in the app: handlers/elements.ts). */
const shotsOf = (db: Database.Database) => new QueueStore(db).shotsNamingElements();

let sb: Sandbox | null = null;
const runners: ElementRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await sb?.close();
  sb = null;
});

describe('element library', () => {
  it.each(['bearer', 'aksk'] as const)(
    'creates an element once for two storyboards and two batches naming the same images (%s)',
    async (kind) => {
      sb = await fastSandbox({ elementMs: 300 });
      const dir = dataDir(`once-${kind}`);
      const db = openDb(dir);
      const imgs = writeImages(dir, 'mara');
      storyboardWith(db, 'sb-one', [imageElement('mara', imgs)]);
      storyboardWith(db, 'sb-two', [imageElement('heroine', imgs, { name: 'Mara' })]);
      const client = clientFor(sb, kind, (i) =>
        recordAudit(db, elementAuditEntry(db, i) ?? auditFromKlingRequest(db, i)),
      );
      const account = `sandbox@test/${kind}`;
      const runner = new ElementRunner({ db, client, account, pollMs: 50 });
      runners.push(runner);
      runner.start();

      runner.ensure('sb-one');
      const ids1 = await runner.idsFor('sb-one', ['mara']);
      expect(ids1.mara).toMatch(/^\d{15}$/);
      // A second storyboard with the same name and image bytes (another alias): the same element.
      runner.ensure('sb-two');
      expect(await runner.idsFor('sb-two', ['heroine'])).toEqual({ heroine: ids1.mara });
      // A second batch of the first storyboard: the stored id, nothing sent.
      const before = elementCreates(sb);
      ensureElements(db, account, 'sb-one');
      expect(elementIdsFor(db, account, 'sb-one', ['mara'])).toEqual({ ready: { mara: ids1.mara } });
      expect(elementCreates(sb)).toBe(before);
      expect(elementCreates(sb)).toBe(1);
      expect(sb.elements()).toHaveLength(1);
      expect(sb.elements()[0]?.accessKey).toBe(sb.credentials.accessKey);

      const views = listElementViews(db, shotsOf(db));
      expect(views).toHaveLength(1);
      expect(views[0]).toMatchObject({ id: 'mara', state: 'ready', klingId: ids1.mara, account });

      const audit = listAudit(db).rows;
      const creates = audit.filter((r) => r.purpose === 'element creation');
      expect(creates).toHaveLength(1);
      expect(creates[0]?.dataCategories.join(' ')).toContain('images of a person or product');
      expect(creates[0]?.path).toBe('/v1/general/advanced-custom-elements');
      db.close();
    },
  );

  it("a storyboard naming a held element by its Kling id (as the app's picker writes it) gets that element, listed once with its shots", async () => {
    sb = await fastSandbox({ elementMs: 200 });
    const dir = dataDir('held');
    const db = openDb(dir);
    storyboardWith(db, 'sb-one', [imageElement('mara', writeImages(dir, 'mara'))]);
    const account = 'sandbox@test/bearer';
    const runner = new ElementRunner({ db, client: clientFor(sb, 'bearer'), account, pollMs: 50 });
    runners.push(runner);
    runner.start();
    runner.ensure('sb-one');
    const { mara } = await runner.idsFor('sb-one', ['mara']);
    const held = listElementViews(db, shotsOf(db))[0];
    storyboardWith(db, 'sb-two', [
      { id: 'mara', name: 'mara', description: 'mara', source: 'existing', klingId: mara ?? '' },
    ]);
    db.prepare(
      "INSERT INTO shots (storyboard_id, shot_id, ord, prompt, takes, units_per_take, spec, spec_hash) VALUES ('sb-two', 'shot-1', 0, '@mara', 1, 1, ?, 'h')",
    ).run(JSON.stringify({ id: 'shot-1', elements: ['mara'] }));
    const rows = ensureElements(db, account, 'sb-two');
    expect(rows.get('mara')?.key).toBe(held?.key);
    expect(elementIdsFor(db, account, 'sb-two', ['mara'])).toEqual({ ready: { mara } });
    const views = listElementViews(db, shotsOf(db));
    expect(views).toHaveLength(1);
    expect(views[0]?.usedBy).toEqual([{ storyboardId: 'sb-two', shotId: 'shot-1' }]);
    expect(listElementViews(db, shotsOf(db), { storyboardId: 'sb-two' }).map((v) => v.key)).toEqual([held?.key]);
    expect(elementCreates(sb)).toBe(1);
    db.close();
  });

  it('a changed description alone reuses the element (the name and image hashes decide); a changed name does not', async () => {
    sb = await fastSandbox({ elementMs: 200 });
    const dir = dataDir('descr');
    const db = openDb(dir);
    const imgs = writeImages(dir, 'mara');
    storyboardWith(db, 'sb-one', [imageElement('mara', imgs)]);
    storyboardWith(db, 'sb-two', [imageElement('mara', imgs, { description: 'the same woman, now in blue' })]);
    storyboardWith(db, 'sb-three', [imageElement('mara', imgs, { name: 'Mara B' })]);
    const runner = new ElementRunner({ db, client: clientFor(sb, 'bearer'), account: 'a', pollMs: 50 });
    runners.push(runner);
    runner.start();
    runner.ensure('sb-one');
    const { mara } = await runner.idsFor('sb-one', ['mara']);
    runner.ensure('sb-two');
    expect(await runner.idsFor('sb-two', ['mara'])).toEqual({ mara });
    expect(elementCreates(sb)).toBe(1);
    runner.ensure('sb-three');
    expect((await runner.idsFor('sb-three', ['mara'])).mara).not.toBe(mara);
    expect(elementCreates(sb)).toBe(2);
    db.close();
  });

  it('an unclear create answer is reconciled by external id: adopted, not sent twice', async () => {
    sb = await fastSandbox({ elementMs: 200 });
    const dir = dataDir('unclear');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [imageElement('mara', writeImages(dir, 'mara'))]);
    // The sandbox makes the element, then the connection drops before the answer.
    sb.inject({ route: 'create', action: { type: 'drop', after: true } });
    const runner = new ElementRunner({
      db,
      client: clientFor(sb, 'bearer'),
      account: 'a',
      pollMs: 50,
      baseDelayMs: 50,
    });
    runners.push(runner);
    runner.start();
    runner.ensure('sb');
    const ids = await runner.idsFor('sb', ['mara']);
    expect(elementCreates(sb)).toBe(1);
    expect(sb.elements()).toHaveLength(1);
    expect(ids.mara).toBe(sb.elements()[0]?.elementId);
    const row = listElementViews(db, shotsOf(db))[0];
    expect(row?.externalTaskId).toBe(sb.elements()[0]?.externalTaskId);
    db.close();
  });

  it('refuses a bad image naming the storyboard, element and field, before anything is stored', () => {
    const dir = dataDir('bad');
    const db = openDb(dir);
    const small = writeImages(dir, 'small', 1, [200, 200]);
    expect(() => storyboardWith(db, 'sb', [imageElement('mara', small)])).toThrow(
      /sb\.json, element mara, frontalImage: 200x200 px is too small/,
    );
    const wide = writeImages(dir, 'wide', 1, [1200, 300]);
    expect(() =>
      storyboardWith(db, 'sb', [imageElement('mara', { frontal: writeImages(dir, 'ok').frontal, refs: wide.refs })]),
    ).toThrow(/element mara, referenceImages\[0\]: aspect ratio/);
    expect(() =>
      storyboardWith(db, 'sb', [
        imageElement('mara', { frontal: `${dir}/missing.png`, refs: writeImages(dir, 'ok2').refs }),
      ]),
    ).toThrow(/element mara, frontalImage: .*missing\.png does not exist/);
    expect(db.prepare('SELECT count(*) AS n FROM storyboard_elements').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a failed creation is reported with the fix; an alias the storyboard does not define is refused', async () => {
    sb = await fastSandbox({ elementMs: 100 });
    const dir = dataDir('fail');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [imageElement('mara', writeImages(dir, 'mara'), { name: 'Mara' })]);
    sb.inject({ route: 'create', action: { type: 'error', code: 1201, message: 'element_name: bad' } });
    const runner = new ElementRunner({ db, client: clientFor(sb, 'bearer'), account: 'a', pollMs: 50 });
    runners.push(runner);
    runner.start();
    await expect(runner.idsFor('sb', ['mara'])).rejects.toThrow(
      /element "mara": Kling refused it: .*element_name: bad.*Fix:/,
    );
    const ghost = elementIdsFor(db, 'a', 'sb', ['ghost']);
    expect('failed' in ghost && ghost.failed).toContain('"ghost" is neither in the storyboard');
    // The next run (ensure at enqueue) tries the failed element again.
    runner.ensure('sb');
    expect((await runner.idsFor('sb', ['mara'])).mara).toMatch(/^\d+$/);
    db.close();
  });

  it('an account problem blocks the element with the fix; an outage past its budget blocks it too; the next run takes both up again', async () => {
    sb = await fastSandbox({ elementMs: 100 });
    const dir = dataDir('blocked');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [imageElement('mara', writeImages(dir, 'mara'))]);
    sb.inject({ route: 'create', action: { type: 'error', code: 1102 } });
    const runner = new ElementRunner({
      db,
      client: clientFor(sb, 'bearer'),
      account: 'a',
      pollMs: 50,
      baseDelayMs: 20,
      transientBudgetMs: 300,
    });
    runners.push(runner);
    runner.start();
    await expect(runner.idsFor('sb', ['mara'])).rejects.toThrow(
      /element "mara": Kling refused it: .*1102.*Fix: check the key and the account/,
    );
    expect(listElementViews(db, shotsOf(db))[0]?.state).toBe('blocked');
    // Kling unreachable for longer than the budget: blocked, never failed, the external id kept.
    sb.inject({ route: 'any', action: { type: 'drop' }, times: Infinity });
    runner.ensure('sb');
    await expect(runner.idsFor('sb', ['mara'])).rejects.toThrow(/could not be reached for the element since/);
    expect(listElementViews(db, shotsOf(db))[0]?.fix).toBe('run again once Kling answers');
    expect(sb.elements()).toHaveLength(0);
    sb.clearFaults();
    runner.ensure('sb');
    expect((await runner.idsFor('sb', ['mara'])).mara).toBe(sb.elements()[0]?.elementId);
    expect(sb.elements()).toHaveLength(1);
    expect(listElementViews(db, shotsOf(db))).toHaveLength(1);
    db.close();
  });

  it('an element given by its Kling id (existing) is ready at once and sends nothing', () => {
    const dir = dataDir('existing');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [
      { id: 'grace', name: 'Grace', description: 'a preset', source: 'existing', klingId: '321922438904313' },
    ]);
    expect(elementIdsFor(db, 'a', 'sb', ['grace'])).toEqual({ ready: { grace: '321922438904313' } });
    expect(listElementViews(db, shotsOf(db))[0]).toMatchObject({
      source: 'existing',
      state: 'ready',
      externalTaskId: null,
    });
    expect(() =>
      storyboardWith(db, 'sb2', [{ id: 'bad', name: 'Bad', description: 'x', source: 'existing', klingId: 'abc' }]),
    ).toThrow(/sb2\.json, element bad, klingId: must be the digits/);
    db.close();
  });

  it('deletes an element at Kling and here', async () => {
    sb = await fastSandbox({ elementMs: 100 });
    const dir = dataDir('del');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [imageElement('mara', writeImages(dir, 'mara'))]);
    const client = clientFor(sb, 'bearer');
    const runner = new ElementRunner({ db, client, account: 'a', pollMs: 50 });
    runners.push(runner);
    runner.start();
    const ids = await runner.idsFor('sb', ['mara']);
    const key = listElementViews(db, shotsOf(db))[0]?.key as string;
    const out = await deleteElement(db, client, key);
    expect(out).toEqual({ key, alias: 'mara', klingId: ids.mara, where: 'kling' });
    expect(sb.elements()[0]?.deletedAt).not.toBeNull();
    expect(getElement(db, key)?.state).toBe('deleted');
    db.close();
  });

  it("a delete's audit row names the subject of the element it deletes, found by its Kling id (an element given by klingId has no external id)", async () => {
    sb = await fastSandbox({ elementMs: 100 });
    const dir = dataDir('del-audit');
    const db = openDb(dir);
    storyboardWith(db, 'sb', [imageElement('mara', writeImages(dir, 'mara'))]);
    const client = clientFor(sb, 'bearer', (i) =>
      recordAudit(db, elementAuditEntry(db, i) ?? auditFromKlingRequest(db, i)),
    );
    const runner = new ElementRunner({ db, client, account: 'a', pollMs: 50 });
    runners.push(runner);
    runner.start();
    const { mara } = await runner.idsFor('sb', ['mara']);
    // Another account's library row for the same Kling id, tagged with a subject, named by klingId.
    storyboardWith(db, 'sb-held', [
      {
        id: 'held',
        name: 'held',
        description: 'held',
        source: 'existing',
        klingId: mara ?? '',
        subject: 'mara-person',
      },
    ]);
    const held = ensureElements(db, 'b', 'sb-held').get('held');
    expect(held).toMatchObject({ kling_id: mara, external_task_id: null, subject: 'mara-person' });
    await deleteElement(db, client, held?.key ?? '');
    const deletes = listAudit(db).rows.filter((r) => r.purpose === 'element deletion (erasure at the provider)');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.subject).toBe('mara-person');
    db.close();
  });

  it('a CSV naming library elements reaches the element limit through the core loader (test/fixtures/storyboards/bad-scenes.csv, scene crowd)', () => {
    const dir = dataDir('csv-limit');
    const db = openDb(dir);
    const csv = join(__dirname, '../../fixtures/storyboards/bad-scenes.csv');
    const crowd = (knownElements?: readonly string[]) => {
      const l = loadStoryboard({ path: csv }, knownElements ? { knownElements } : {});
      return l.result.problems.filter((p) => p.shot === '"crowd1"' || p.shot === '"crowd2"');
    };
    // Without the library every name is "no element"; the limit rule is never reached.
    expect(crowd().map((p) => [p.shot, p.field, p.value])).toEqual([
      ['"crowd1"', 'elements', '"ana"'],
      ['"crowd1"', 'elements', '"ben"'],
      ['"crowd2"', 'elements', '"cy"'],
      ['"crowd2"', 'elements', '"dee"'],
    ]);
    expect(crowd().every((p) => /a CSV storyboard has no top-level elements/.test(p.message))).toBe(true);
    // The library holds ana, ben, cy and dee (by Kling id): now scene crowd's four elements break kling-3.0's limit.
    storyboardWith(
      db,
      'lib',
      ['ana', 'ben', 'cy', 'dee'].map((id, i) => ({
        id,
        name: id,
        description: id,
        source: 'existing' as const,
        klingId: `${900 + i}`,
      })),
    );
    ensureElements(db, 'a', 'lib');
    expect(libraryAliases(db)).toEqual(['ana', 'ben', 'cy', 'dee']);
    const limit = crowd(libraryAliases(db));
    expect(limit).toHaveLength(1);
    expect(limit[0]).toMatchObject({ file: csv, row: 18, shot: '"crowd1"', field: 'elements' });
    expect(limit[0]?.message).toMatch(
      /scene crowd sends ana, ben, cy, dee together: 4 elements; kling-3\.0 takes at most 3; use kling-3\.0-omni/,
    );
    db.close();
  });

  it("name and description pass the PII filter in the privacy settings' mode: mask sends masked text; block blocks the element with the fix, and the fixed description runs", async () => {
    sb = await fastSandbox({ elementMs: 100 });
    const dir = dataDir('pii');
    const db = openDb(dir);
    const imgs = writeImages(dir, 'mara');
    storyboardWith(db, 'sb-mask', [imageElement('mara', imgs, { description: 'call mara.k@example.com' })]);
    setPrivacySettings(db, { piiMode: 'mask' });
    const runner = new ElementRunner({ db, client: clientFor(sb, 'bearer'), account: 'a', pollMs: 50 });
    runners.push(runner);
    runner.start();
    runner.ensure('sb-mask');
    await runner.idsFor('sb-mask', ['mara']);
    expect(sb.elements()[0]?.description).toBe('call [EMAIL]');

    setPrivacySettings(db, { piiMode: 'block' });
    const other = writeImages(dir, 'ben');
    storyboardWith(db, 'sb-block', [imageElement('ben', other, { name: 'Ben', description: 'ben@example.com' })]);
    runner.ensure('sb-block');
    await expect(runner.idsFor('sb-block', ['ben'])).rejects.toThrow(
      /element ben: the description contains personal data \(email\); the PII mode is "block"\. Fix: remove it from the element's description/,
    );
    expect(elementCreates(sb)).toBe(1);
    // The description fixed (same name and images, so the same row): the next run creates it.
    storyboardWith(db, 'sb-block', [imageElement('ben', other, { name: 'Ben', description: 'a man in a hat' })]);
    runner.ensure('sb-block');
    expect((await runner.idsFor('sb-block', ['ben'])).ben).toMatch(/^\d+$/);
    expect(sb.elements()[1]?.description).toBe('a man in a hat');
    db.close();
  });
});
