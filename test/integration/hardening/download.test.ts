/**
 * Issue 16.2, "a download is an MP4 or nothing", against a real loopback HTTP server, the real
 * Kling client, real ffprobe/ffmpeg. Attacks reproduced: an HLS playlist served as the result
 * "video" that points at a private local file (before the fix ffprobe and the decode check
 * read that file and the playlist was kept as a clip); a redirect to plain http on another
 * host; a result bigger than any clip; a server that trickles bytes for ever.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { downloadClip } from '../../../electron/core/engine/download';
import { createKlingClient, type KlingRequestInfo } from '../../../electron/core/kling';
import { probe } from '../../../electron/core/media';
import { SANDBOX_CREDENTIALS } from '../../../electron/core/secrets';
import { makeClip } from '../media/clips';

let dir: string;
let server: Server;
let base: string;
let mp4: Buffer;
let playlist: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-dl-'));
  const priv = join(dir, 'private.ts');
  // An MPEG-TS segment that must never be fetched, and a good MP4 (test/integration/media/clips.ts).
  makeClip(priv, { w: 160, h: 120, fps: 25, audio: false });
  makeClip(join(dir, 'good.mp4'), { w: 160, h: 120, fps: 25, audio: false });
  mp4 = readFileSync(join(dir, 'good.mp4'));
  playlist = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n${priv}\n#EXT-X-ENDLIST\n`;
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/hls') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(playlist);
    if (path === '/good')
      return void res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': mp4.length }).end(mp4);
    if (path === '/chunked') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      return void res.end(mp4);
    }
    if (path === '/redirect-ok') return void res.writeHead(302, { location: '/good' }).end();
    if (path === '/redirect-http') return void res.writeHead(302, { location: 'http://example.com/clip.mp4' }).end();
    if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.write(mp4.subarray(0, 16));
      const t = setInterval(() => res.write(Buffer.alloc(1)), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function client(audit: KlingRequestInfo[] = []): ReturnType<typeof createKlingClient> {
  return createKlingClient({
    provider: 'sandbox',
    baseUrl: base,
    credentials: SANDBOX_CREDENTIALS,
    onRequest: (i) => audit.push(i),
  });
}

describe('a download is an MP4 or nothing (issue 16.2)', () => {
  it('an HLS playlist posing as the result is refused before ffprobe reads it, and deleted', async () => {
    const file = join(dir, 'clips', 'hls.mp4');
    await expect(downloadClip({ client: client(), url: `${base}/hls`, file })).rejects.toThrow(
      /not an MP4 file \(it does not start with an 'ftyp' box/,
    );
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.part`)).toBe(false);
  });

  it('a playlist already on disk under the clip name is refused too (adoption after a crash)', async () => {
    const file = join(dir, 'clips', 'adopt.mp4');
    writeFileSync(file, playlist);
    await expect(downloadClip({ client: client(), url: `${base}/good`, file })).rejects.toThrow(/not an MP4 file/);
    expect(existsSync(file)).toBe(false);
  });

  it('ffprobe with the MP4 demuxer forced does not follow a playlist; without it, it would', async () => {
    const f = join(dir, 'playlist.mp4');
    writeFileSync(f, playlist);
    expect((await probe(f, { fresh: true })).formatName).toBe('hls'); // the attack surface
    await expect(probe(f, { fresh: true, container: 'mp4' })).rejects.toThrow(/not a readable media file/);
  });

  it('a real MP4 passes, also through a loopback redirect, and every hop is audited', async () => {
    const audit: KlingRequestInfo[] = [];
    const file = join(dir, 'clips', 'good.mp4');
    const r = await downloadClip({ client: client(audit), url: `${base}/redirect-ok`, file });
    expect(r.bytes).toBe(mp4.length);
    expect(audit.map((a) => `${a.purpose} ${a.url}`)).toEqual([
      `download ${base}/redirect-ok`,
      `download ${base}/good`,
    ]);
  });

  it('a redirect to plain http on another host is refused before it is followed', async () => {
    const audit: KlingRequestInfo[] = [];
    const file = join(dir, 'clips', 'redir.mp4');
    await expect(downloadClip({ client: client(audit), url: `${base}/redirect-http`, file })).rejects.toThrow(
      /redirected to an unsafe place.*must use https/,
    );
    expect(audit.map((a) => a.host)).toEqual([new URL(base).host]);
    expect(existsSync(file)).toBe(false);
  });

  it('a result over the size cap is refused (by Content-Length, and by counting when there is none) and deleted', async () => {
    const file = join(dir, 'clips', 'big.mp4');
    await expect(downloadClip({ client: client(), url: `${base}/good`, file, maxBytes: 1000 })).rejects.toThrow(
      /over the 1000-byte cap/,
    );
    await expect(downloadClip({ client: client(), url: `${base}/chunked`, file, maxBytes: 1000 })).rejects.toThrow(
      /over the 1000-byte cap/,
    );
    expect(existsSync(`${file}.part`)).toBe(false);
  });

  it('a server trickling bytes is cut off at the total-time cap', async () => {
    const file = join(dir, 'clips', 'slow.mp4');
    await expect(downloadClip({ client: client(), url: `${base}/slow`, file, maxMs: 400 })).rejects.toThrow(
      /took longer than 400 ms and was stopped/,
    );
  });
});
