/**
 * The sandbox's create path for the Kling 3.x features (electron/core/sandbox/{create,motion}.ts,
 * kling-api.md §5.6, §7, §10, §20): a legacy multi_prompt scene makes the same cut MP4 as the new
 * standard's prompt syntax; elements must exist for the account (1201 "Element id not found");
 * motion control probes its reference video (only from this machine), refuses what Kling
 * refuses, bills the reference's rounded seconds and copies its sound with audio original.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { shotsOfFrames } from '../media/scene-frames';
import { pngBase64 } from '../../unit/kling/png';
import { call, create, DONE_MS, fastSandbox, idOf, tasksByIds, wire } from './helpers';

let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'shotline-sb-3x-'));
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

const IMG = pngBase64(400, 400);
let n = 0;
const ext = (): string => `x3-${++n}`;

async function download(url: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return file;
}

function probe(file: string): { codecs: string[]; duration: number; frames: number } {
  const j = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,nb_read_frames:format=duration',
      '-of',
      'json',
      file,
    ]).toString(),
  ) as {
    streams: Array<{ codec_name: string; nb_read_frames?: string }>;
    format: { duration: string };
  };
  return {
    codecs: j.streams.map((s) => s.codec_name),
    duration: Number(j.format.duration),
    frames: Number(j.streams[0]?.nb_read_frames),
  };
}

/** Units left in the account's video pack (`/account/costs`, kling-api.md §14). */
async function remaining(): Promise<number> {
  const r = await call(sb, 'GET', `/account/costs?start_time=0&end_time=${sb.clock.now() + 86_400_000}`);
  return (
    (r.data as { resource_pack_subscribe_infos: Array<{ remaining_quantity: number }> })
      .resource_pack_subscribe_infos[0]?.remaining_quantity ?? NaN
  );
}

async function resultUrl(id: string): Promise<string> {
  sb.clock.advance(DONE_MS);
  const t = (await tasksByIds(sb, [id]))[0] as { outputs: Array<{ url: string }> };
  return t.outputs[0]?.url ?? '';
}

it(
  'a legacy multi_prompt scene (kling-v3, customize) is one MP4 cut at the declared shots',
  { timeout: 180_000 },
  async () => {
    const r = await create(
      sb,
      {
        kind: 'text2video',
        model: 'kling-3.0',
        resolution: '720p',
        duration: 4,
        aspectRatio: '16:9',
        audio: 'off',
        externalTaskId: ext(),
        shots: [
          { prompt: 'a bridge', duration: 1 },
          { prompt: 'a face', duration: 3 },
        ],
      },
      'legacy',
    );
    expect(r.code, r.message).toBe(0);
    const file = await download(await resultUrl(idOf(r)), 'legacy-scene.mp4');
    const p = probe(file);
    expect(p.codecs).toEqual(['h264']);
    expect(p.frames).toBe(97);
    // The cut at 1 s: frames 23|24.
    expect(shotsOfFrames(file, [0, 23, 24, 96])).toEqual([0, 0, 1, 1]);
    // A multi_prompt that does not add up is refused with Kling's field names, no task.
    const bad = await call(sb, 'POST', '/v1/videos/text2video', {
      model_name: 'kling-v3',
      mode: 'std',
      duration: '5',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'a', duration: '2' },
        { index: 2, prompt: 'b', duration: '2' },
      ],
      external_task_id: ext(),
    });
    expect([bad.status, bad.code]).toEqual([400, 1201]);
    expect(bad.message).toMatch(/multi_prompt: the shots last 4 s together, but duration is 5/);
  },
);

it(
  'elements: an unknown id is 1201 "Element id not found"; an element made at the sandbox is taken on both standards',
  { timeout: 60_000 },
  async () => {
    const req = {
      kind: 'image2video' as const,
      model: 'kling-3.0' as const,
      resolution: '720p' as const,
      duration: 5,
      prompt: '@mara waves',
      startImage: { base64: IMG },
      externalTaskId: ext(),
      elements: [{ elementId: '999', alias: 'mara' }],
    };
    const unknown = await create(sb, req, 'new');
    expect([unknown.status, unknown.code, unknown.message]).toEqual([400, 1201, 'Element id not found: 999']);
    const made = await call(sb, 'POST', '/v1/general/advanced-custom-elements', {
      element_name: 'Mara',
      element_description: 'the lead',
      reference_type: 'image_refer',
      element_image_list: { frontal_image: IMG, refer_images: [{ image_url: IMG }] },
    });
    expect(made.code, made.message).toBe(0);
    sb.clock.advance(10_000);
    const q = await call(sb, 'GET', `/v1/general/advanced-custom-elements/${idOf(made)}`);
    const elementId = String(
      (q.data as { task_result: { elements: Array<{ element_id: number }> } }).task_result.elements[0]?.element_id,
    );
    const ok = await create(sb, { ...req, externalTaskId: ext(), elements: [{ elementId, alias: 'mara' }] }, 'new');
    expect(ok.code, ok.message).toBe(0);
    const legacy = await create(
      sb,
      { ...req, externalTaskId: ext(), elements: [{ elementId, alias: 'mara' }] },
      'legacy',
    );
    expect(legacy.code, legacy.message).toBe(0);
    // Kling's own limit, checked by the sandbox too: 4 elements on kling-3.0.
    const three = wire(
      { ...req, externalTaskId: ext(), elements: [1, 2, 3].map((i) => ({ elementId, alias: `e${i}` })) },
      'new',
    ).body as { contents: unknown[] };
    three.contents.push({ type: 'element', element_id: elementId, id: 'e4' });
    const four = await call(sb, 'POST', '/image-to-video/kling-3.0', three);
    expect(four.message).toMatch(/contents\[element\]: 4 elements; kling-3\.0 takes at most 3/);
    // 3.0 Omni by element kind (kling-api.md §5.5): four video-character elements are one too many.
    const videos: string[] = [];
    for (let i = 0; i < 4; i++) {
      const v = await call(sb, 'POST', '/v1/general/advanced-custom-elements', {
        element_name: `V${i}`,
        element_description: 'a dancer',
        reference_type: 'video_refer',
        element_video_list: { refer_videos: [{ video_url: `https://example.com/v${i}.mp4` }] },
      });
      expect(v.code, v.message).toBe(0);
      sb.clock.advance(10_000);
      const got = await call(sb, 'GET', `/v1/general/advanced-custom-elements/${idOf(v)}`);
      videos.push(
        String(
          (got.data as { task_result: { elements: Array<{ element_id: number }> } }).task_result.elements[0]
            ?.element_id,
        ),
      );
    }
    const omni = {
      kind: 'text2video' as const,
      model: 'kling-3.0-omni' as const,
      resolution: '720p' as const,
      duration: 5,
      aspectRatio: '16:9' as const,
      prompt: 'four dancers',
      externalTaskId: ext(),
    };
    const fourVideos = await create(
      sb,
      { ...omni, elements: videos.map((elementId, i) => ({ elementId, alias: `v${i}` })) },
      'new',
    );
    expect(fourVideos.message).toMatch(
      /4 video-character and 0 multi-image elements; kling-3\.0-omni takes at most 3 video-character elements/,
    );
    const threeVideos = await create(
      sb,
      {
        ...omni,
        externalTaskId: ext(),
        elements: videos.slice(0, 3).map((elementId, i) => ({ elementId, alias: `v${i}` })),
      },
      'new',
    );
    expect(threeVideos.code, threeVideos.message).toBe(0);
  },
);

it(
  'motion control: the output lasts as long as the reference, carries its sound with audio original, and is billed on its rounded seconds',
  { timeout: 180_000 },
  async () => {
    // The reference: a 5 s clip with sound served by the sandbox itself (a loopback URL).
    const src = await create(
      sb,
      {
        kind: 'text2video',
        model: 'kling-3.0',
        resolution: '720p',
        duration: 5,
        aspectRatio: '9:16',
        audio: 'native',
        prompt: 'a dancer',
        externalTaskId: ext(),
      },
      'new',
    );
    // Served by a plain file server that ignores Range requests (as simple hosts do): the sound must still come through.
    const ref = await download(await resultUrl(idOf(src)), 'reference.mp4');
    // Its index at the end (no faststart), as phones and editors write them: reading it needs a seek.
    const tail = join(dir, 'reference-tail.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-i', ref, '-c', 'copy', '-y', tail]);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4' });
      res.end(readFileSync(tail));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const refUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reference.mp4`;
    const body = (o: Record<string, unknown> = {}, settings: Record<string, unknown> = {}): unknown => ({
      contents: [
        { type: 'prompt', text: 'she dances' },
        { type: 'image', url: IMG },
        { type: 'video', url: refUrl },
      ],
      settings: { resolution: '720p', character_orientation: 'image', audio: 'original', ...settings },
      options: { external_task_id: ext() },
      ...o,
    });
    const r = await call(sb, 'POST', '/motion-control/kling-3.0', body());
    expect(r.code, r.message).toBe(0);
    sb.clock.advance(DONE_MS);
    const done = (await tasksByIds(sb, [idOf(r)]))[0] as {
      outputs: Array<{ url: string; duration: string }>;
      billing: Array<{ amount: string }>;
    };
    expect(Number(done.outputs[0]?.duration)).toBeCloseTo(5.041, 2);
    // 0.9 u/s (3.0 motion, 720p) x 5 s.
    expect(done.billing[0]?.amount).toBe('4.5');
    const file = await download(done.outputs[0]?.url ?? '', 'motion.mp4');
    const p = probe(file);
    expect(p.codecs).toEqual(['h264', 'aac']);
    expect(p.duration).toBeCloseTo(5.041, 1);
    // The reference's own sound (its tone), not a new one: the two tracks match sample for sample at the start.
    const pcm = (f: string): Buffer =>
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-i',
        f,
        '-t',
        '1',
        '-map',
        '0:a',
        '-ac',
        '1',
        '-ar',
        '8000',
        '-f',
        's16le',
        '-',
      ]);
    const a = pcm(file);
    const b = pcm(ref);
    const diff =
      a.length === b.length
        ? Math.max(
            ...Array.from({ length: a.length / 2 }, (_, i) => Math.abs(a.readInt16LE(2 * i) - b.readInt16LE(2 * i))),
          )
        : Infinity;
    expect(diff).toBeLessThan(2000);
    // audio off: silent.
    const off = await call(sb, 'POST', '/motion-control/kling-3.0', body({}, { audio: 'off' }));
    expect(off.code, off.message).toBe(0);
    const offUrl = await resultUrl(idOf(off));
    expect(probe(await download(offUrl, 'motion-off.mp4')).codecs).toEqual(['h264']);
    server.close();
  },
);

it('motion control refuses what Kling refuses, with no task and no charge', { timeout: 120_000 }, async () => {
  const src = await create(
    sb,
    {
      kind: 'text2video',
      model: 'kling-3.0',
      resolution: '720p',
      duration: 12,
      aspectRatio: '16:9',
      audio: 'off',
      prompt: 'a long walk',
      externalTaskId: ext(),
    },
    'new',
  );
  const longUrl = await resultUrl(idOf(src));
  const before = await remaining();
  const body = (video: string, settings: Record<string, unknown> = {}): unknown => ({
    contents: [
      { type: 'image', url: IMG },
      { type: 'video', url: video },
    ],
    settings: { resolution: '720p', character_orientation: 'image', ...settings },
    options: { external_task_id: ext() },
  });
  const cases: Array<[string, unknown, RegExp]> = [
    [
      '/motion-control/kling-3.0',
      body(longUrl),
      /contents\[video\]: the reference video lasts 12\.04\d s; with character_orientation image it may last at most 10 s \(video allows 30 s\)/,
    ],
    [
      '/motion-control/kling-3.0',
      body('https://example.com/dance.mp4'),
      /the sandbox fetches reference videos only from this machine/,
    ],
    [
      '/motion-control/kling-3.0',
      body(longUrl, { resolution: '4k' }),
      /settings\.resolution: motion control makes 720p or 1080p, no 4K/,
    ],
    [
      '/motion-control/kling-3.0',
      body(longUrl, { duration: 5 }),
      /settings\.duration: motion control takes no duration/,
    ],
    [
      '/motion-control/kling-3.0',
      body(longUrl, { character_orientation: undefined }),
      /settings\.character_orientation: required/,
    ],
    ['/motion-control/kling-3.0-omni', body(longUrl), /not offered on \/motion-control; use kling-3\.0 or kling-2\.6/],
  ];
  for (const [path, b, why] of cases) {
    const r = await call(sb, 'POST', path, b);
    expect(r.code, String(why)).not.toBe(0);
    expect(r.message).toMatch(why);
  }
  expect(await remaining()).toBe(before);
  // orientation video takes up to 30 s: the 12 s reference is fine there, on the legacy route too.
  const legacy = await call(sb, 'POST', '/v1/videos/motion-control', {
    model_name: 'kling-v3',
    image_url: IMG,
    video_url: longUrl,
    character_orientation: 'video',
    keep_original_sound: 'no',
    mode: 'std',
    external_task_id: ext(),
  });
  expect(legacy.code, legacy.message).toBe(0);
  sb.clock.advance(DONE_MS);
  expect(await remaining()).toBeCloseTo(before - 10.8, 6);
  const rec = (await call(sb, 'GET', `/v1/videos/motion-control/${idOf(legacy)}`)).data as {
    final_unit_deduction: string;
    task_result: { videos: Array<{ duration: string }> };
  };
  expect(Number(rec.task_result.videos[0]?.duration)).toBeCloseTo(12.041, 2);
  expect(rec.final_unit_deduction).toBe('10.8'); // 0.9 x 12
});
