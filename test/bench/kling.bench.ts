/**
 * The Kling client's per-request overhead (JWT cache, wire building and checks, zod on the
 * answer, the onRequest hook, error mapping) against a raw fetch of the same request to the
 * sandbox, side by side in one process.
 */
import { createKlingClient, signJwt, type KlingClient, type VideoRequest } from '../../electron/core/kling';
import { startSandbox, type Sandbox } from '../../electron/core/sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureClip, type ClipSpec } from '../../electron/core/sandbox/clips';
import type { CustomBench, Suite } from './harness';

let sb: Sandbox | null = null;
let client: KlingClient;
let auth = '';
let taskId = '';
let n = 0;

async function setup(): Promise<void> {
  sb = await startSandbox({ concurrency: 1e9, accounts: [{ accessKey: 'ak-bench', secretKey: 'sk-bench-000000', balance: 1e12 }] });
  client = createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials: { kind: 'aksk', accessKey: 'ak-bench', secretKey: 'sk-bench-000000' },
    onRequest: () => undefined,
  });
  auth = `Bearer ${signJwt('ak-bench', 'sk-bench-000000', Math.floor(Date.now() / 1000)).token}`;
  taskId = (await client.createTask(request())).taskId;
}

async function teardown(): Promise<void> {
  await sb?.close();
  sb = null;
}

const request = (): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-v1',
  mode: 'std',
  duration: 5,
  prompt: 'a red kite over the sea',
  camera: { type: 'simple', config: { zoom: 5 } },
  externalTaskId: `bench-${process.pid}-${++n}`,
});

const headers = (): Record<string, string> => ({ Authorization: auth, 'Content-Type': 'application/json' });

const query: Suite = {
  name: 'Kling task query against the sandbox: raw fetch vs client.getTask',
  unit: 'one GET /v1/videos/text2video/{id}',
  iterations: 300,
  async setup() {
    await setup();
    return [
      {
        name: 'raw fetch + JSON.parse',
        run: async () => JSON.parse(await (await fetch(`${sb?.url}/v1/videos/text2video/${taskId}`, { headers: headers() })).text()) as unknown,
      },
      { name: 'client.getTask (auth, zod, hook, errors)', run: () => client.getTask('text2video', taskId) },
    ];
  },
  teardown,
};

const create: Suite = {
  name: 'Kling create against the sandbox: raw fetch vs client.createTask',
  unit: 'one POST /v1/videos/text2video',
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
            model_name: r.model,
            prompt: r.prompt,
            mode: r.mode,
            camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } },
            aspect_ratio: '16:9',
            duration: '5',
            external_task_id: r.externalTaskId,
          });
          return JSON.parse(await (await fetch(`${sb?.url}/v1/videos/text2video`, { method: 'POST', headers: headers(), body })).text()) as unknown;
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
        ['kling-v1 std 5 s (1280x720, 30 fps)', { width: 1280, height: 720, fps: 30, durationSec: 5, variant: 0, variants: 8 }],
        ['kling-v2-5-turbo pro 10 s (1920x1080, 24 fps)', { width: 1920, height: 1080, fps: 24, durationSec: 10, variant: 0, variants: 8 }],
      ];
      for (const [label, spec] of specs) {
        let t0 = performance.now();
        await ensureClip(spec, { cacheDir: dir });
        const cold = performance.now() - t0;
        t0 = performance.now();
        for (let i = 0; i < 1000; i++) await ensureClip(spec, { cacheDir: dir });
        const warm = (performance.now() - t0) / 1000;
        lines.push(`${label.padEnd(46)} first ${cold.toFixed(0).padStart(6)} ms   cached ${(warm * 1000).toFixed(1).padStart(6)} us   x${(cold / warm).toFixed(0)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return lines;
  },
};

export default [query, create, clips];
