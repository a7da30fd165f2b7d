/**
 * The upgrade of storyboards written for Kling's retired models (shared/storyboard/upgrade.ts):
 * every change named with its reason, the result valid on live models, idempotent, and the
 * same through the real `shotline storyboard upgrade` process.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

import { formatChange, upgradeStoryboard } from '../../../shared/storyboard/upgrade';
import { estimateStoryboard, parseStoryboard } from '../../../shared/storyboard/validate';

const FIXTURES = join(import.meta.dirname, '../../fixtures/storyboards');
const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('storyboard upgrade', () => {
  for (const [file, format] of [
    ['legacy-2025.json', 'json'],
    ['legacy-2025.csv', 'csv'],
  ] as const) {
    it(`turns ${file} (kling-v1, mode, camera_control, cfgScale) into a valid storyboard on live models`, () => {
      const before = readFileSync(join(FIXTURES, file), 'utf8');
      expect(parseStoryboard(before, { file, format }).ok).toBe(false);
      const up = upgradeStoryboard(before, format);
      if (!up.ok) throw new Error(up.message);
      const lines = up.changes.map(formatChange).join('\n');
      expect(lines).toMatch(/model kling-v1 -> kling-2.5-turbo \(Kling 1.0 is discontinued/);
      expect(lines).toMatch(/mode std -> \(none\)/);
      expect(lines).toMatch(/cfgScale 0.\d -> \(none\)/);
      // The camera_control object (CSV row "horizon") becomes words; a preset name is a live field and stays.
      if (format === 'csv')
        expect(lines).toMatch(/shot horizon: camera \{"type":"simple".* -> \(none\) \(now part of the prompt\)/);
      expect(lines).not.toMatch(/camera (zoom_in|pan_right) ->/);
      const after = parseStoryboard(up.text, { file, format });
      if (!after.ok) throw new Error(after.problems.map((p) => p.message).join('; '));
      expect(after.storyboard.shots.every((s) => s.model === 'kling-2.5-turbo' && s.resolution === '720p')).toBe(true);
      expect(after.storyboard.shots.some((s) => /The camera (slowly zooms in|pans right)\./.test(s.prompt))).toBe(true);
      expect(estimateStoryboard(after.storyboard.shots).totalUnits).toBeGreaterThan(0);
      // Idempotent: a second pass changes nothing and returns the text as it is.
      const again = upgradeStoryboard(up.text, format);
      expect(again.ok && again.changes).toEqual([]);
      expect(again.ok && again.text).toBe(up.text);
    });
  }

  it('snaps durations and resolutions to the replacement model and folds a negative prompt it cannot take', () => {
    const up = upgradeStoryboard(
      JSON.stringify({
        name: 'x',
        shots: [
          {
            id: 'a',
            prompt: 'a kite',
            model: 'kling-v2-1-master',
            duration: 7,
            negativePrompt: 'text',
            startImage: 'https://e.com/a.png',
            endImage: 'https://e.com/b.png',
          },
        ],
      }),
      'json',
    );
    if (!up.ok) throw new Error(up.message);
    const shot = (JSON.parse(up.text) as { shots: Array<Record<string, unknown>> }).shots[0];
    expect(shot).toMatchObject({ model: 'kling-3.0', duration: 7, prompt: 'a kite. Avoid: text.' });
    expect(shot?.negativePrompt).toBeUndefined();
    const two = upgradeStoryboard(
      JSON.stringify({
        name: 'x',
        shots: [
          {
            id: 'a',
            prompt: 'k',
            model: 'kling-v1-6',
            duration: 7,
            mode: 'pro',
            startImage: 'https://e.com/a.png',
            endImage: 'https://e.com/b.png',
          },
        ],
      }),
      'json',
    );
    if (!two.ok) throw new Error(two.message);
    expect((JSON.parse(two.text) as { shots: Array<Record<string, unknown>> }).shots[0]).toMatchObject({
      model: 'kling-2.5-turbo',
      duration: 5,
      resolution: '1080p',
    });
    expect(parseStoryboard(two.text, { file: 'x.json' }).ok).toBe(true);
  });

  it('refuses text that is not a storyboard, saying so', () => {
    const r = upgradeStoryboard('{"shots": 3}', 'json');
    expect(r.ok).toBe(false);
  });

  it('round trip through the real CLI: prints the diff and the estimate, --write saves a file that then runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-upgrade-'));
    dirs.push(dir);
    const file = join(dir, 'old.json');
    copyFileSync(join(FIXTURES, 'legacy-2025.json'), file);
    const dry = await run('npm', ['run', '-s', 'cli', '--', 'storyboard', 'upgrade', file]);
    expect(dry.stdout).toMatch(/defaults: model kling-v1 -> kling-2.5-turbo/);
    expect(dry.stdout).toMatch(/new estimate: 6 u \(~USD 0.84\) for 4 take\(s\)/);
    expect(dry.stdout).toMatch(/nothing written/);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(FIXTURES, 'legacy-2025.json'), 'utf8'));
    const wrote = await run('npm', ['run', '-s', 'cli', '--', 'storyboard', 'upgrade', file, '--write', '--json']);
    const out = JSON.parse(wrote.stdout) as {
      written: boolean;
      estimate: { totalUnits: number } | null;
      problems: unknown[];
    };
    expect(out).toMatchObject({ written: true, estimate: { totalUnits: 6 }, problems: [] });
    const dry2 = await run('npm', [
      'run',
      '-s',
      'cli',
      '--',
      'run',
      file,
      '--dry-run',
      '--data-dir',
      join(dir, 'data'),
    ]);
    expect(dry2.stderr + dry2.stdout).not.toMatch(/retired|discontinued/);
  });
});

describe('upgrade keeps the Kling 3.x fields untouched', () => {
  const elements = [{ id: 'mara', klingId: '321922438904313' }];
  const shots = [
    { id: 'old', prompt: 'a kite', model: 'kling-v1-6', mode: 'pro', duration: 5 },
    {
      id: 'a',
      scene: 'hall',
      prompt: 'a wide hall',
      model: 'kling-3.0',
      duration: 1,
      audio: 'native',
      startImage: 'https://example.com/a.png',
      elements: ['mara'],
    },
    { id: 'b', scene: 'hall', prompt: '@mara turns', model: 'kling-3.0', duration: 2, audio: 'native' },
    {
      id: 'm',
      prompt: 'she dances',
      model: 'kling-3.0',
      duration: 20,
      startImage: 'https://example.com/s.png',
      motionReference: 'https://example.com/d.mp4',
      characterOrientation: 'video',
    },
  ];

  it('JSON: top-level elements, scene, elements, durations of scene and motion shots, motionReference, characterOrientation', () => {
    const r = upgradeStoryboard(JSON.stringify({ name: 'x', elements, shots }), 'json');
    if (!r.ok) throw new Error(r.message);
    expect(r.changes.map((c) => c.shot)).toEqual(expect.arrayContaining(['old']));
    expect(r.changes.filter((c) => c.shot !== 'old')).toEqual([]);
    const out = JSON.parse(r.text) as { elements: unknown; shots: Array<Record<string, unknown>> };
    expect(out.elements).toEqual(elements);
    expect(out.shots.slice(1)).toEqual(shots.slice(1));
    expect(parseStoryboard(r.text, { file: 'x.json' }).ok).toBe(true);
  });

  it('CSV: the ";"-separated elements cell and the scene columns come back as written', () => {
    const csv = [
      'id,prompt,model,mode,duration,audio,scene,startImage,elements',
      'old,a kite,kling-v1-6,pro,5,,,,',
      'a,a wide hall,kling-3.0-omni,,1,native,hall,,mara; cup',
      'b,@mara and @cup,kling-3.0-omni,,2,native,hall,,',
    ].join('\n');
    const r = upgradeStoryboard(csv, 'csv');
    if (!r.ok) throw new Error(r.message);
    expect(r.changes.every((c) => c.shot === 'old')).toBe(true);
    const lines = r.text.trim().split('\n');
    expect(lines[2]).toContain('mara; cup');
    expect(parseStoryboard(r.text, { file: 'x.csv', knownElements: ['mara', 'cup'] })).toMatchObject({ ok: true });
  });
});
