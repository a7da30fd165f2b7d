/**
 * The split TypeScript configs (issue 18 item 7): renderer code cannot type-check Node's
 * `process` (tsconfig.web.json), Node code cannot type-check the DOM's `document`
 * (tsconfig.node.json). Each probe is compiled alone with the real config's options by the real tsc.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// Inside the repo (.tmp/ is ignored by git and ESLint), so @types/node resolves as for the real tree.
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(ROOT, '.tmp', 'tsconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tsc's output for `code` under the options of `config` (exit 0: ''). */
async function check(config: string, name: string, code: string): Promise<string> {
  writeFileSync(join(dir, `${name}.ts`), code);
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({ extends: join(ROOT, config), include: [join(dir, `${name}.ts`)] }),
  );
  return promisify(execFile)(process.execPath, [TSC, '-p', join(dir, `${name}.json`), '--noEmit']).then(
    () => '',
    (e: { stdout: string }) => e.stdout,
  );
}

const usesProcess = 'export const home: string | undefined = process.env.HOME;\n';
const usesDocument = 'export const title: string = document.title;\n';

describe('split TypeScript configs', () => {
  it('the renderer config has no Node: process does not type-check, the DOM does', async () => {
    expect(await check('tsconfig.web.json', 'web-process', usesProcess)).toMatch(
      /error TS\d+: Cannot find name 'process'/,
    );
    expect(await check('tsconfig.web.json', 'web-document', usesDocument)).toBe('');
  });

  it('the Node config has no DOM: document does not type-check, process does', async () => {
    expect(await check('tsconfig.node.json', 'node-document', usesDocument)).toMatch(
      /error TS\d+: Cannot find name 'document'/,
    );
    expect(await check('tsconfig.node.json', 'node-process', usesProcess)).toBe('');
  });
});
