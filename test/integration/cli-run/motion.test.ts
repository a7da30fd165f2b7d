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
import { dirname, join } from 'node:path';

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

/** An H.264 + AAC mp4 of `seconds`, 720x1280 at 24 fps, with a 600 Hz tone. */
function makeReference(file: string, seconds: number): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=720x1280:rate=${FPS}:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=600:sample_rate=48000:duration=${seconds}`,
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
    file,
  ]);
}

beforeAll(async () => {
  sb = await fastSandbox();
  const dir = tmp('motion-ref');
  refFile = join(dir, 'dance.mp4');
  // 5 s, 720x1280 at 24 fps, with a 600 Hz tone (the sandbox's own tones are 330-385 Hz, electron/core/sandbox/clips.ts).
  makeReference(refFile, 5);
  // Too short for Kling (under 3 s) and too long for orientation image (over 10 s): kling-api.md §5.6.
  makeReference(join(dir, 'short.mp4'), 2);
  makeReference(join(dir, 'long.mp4'), 12);
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    const name = (req.url ?? '').replace(/^\//, '');
    const file = name === 'dance.mp4' ? refFile : join(dirname(refFile), name);
    if (!['dance.mp4', 'short.mp4', 'long.mp4'].includes(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'video/mp4' });
    res.end(readFileSync(file));
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

/** The fix the engine stored with the (one) blocked job: the app and `shotline status` show it. */
function fixOf(dataDir: string): string {
  const row = readDb(dataDir, (db) => db.prepare('SELECT fix FROM jobs').get()) as { fix: string | null };
  return String(row.fix);
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
  'an https reference that cannot be fetched is blocked before anything is sent, with the fix',
  { timeout: 120_000 },
  async () => {
    const dir = tmp('motion-far');
    const dataDir = join(dir, 'data');
    const before = sb.creates.length;
    const r = await runCli(
      ['run', board(dir, 'https://videos.example.com/dance.mp4'), ...sandboxArgs(sb, dataDir), '--json'],
      { ...FAST_ENV, SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' },
    );
    const result = RunResult.parse(JSON.parse(r.stdout));
    const job = result.jobs[0];
    // Shotline's own probe (electron/core/media/remote-probe.ts) finds the host silent: Kling would too.
    expect(job?.error).toMatch(
      /shot dance, motionReference: the reference video could not be read \(videos\.example\.com/,
    );
    expect(fixOf(dataDir)).toBe('Kling must be able to fetch it: check the URL opens in a browser');
    expect(job?.status).toBe('blocked');
    expect(sb.creates.length).toBe(before);
    expect(r.code).not.toBe(0);
    // The probe left the machine, so it is in the Art. 30 record: host only, nothing of the user's sent.
    const probes = readDb(dataDir, (db) =>
      db.prepare('SELECT provider, host, method, path, data_categories, job_id FROM audit_log').all(),
    ) as Array<Record<string, unknown>>;
    expect(probes).toEqual([
      {
        provider: 'motion reference host',
        host: 'videos.example.com',
        method: 'HEAD, GET',
        path: null,
        data_categories: JSON.stringify([
          "none sent: a read of the reference video (the host sees this machine's IP address)",
        ]),
        job_id: expect.any(String) as unknown,
      },
    ]);
  },
);

it(
  'a 2 s reference and a 12 s reference with orientation image are blocked with the measured length and the fix; nothing reaches Kling',
  { timeout: 180_000 },
  async () => {
    const base = new URL(refUrl);
    const cases = [
      {
        file: 'short.mp4',
        error: /shot dance, motionReference: the reference video lasts 2(\.\d+)? s; Kling needs at least 3 s of motion/,
        fix: /give a reference of at least 3 s/,
      },
      {
        file: 'long.mp4',
        error:
          /shot dance, motionReference: the reference video lasts 12(\.\d+)? s; with characterOrientation image it may last at most 10 s/,
        fix: /trim it to 10 s or less, or set characterOrientation to video/,
      },
    ];
    for (const c of cases) {
      const dir = tmp(`motion-${c.file}`);
      const dataDir = join(dir, 'data');
      const before = sb.creates.length;
      const url = new URL(`/${c.file}`, base).toString();
      const r = await runCli(['run', board(dir, url), ...sandboxArgs(sb, dataDir), '--json'], {
        ...FAST_ENV,
        SHOTLINE_API_KEY: sb.credentials.apiKey ?? '',
      });
      const result = RunResult.parse(JSON.parse(r.stdout));
      const job = result.jobs[0];
      expect(job?.status, c.file).toBe('blocked');
      expect(job?.error).toMatch(c.error);
      expect(fixOf(dataDir)).toMatch(c.fix);
      expect(served).toContain(`/${c.file}`);
      // Nothing was sent: no create at the sandbox, nothing billed.
      expect(sb.creates.length).toBe(before);
      expect(result.units).toBe(0);
      expect(r.code).not.toBe(0);
    }
  },
);
