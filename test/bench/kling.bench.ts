/**
 * The Kling client's per-request overhead (wire building and checks, zod on the answer, the
 * onRequest hook, error mapping) against a raw fetch of the same request to the sandbox, side
 * by side in one process, on the new standard with an API key (what Shotline speaks today).
 */
import { createKlingClient, type KlingClient, type VideoRequest } from '../../electron/core/kling';
import { startSandbox, type Sandbox } from '../../electron/core/sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureClip, type ClipSpec } from '../../electron/core/sandbox/clips';
import type { CustomBench, Suite } from './harness';

let sb: Sandbox | null = null;
let client: KlingClient;
const API_KEY = 'key-bench-000000000';
const auth = `Bearer ${API_KEY}`;
let taskId = '';
let n = 0;

async function setup(): Promise<void> {
  sb = await startSandbox({
    concurrency: 1e9,
    accounts: [{ accessKey: 'ak-bench', secretKey: 'sk-bench-000000', apiKey: API_KEY, balance: 1e12 }],
  });
  client = createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials: { kind: 'bearer', apiKey: API_KEY },
    onRequest: () => undefined,
  });
  taskId = (await client.createTask(request())).taskId;
}

async function teardown(): Promise<void> {
  await sb?.close();
  sb = null;
}

const request = (): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-2.5-turbo',
  resolution: '720p',
  duration: 5,
  prompt: 'a red kite over the sea',
  externalTaskId: `bench-${process.pid}-${++n}`,
});

const headers = (): Record<string, string> => ({ Authorization: auth, 'Content-Type': 'application/json' });

const query: Suite = {
  name: 'Kling task query against the sandbox: raw fetch vs client.getTask',
  unit: 'one GET /tasks?task_ids={id}',
  iterations: 300,
  async setup() {
    await setup();
    return [
      {
        name: 'raw fetch + JSON.parse',
        run: async () =>
          JSON.parse(
            await (await fetch(`${sb?.url}/tasks?task_ids=${taskId}`, { headers: headers() })).text(),
          ) as unknown,
      },
      {
        name: 'client.getTask (auth, zod, hook, errors)',
        run: () => client.getTask({ model: 'kling-2.5-turbo', kind: 'text2video' }, taskId),
      },
    ];
  },
  teardown,
};

const create: Suite = {
  name: 'Kling create against the sandbox: raw fetch vs client.createTask',
  unit: 'one POST /text-to-video/kling-2.5-turbo',
  iterations: 150,
  rounds: 3,
  async setup() {
    await setup();
    return [
      {
        name: 'raw fetch of a hand-made body',
        run: async () => {
          const r = request();
          const body = JSON.stringify({
            model_name: 'kling-v2-5-turbo',
            prompt: r.prompt,
            mode: 'std',
            aspect_ratio: '16:9',
            duration: '5',
            external_task_id: r.externalTaskId,
          });
          return JSON.parse(
            await (
              await fetch(`${sb?.url}/text-to-video/kling-2.5-turbo`, { method: 'POST', headers: headers(), body })
            ).text(),
          ) as unknown;
        },
      },
      { name: 'client.createTask (matrix check, build, zod)', run: () => client.createTask(request()) },
    ];
  },
  teardown,
};

/** What a sandbox clip costs the first time (ffmpeg) and afterwards (cache hit). */
const clips: CustomBench = {
  name: 'Sandbox clips: first request (ffmpeg, ultrafast) vs cached',
  async measure() {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-bench-clips-'));
    const lines: string[] = [];
    try {
      const specs: Array<[string, ClipSpec]> = [
        [
          'kling-2.5-turbo 720p 5 s, silent (1280x720)',
          { width: 1280, height: 720, fps: 24, durationSec: 5.041, variant: 0, variants: 8 },
        ],
        [
          'kling-3.0 1080p 10 s, AAC (1920x1080)',
          { width: 1920, height: 1080, fps: 24, durationSec: 10.041, variant: 0, variants: 8, audio: true },
        ],
      ];
      for (const [label, spec] of specs) {
        let t0 = performance.now();
        await ensureClip(spec, { cacheDir: dir });
        const cold = performance.now() - t0;
        t0 = performance.now();
        for (let i = 0; i < 1000; i++) await ensureClip(spec, { cacheDir: dir });
        const warm = (performance.now() - t0) / 1000;
        lines.push(
          `${label.padEnd(46)} first ${cold.toFixed(0).padStart(6)} ms   cached ${(warm * 1000).toFixed(1).padStart(6)} us   x${(cold / warm).toFixed(0)}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return lines;
  },
};

export default [query, create, clips];
