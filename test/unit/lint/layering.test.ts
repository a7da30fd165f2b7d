/**
 * The layering rule (eslint/layering.js with the table in eslint/layers.js, issue 18 item 7) run
 * through the repo's real ESLint config on real files of the tree with one import changed: an
 * uphill import, a run-time import where only types are allowed, and the renderer reaching into
 * electron/ are errors; the imports the table allows are not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

import { CORE_LAYERS, roomOf } from '../../../eslint/layering.js';

const ROOT = join(__dirname, '..', '..', '..');
// The repo's config, without type information (the layering rule needs none; a whole-program
// type check per lintText would take a minute on CI's two cores).
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked }],
});

/** Lints `file`'s own text with `line` added on top and returns the layering messages. */
async function lintWith(file: string, line: string): Promise<string[]> {
  const text = `${line}\n${readFileSync(join(ROOT, file), 'utf8')}`;
  const [res] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return (res?.messages ?? []).filter((m) => m.ruleId === 'layering/rooms').map((m) => m.message);
}

describe('layering: each room imports only what its allow-list names', () => {
  it('names rooms by folder of electron/core, top-level core files, shared and the renderer', () => {
    expect(roomOf(join(ROOT, 'electron/core/queue/store.ts'))).toBe('core:queue');
    expect(roomOf(join(ROOT, 'electron/core/queue'))).toBe('core:queue');
    expect(roomOf(join(ROOT, 'electron/core/context.ts'))).toBe('core:context');
    expect(roomOf(join(ROOT, 'electron/core/context'))).toBe('core:context');
    expect(roomOf(join(ROOT, 'shared/queue/types.ts'))).toBe('shared');
    expect(roomOf(join(ROOT, 'renderer/src/App.tsx'))).toBe('renderer');
  });

  it('an uphill import (queue -> engine) is an error that names both rooms and the fix', async () => {
    const msgs = await lintWith('electron/core/queue/store.ts', "export { runEngine as _up } from '../engine/engine';");
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(
      /^core:queue may not import core:engine \('\.\.\/engine\/engine'\): core:queue uses only shared, core:context \(types\)\. .*eslint\/layers\.js/,
    );
  });

  it('a dynamic import is checked too (media -> queue)', async () => {
    const msgs = await lintWith('electron/core/media/probe.ts', "export const _lazy = () => import('../queue/store');");
    expect(msgs).toEqual([expect.stringMatching(/^core:media may not import core:queue/)]);
  });

  it('a types-only edge refuses a run-time import and accepts `import type`', async () => {
    expect(await lintWith('electron/core/queue/store.ts', "import { createCore as _c } from '../index';")).toEqual([
      expect.stringMatching(/^core:queue may not import core:index/),
    ]);
    expect(await lintWith('electron/core/queue/store.ts', "export { createContext as _n } from '../context';")).toEqual(
      [expect.stringMatching(/^core:queue may import core:context \('\.\.\/context'\) for types only/)],
    );
    expect(
      await lintWith('electron/core/queue/store.ts', "export type { CoreContext as _C } from '../context';"),
    ).toEqual([]);
  });

  it('a file-level exception allows that one module only (kling -> secrets/mask, not secrets/store)', async () => {
    expect(
      await lintWith('electron/core/kling/redact.ts', "export { maskSecret as _m } from '../secrets/mask';"),
    ).toEqual([]);
    expect(
      await lintWith('electron/core/kling/redact.ts', "export { ROTATION_DAYS as _R } from '../secrets/store';"),
    ).toEqual([expect.stringMatching(/^core:kling may not import core:secrets/)]);
  });

  it('the renderer may use shared/ but not electron/', async () => {
    expect(
      await lintWith(
        'renderer/src/lib/media.ts',
        "export { APP_VERSION as _v } from '../../../electron/core/version';",
      ),
    ).toEqual([expect.stringMatching(/^renderer may not import core:version/)]);
    expect(
      await lintWith('renderer/src/lib/media.ts', "export type { JobView as _J } from '../../../shared/queue';"),
    ).toEqual([]);
  });

  it('docs/architecture.md shows the same table the rule enforces', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Rooms'), doc.indexOf('## Where to change what'));
    const room = (cell: string): string => {
      const name = cell
        .replace(/`/g, '')
        .replace(/\(.*\)/, '')
        .trim()
        .replace(/\/$/, '')
        .replace(/\.ts$/, '');
      return name === 'shared' || name === 'package.json' ? name : `core:${name}`;
    };
    const list = (text: string | undefined): string[] =>
      (text ?? '')
        .replace(/\((?:types|one module[^)]*)\)/g, '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x && x !== 'nothing')
        .map(room)
        .sort();
    const documented = Object.fromEntries(
      section
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => {
          const [, name, , uses] = l.split('|').map((c) => c.trim());
          const [run, types] = (uses ?? '').split(';');
          return [room(name ?? ''), { uses: list(run), types: list(types) }];
        }),
    );
    const enforced = Object.fromEntries(
      Object.entries(CORE_LAYERS).map(([k, v]) => [
        k,
        { uses: [...v.uses].sort(), types: [...(v.types ?? [])].sort() },
      ]),
    );
    expect(documented).toEqual(enforced);
  });
});
