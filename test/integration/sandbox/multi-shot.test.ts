/**
 * The sandbox's multi-shot creates on the new standard (electron/core/sandbox/multi-shot.ts,
 * kling-api.md §10): `shot n, m, words;` prompts make one MP4 with hard cuts at the declared
 * boundaries and the total Kling gives (sum + 0.041 s), each shot a different box colour
 * (scene-clip.ts); every broken rule is a 1201 that names it, with no task and no charge.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { shotsOfFrames } from '../media/scene-frames';
import { call, DONE_MS, fastSandbox, idOf, tasksByIds } from './helpers';

let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'shotline-sb-multi-'));
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const body = (prompt: string, duration: number, settings: Record<string, unknown> = {}): unknown => ({
  prompt,
  settings: { resolution: '720p', aspect_ratio: '16:9', duration, audio: 'native', ...settings },
  options: { external_task_id: `multi-${++n}` },
});

it(
  'a multi-shot prompt gets one MP4 with hard cuts at the declared shots, sum + 0.041 s long, with AAC',
  { timeout: 180_000 },
  async () => {
    const r = await call(
      sb,
      'POST',
      '/text-to-video/kling-3.0',
      body('shot 1, 2, a wide shot of a bridge; shot 2, 1, a close-up of a face;shot 3, 1, the tunnel;', 4),
    );
    expect(r.code, r.message).toBe(0);
    sb.clock.advance(DONE_MS);
    const t = (await tasksByIds(sb, [idOf(r)]))[0] as { outputs: Array<{ url: string; duration: string }> };
    expect(t.outputs[0]?.duration).toBe('4.041');
    const file = join(dir, 'scene.mp4');
    writeFileSync(file, Buffer.from(await (await fetch(t.outputs[0]?.url ?? '')).arrayBuffer()));
    const streams = (
      JSON.parse(
        execFileSync('ffprobe', [
          '-v',
          'error',
          '-count_frames',
          '-show_entries',
          'stream=codec_name,nb_read_frames',
          '-of',
          'json',
          file,
        ]).toString(),
      ) as { streams: Array<{ codec_name: string; nb_read_frames: string }> }
    ).streams;
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(streams[0]?.nb_read_frames)).toBe(97); // round(4.041 x 24)
    // Cuts at 2 s and 3 s: frames 47|48 and 71|72; the last shot runs to frame 96.
    expect(shotsOfFrames(file, [0, 47, 48, 71, 72, 96])).toEqual([0, 0, 1, 1, 2, 2]);
  },
);

/** The account's video pack (`/account/costs` needs a window, kling-api.md §14): a refused create must leave it as it was. */
async function costs(): Promise<unknown> {
  const r = await call(sb, 'GET', `/account/costs?start_time=0&end_time=${sb.clock.now() + 86_400_000}`);
  expect(r.code, r.message).toBe(0);
  return r.data;
}

it('each multi-shot rule broken is refused with 1201 naming it: no task, no charge', async () => {
  const before = await costs();
  const tasks = sb.tasks().length;
  const long = 'x'.repeat(513);
  const cases: Array<[string, number, RegExp]> = [
    [
      Array.from({ length: 7 }, (_, i) => `shot ${i + 1}, 1, s${i};`).join(' '),
      7,
      /7 shots; a multi-shot generation has 1-6/,
    ],
    ['shot 1, 3, a; shot 2, 3, b;', 5, /last 6 s together, but settings.duration is 5/],
    ['shot 1, 0, a; shot 2, 5, b;', 5, /shot 1 lasts 0 s; each shot must be a whole number of seconds, at least 1/],
    [`shot 1, 2, a; shot 2, 3, ${long};`, 5, /shot 2 text is 513 characters; at most 512 per shot/],
    ['shot 1, 2, a; shot 3, 3, b;', 5, /shot 3 is numbered out of order/],
    ['shot 1, 2, a; then a pan;', 5, /part 2 is not "shot n, seconds, words;"/],
  ];
  for (const [prompt, duration, why] of cases) {
    const r = await call(sb, 'POST', '/text-to-video/kling-3.0', body(prompt, duration));
    expect([r.status, r.code], prompt.slice(0, 40)).toEqual([400, 1201]);
    expect(r.message).toMatch(why);
  }
  expect(await costs()).toEqual(before);
  expect(sb.tasks()).toHaveLength(tasks);
  // settings.multi_shot false: the same words are one plain shot (kling-api.md §10).
  const plain = await call(
    sb,
    'POST',
    '/text-to-video/kling-3.0',
    body('shot 1, 3, a; shot 2, 3, b;', 5, { multi_shot: false }),
  );
  expect(plain.code, plain.message).toBe(0);
});
