/**
 * The Edit page's timeline at 20 and 200 clips (issue 17 item 3): Debian's Chromium drives the
 * built renderer over the test bridge (run `npm run build` first), on a real core whose edit
 * picks real ffmpeg clips. Side by side: from the click on "Edit" to the painted timeline,
 * clip blocks in the DOM (only those on screen are drawn), and the time per frame while
 * scrolling the track and while zooming in and out with the + / - keys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from '@playwright/test';

import { createCore, type Core } from '../../electron/core';
import { startTestBridge } from '../../electron/core/bridge/test-bridge';
import type { CustomBench } from './harness';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer');

/** A storyboard of n shots whose edit picks one of three 2 s clips per shot. */
async function cutOf(core: Core, dataDir: string, n: number): Promise<string> {
  const clips = ['red', 'green', 'blue'].map((c) => {
    const file = join(dataDir, `${c}.mp4`);
    execFileSync('ffmpeg', [
      ...[
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc=s=320x180:r=24:d=2`,
        '-vf',
        `drawbox=c=${c}:t=fill:w=40:h=40`,
      ],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
    ]);
    return file;
  });
  const csv = join(dataDir, `cut${n}.csv`);
  const rows = Array.from({ length: n }, (_, i) => `s${i + 1},shot ${i + 1},kling-2.5-turbo`);
  writeFileSync(csv, ['id,prompt,model', ...rows, ''].join('\n'));
  const imported = await core.call('storyboard.import', { path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  const id = imported.value.storyboardId;
  const picks = Object.fromEntries(rows.map((_, i) => [`s${i + 1}`, clips[i % 3] ?? '']));
  const saved = await core.call('edit.save', { storyboardId: id, picks });
  if (!saved.ok) throw new Error(saved.error.message);
  return `cut${n}`;
}

/** Milliseconds per frame over `frames` frames, each after `step` ran. */
async function perFrame(page: Page, kind: 'scroll' | 'zoom', frames: number): Promise<{ mean: number; worst: number }> {
  return page.evaluate(
    async ({ kind, frames }) => {
      const el = document.querySelector<HTMLElement>('[data-testid="tl-scroll"]');
      if (!el) return { mean: -1, worst: -1 };
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < frames; i++) {
        if (kind === 'scroll') el.scrollLeft = (el.scrollLeft + 400) % Math.max(1, el.scrollWidth - el.clientWidth);
        else
          window.dispatchEvent(
            new KeyboardEvent('keydown', { key: Math.floor(i / 10) % 2 ? '-' : '+', bubbles: true }),
          );
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return { mean: times.reduce((s, t) => s + t, 0) / times.length, worst: Math.max(...times) };
    },
    { kind, frames },
  );
}

async function measure(page: Page, name: string, n: number, lines: string[]): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Projects', exact: true }).click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByText(`Opened ${name}`).waitFor();
  const first = await page.evaluate(async () => {
    const nav = [...document.querySelectorAll('nav button')].find((b) => b.textContent === 'Edit');
    const t0 = performance.now();
    (nav as HTMLButtonElement | undefined)?.click();
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (document.querySelector('[data-testid="tl-clip"]')) break;
    }
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  });
  // Zoomed in so the track is wider than the screen (fit would show all 200 at once).
  await page.getByTestId('tl-duration').waitFor();
  for (let i = 0; i < 8; i++) await page.keyboard.press('+');
  const blocks = await page.getByTestId('tl-clip').count();
  const scroll = await perFrame(page, 'scroll', 60);
  const zoom = await perFrame(page, 'zoom', 40);
  lines.push(
    `${String(n).padStart(3)} clips: Edit click -> timeline painted ${first.toFixed(0).padStart(4)} ms; ${blocks} clip blocks in the DOM when zoomed in`,
    `${String(n).padStart(3)} clips: scroll ${scroll.mean.toFixed(1)} ms/frame (worst ${scroll.worst.toFixed(0)}), zoom +/- ${zoom.mean.toFixed(1)} ms/frame (worst ${zoom.worst.toFixed(0)}); 16.7 = 60 fps`,
  );
}

const bench: CustomBench = {
  name: 'renderer: timeline with 200 clips (Edit page; Chromium over the test bridge)',
  async measure() {
    if (!existsSync(join(RENDERER, 'index.html'))) return ['skipped: out/renderer missing (run npm run build)'];
    const browser = await chromium.launch({
      executablePath: process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    const lines: string[] = [];
    try {
      for (const n of [20, 200]) {
        const dataDir = mkdtempSync(join(tmpdir(), 'shotline-bench-timeline-'));
        const core = createCore({ dataDir });
        const bridge = await startTestBridge(core, RENDERER);
        try {
          const name = await cutOf(core, dataDir, n);
          const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          await page.goto(bridge.url);
          await measure(page, name, n, lines);
          await page.close();
        } finally {
          await bridge.close();
          await core.close();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    } finally {
      await browser.close();
    }
    return lines;
  },
};

export default bench;
