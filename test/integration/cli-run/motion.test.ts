/**
 * Motion control end to end (issue 13 item 3; kling-api.md §5.6, §12.1): a kling-3.0 shot whose
 * motionReference is a 5 s clip with a tone, made with ffmpeg and served over http://127.0.0.1
 * by the test, runs through the real CLI on the sandbox: done, the clip as long as the reference
 * (within a frame), its sound kept (audio original), billed on its rounded seconds, and the
 * create's audit row names the reference. An https reference the sandbox cannot reach ends
 * blocked with the fix instead of hanging.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import { png } from '../../unit/kling/png';
import { FAST_ENV, fastSandbox, readDb, runCli, sandboxArgs, tmp } from './helpers';

const FPS = 24;
let sb: Sandbox;
let server: Server;
let refUrl = '';
let refFile = '';
const served: string[] = [];

beforeAll(async () => {
  sb = await fastSandbox();
  const dir = tmp('motion-ref');
  refFile = join(dir, 'dance.mp4');
  // 5 s, 720x1280 at 24 fps, with a 600 Hz tone (the sandbox's own tones are 330-385 Hz, electron/core/sandbox/clips.ts).
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=720x1280:rate=${FPS}:duration=5`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=600:sample_rate=48000:duration=5',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    '-movflags',
    '+faststart',
    '-y',
    refFile,
  ]);
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'video/mp4' });
    res.end(readFileSync(refFile));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  refUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dance.mp4`;
});

afterAll(async () => {
  await sb.close();
  await new Promise<void>((r) => server.close(() => r()));
});

function probe(file: string): { codecs: string[]; duration: number } {
  const j = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name:format=duration',
      '-of',
      'json',
      file,
    ]).toString(),
  ) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
  return { codecs: j.streams.map((s) => s.codec_name), duration: Number(j.format.duration) };
}

/** The first second of a file's sound, mono 8 kHz PCM. */
function pcm(file: string): Buffer {
  return execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
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
}

/** Sign changes of 16-bit PCM: twice the frequency of a pure tone over one second. */
function crossings(pcm16: Buffer): number {
  let n = 0;
  for (let i = 1; i < pcm16.length / 2; i++) if (pcm16.readInt16LE(2 * i - 2) < 0 !== pcm16.readInt16LE(2 * i) < 0) n++;
  return n;
}

function board(dir: string, reference: string): string {
  writeFileSync(join(dir, 'she.png'), png(720, 1280, [200, 60, 60]));
  const file = join(dir, 'motion.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'motion',
      defaults: { model: 'kling-3.0', resolution: '720p', takes: 1 },
      shots: [
        {
          id: 'dance',
          prompt: 'she dances in the rain',
          duration: 10,
          startImage: 'she.png',
          motionReference: reference,
          characterOrientation: 'image',
          audio: 'native',
        },
      ],
    }),
  );
  return file;
}

it(
  'a kling-3.0 motion shot with a loopback reference: done, as long as the reference, its sound kept, billed on its rounded seconds, audited with the URL',
  { timeout: 180_000 },
  async () => {
    const dir = tmp('motion-run');
    const dataDir = join(dir, 'data');
    const r = await runCli(['run', board(dir, refUrl), ...sandboxArgs(sb, dataDir), '--json'], {
      ...FAST_ENV,
      SHOTLINE_API_KEY: sb.credentials.apiKey ?? '',
    });
    expect(r.code, r.stderr).toBe(0);
    const result = RunResult.parse(JSON.parse(r.stdout));
    expect(result.jobs).toHaveLength(1);
    const job = result.jobs[0];
    expect(job?.status).toBe('done');
    expect(served.length).toBeGreaterThan(0);
    const clip = probe(job?.file ?? '');
    const ref = probe(refFile);
    expect(Math.abs(clip.duration - ref.duration)).toBeLessThanOrEqual(1 / FPS + 0.05);
    expect(clip.codecs).toContain('aac');
    // The reference's own 600 Hz tone (zero crossings in its first second), not one the sandbox made.
    expect(Math.abs(crossings(pcm(job?.file ?? '')) - 1200)).toBeLessThan(36);
    expect(Math.abs(crossings(pcm(refFile)) - 1200)).toBeLessThan(36);
    // 0.9 u/s (3.0 motion, 720p) x 5 s, the rounded seconds of the output, not the shot's 10 s upper bound.
    expect(job?.billedUnits).toBe(4.5);
    expect(result.units).toBe(4.5);
    // The create at the sandbox carried the reference URL, and so does the create's audit row.
    const create = sb.creates.at(-1);
    expect(JSON.stringify(create?.body)).toContain(refUrl);
    const audit = readDb(dataDir, (db) =>
      db.prepare("SELECT data_categories FROM audit_log WHERE method = 'POST' AND path LIKE '%motion-control%'").all(),
    ) as Array<Record<string, unknown>>;
    expect(audit).toHaveLength(1);
    const categories = JSON.parse(String(audit[0]?.data_categories)) as string[];
    expect(categories).toContain(`reference video URL sent (Kling fetches it from ${new URL(refUrl).host})`);
    expect(JSON.stringify(categories)).not.toContain(refUrl);
  },
);

it(
  'an https reference the sandbox cannot reach ends blocked with the fix, not hanging',
  { timeout: 120_000 },
  async () => {
    const dir = tmp('motion-far');
    const dataDir = join(dir, 'data');
    const r = await runCli(
      ['run', board(dir, 'https://videos.example.com/dance.mp4'), ...sandboxArgs(sb, dataDir), '--json'],
      { ...FAST_ENV, SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' },
    );
    const result = RunResult.parse(JSON.parse(r.stdout));
    const job = result.jobs[0];
    expect(job?.error).toMatch(/cannot reach videos\.example\.com/);
    expect(job?.error).toMatch(/fix the field named in the message/);
    // The sandbox's words name the fix (Kling's own would name the unreachable URL).
    expect(job?.error).toMatch(/Serve the video locally/);
    expect(job?.status).toBe('blocked');
    expect(r.code).not.toBe(0);
  },
);
