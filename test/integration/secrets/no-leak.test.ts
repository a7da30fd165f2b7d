/**
 * "No secret leaks": a small batch against the sandbox with a key from the real OS keychain,
 * driven through the core (profile, PII filter, Kling client, audit log, downloads, log
 * file) while the contract is used over the test bridge, the renderer's transport. Then the
 * secret key and every JWT that was sent are searched for in every file of the data dir
 * (SQLite file and WAL included), the log, and all bridge responses and events: none found.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { startTestBridge, type TestBridge } from '../../../electron/core/bridge/test-bridge';
import { createKlingClient } from '../../../electron/core/kling';
import {
  auditFromKlingRequest,
  filterPromptWithSettings,
  recordAudit,
  registerFile,
} from '../../../electron/core/privacy';
import { walkFiles } from '../../../electron/core/privacy/files';
import { startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import { resolveCredentials } from '../../../electron/core/secrets';

const SERVICE = `Shotline-test-${randomUUID()}`;
const AK = `ak-${randomBytes(12).toString('hex')}`;
const SK = `sk-${randomBytes(24).toString('hex')}`;

let sandbox: Sandbox;
let dir: string;
let core: Core;
let bridge: TestBridge;
const traffic: string[] = [];
const jwts = new Set<string>();
let authed = 0;
let events: AbortController;
const realFetch = globalThis.fetch;

async function rpc(
  method: string,
  input: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  const body = JSON.stringify(input);
  const res = await fetch(`${bridge.origin}/rpc/${method}`, {
    method: 'POST',
    headers: { 'x-shotline-token': bridge.token, 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  traffic.push(text);
  return JSON.parse(text) as { ok: boolean; value?: unknown; error?: { message: string } };
}

beforeAll(async () => {
  process.env.SHOTLINE_KEYCHAIN_SERVICE = SERVICE;
  // Every Authorization header any client sends (the batch's and `secrets.test`'s) is recorded.
  globalThis.fetch = (input, init) => {
    const auth = new Headers(init?.headers).get('authorization');
    if (auth) {
      authed++;
      jwts.add(auth.replace(/^Bearer /, ''));
    }
    return realFetch(input, init);
  };
  sandbox = await startSandbox({
    accounts: [{ accessKey: AK, secretKey: SK }],
    timing: { submittedMs: 20, processingMs: 40 },
    costsMinIntervalMs: 0,
  });
  dir = mkdtempSync(join(tmpdir(), 'shotline-noleak-'));
  core = createCore({ dataDir: dir });
  bridge = await startTestBridge(core, dir);
  events = new AbortController();
  void fetch(`${bridge.origin}/events?token=${bridge.token}`, { signal: events.signal })
    .then(async (res) => {
      const reader = res.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        traffic.push(Buffer.from(value).toString('utf8'));
      }
    })
    .catch(() => {});
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  events.abort();
  await bridge.close();
  await core.close();
  for (const c of await keytar.findCredentials(SERVICE)) await keytar.deletePassword(SERVICE, c.account);
  delete process.env.SHOTLINE_KEYCHAIN_SERVICE;
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('no secret leaks', () => {
  it('a sandbox batch leaves neither the secret key nor any JWT in files, SQLite, logs or IPC traffic', async () => {
    // Settings, as the renderer does it: the secret travels in, only masked keys come back.
    expect(
      (
        await rpc('secrets.set', {
          name: 'Leak check',
          provider: 'sandbox',
          baseUrl: sandbox.url,
          environment: 'test',
          credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
        })
      ).ok,
    ).toBe(true);
    expect((await rpc('privacy.settings.set', { piiTerms: ['Acme Corp'] })).ok).toBe(true);
    expect((await rpc('secrets.test', { name: 'Leak check' })).value).toMatchObject({ ok: true });

    // The batch: credentials from the keychain profile, prompts through the PII filter, every request audited and logged.
    const db = core.ctx.db();
    const resolved = await resolveCredentials({ provider: 'sandbox', profile: 'Leak check', env: {} });
    expect(resolved.source).toBe('keychain');
    const log = join(dir, 'logs', 'shotline.log');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const client = createKlingClient({
      provider: 'sandbox',
      baseUrl: resolved.profile?.baseUrl ?? sandbox.url,
      credentials: resolved.credentials,
      onRequest: (info) =>
        recordAudit(
          db,
          auditFromKlingRequest(db, info, { subject: 'client-acme', jobId: info.externalTaskId ?? null }),
        ),
      log: (line) => appendFileSync(log, `${line}\n`),
    });
    const prompts = [
      'A red kite over the sea, call +44 20 7946 0958',
      'Acme Corp logo on a glass tower at dusk',
      'A paper boat on a rainy street',
    ];
    const tasks = [];
    for (const [i, p] of prompts.entries()) {
      const filtered = filterPromptWithSettings(db, p);
      appendFileSync(log, `submit shot ${i}: ${filtered.text}\n`);
      tasks.push(
        await client.createTask({
          kind: 'text2video',
          model: 'kling-2.5-turbo',
          resolution: '720p',
          duration: 5,
          aspectRatio: '16:9',
          prompt: filtered.text,
          externalTaskId: `leak-${i}-${randomUUID()}`,
        }),
      );
    }
    expect(sandbox.creates.map((c) => JSON.stringify(c.body))).not.toContainEqual(expect.stringContaining('7946'));
    for (const [i, t] of tasks.entries()) {
      let task = t;
      for (let n = 0; n < 200 && task.status !== 'succeed' && task.status !== 'failed'; n++) {
        await new Promise((r) => setTimeout(r, 25));
        task = await client.getTask({ model: 'kling-2.5-turbo', kind: 'text2video' }, t.taskId);
      }
      expect(task.status).toBe('succeed');
      const res = await client.fetchResult(task.videos[0]!.url);
      const file = join(dir, 'clips', `shot-${i}.mp4`);
      mkdirSync(join(dir, 'clips'), { recursive: true });
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      registerFile(db, { path: file, kind: 'take', project: 'leak', subject: 'client-acme' });
    }
    expect(jwts.size).toBeGreaterThan(0);
    expect(authed).toBeGreaterThanOrEqual(7); // secrets.test, 3 creates, the polls

    // Everything the renderer can ask for.
    for (const [m, input] of [
      ['app.info', {}],
      ['secrets.list', {}],
      ['privacy.settings.get', {}],
      ['privacy.pii.preview', { text: prompts[0] }],
      ['privacy.audit.list', { limit: 100 }],
      ['privacy.audit.export', { format: 'csv' }],
      ['privacy.audit.export', { format: 'json' }],
      ['privacy.retention.run', { dryRun: true }],
      ['privacy.compliance', {}],
      ['secrets.test', { name: 'Leak check' }],
    ] as const) {
      expect((await rpc(m, input)).ok, m).toBe(true);
    }
    const audit = (await rpc('privacy.audit.list', { limit: 100 })).value as { total: number };
    expect(audit.total).toBeGreaterThanOrEqual(9);
    db.pragma('wal_checkpoint(PASSIVE)');

    const needles = [SK, ...jwts, ...[...jwts].map((j) => j.split('.')[2] ?? j)];
    const hits: string[] = [];
    for (const f of walkFiles(dir)) {
      const buf = readFileSync(f);
      for (const n of needles)
        if (buf.includes(Buffer.from(n))) hits.push(`${f} contains ${n === SK ? 'the secret key' : 'a JWT'}`);
    }
    const ipc = traffic.join('\n');
    for (const n of needles)
      if (ipc.includes(n)) hits.push(`IPC traffic contains ${n === SK ? 'the secret key' : 'a JWT'}`);
    console.log(
      `no-leak: ${walkFiles(dir).length} files (${walkFiles(dir).filter((f) => f.includes('shotline.db')).length} SQLite/WAL), ${traffic.length} IPC messages (${ipc.length} chars), ${jwts.size} distinct JWT(s) over ${authed} authenticated requests, ${audit.total} audit rows searched: ${hits.length} hit(s)`,
    );
    expect(hits).toEqual([]);
    expect(readFileSync(log, 'utf8')).toMatch(/auth=Bearer \S+…\S+ -> 200/);
    expect(ipc).toContain(`${AK.slice(0, 4)}…${AK.slice(-4)}`);
  });
});
