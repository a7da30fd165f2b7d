/**
 * Issue 16.5: the renderer's storyboard draft lives in the core (storyboard.draft.get/set),
 * where erase reaches it. Attack reproduced: a subject's shots sit in the draft under edit
 * while the subject is erased; before, the draft was in Chromium's localStorage and kept the
 * subject's tag and prompts after "erase". Real core, real SQLite, the contract as the app
 * calls it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';

const SUBJECT = 'subject-alice-7731';
const PROMPT = 'Alice Marchetti waves from the harbour wall at dawn';
let dir: string;
let core: Core;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-draft-'));
  core = createCore({ dataDir: join(dir, 'data') });
});
afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the storyboard draft lives in the core (issue 16.5)', () => {
  it('round trip: set, get, clear', async () => {
    const set = await core.call('storyboard.draft.set', { content: '{"name":"x","shots":[]}' });
    expect(set).toMatchObject({ ok: true, value: { saved: true } });
    expect(await core.call('storyboard.draft.get', {})).toMatchObject({
      ok: true,
      value: { content: '{"name":"x","shots":[]}' },
    });
    await core.call('storyboard.draft.set', { content: null });
    expect(await core.call('storyboard.draft.get', {})).toMatchObject({
      ok: true,
      value: { content: null, updatedAt: null },
    });
  });

  it('erasing a subject removes its tag and prompts from the draft under edit', async () => {
    const board = {
      name: 'harbour',
      shots: [
        {
          id: 'a1',
          prompt: PROMPT,
          model: 'kling-2.5-turbo',
          resolution: '720p',
          duration: 5,
          aspectRatio: '16:9',
          takes: 1,
          subject: SUBJECT,
        },
      ],
    };
    const imported = await core.call('storyboard.import', { format: 'json', content: JSON.stringify(board) });
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    await core.call('storyboard.draft.set', { content: JSON.stringify(board) });
    const erased = await core.call('privacy.erase', { subject: SUBJECT, dryRun: false });
    expect(erased.ok, JSON.stringify(erased)).toBe(true);
    const draft = await core.call('storyboard.draft.get', {});
    const content = draft.ok ? (draft.value.content ?? '') : '';
    expect(content).not.toContain(SUBJECT);
    expect(content).not.toContain(PROMPT);
    expect(content).toContain('[erased]');
  });

  it('the renderer keeps no draft in localStorage (it only moves an old one into the core)', () => {
    const src = readFileSync(join(__dirname, '..', '..', '..', 'renderer', 'src', 'state', 'context.tsx'), 'utf8');
    expect(src).not.toMatch(/localStorage\.setItem\([^)]*(LEGACY_KEY|storyboard)/);
    expect(src).toMatch(/call\('storyboard\.draft\.set'/);
  });
});
