/**
 * The app's Upgrade offer (contract `storyboard.upgrade`): the same rewrite as
 * `shotline storyboard upgrade` (shared/storyboard/upgrade.ts) for a file or a text, with the
 * new estimate, or what is left to fix by hand. Nothing is written: the app applies the text.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

import type { StoryboardSource, UpgradeOutput } from '../../../shared/contract/storyboard';
import { ShotlineError } from '../../../shared/result';
import { upgradeStoryboard } from '../../../shared/storyboard/upgrade';
import { estimateStoryboard, parseStoryboard } from '../../../shared/storyboard/validate';

export function upgradeSource(src: StoryboardSource, opts: { cwd: string }): UpgradeOutput {
  const path =
    src.path !== undefined && src.content === undefined
      ? isAbsolute(src.path)
        ? src.path
        : resolve(opts.cwd, src.path)
      : null;
  let content = src.content ?? '';
  if (path) {
    try {
      content = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ShotlineError({
        code: 'validation',
        where: src.path,
        message: `${src.path}: cannot read the storyboard (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`,
      });
    }
  }
  const format = src.format ?? (/\.csv$/i.test(path ?? '') ? 'csv' : 'json');
  const up = upgradeStoryboard(content, format);
  if (!up.ok)
    throw new ShotlineError({ code: 'validation', where: src.path ?? src.name ?? 'storyboard', message: up.message });
  const baseDir = src.baseDir ?? (path ? dirname(path) : opts.cwd);
  const parsed = parseStoryboard(up.text, {
    file: src.path ?? src.name ?? 'storyboard',
    format,
    resolvePath: (rel) => (isAbsolute(rel) ? rel : resolve(baseDir, rel)),
    ...(src.name ? { name: src.name } : {}),
  });
  return {
    format,
    text: up.text,
    changes: up.changes,
    estimate: parsed.ok ? estimateStoryboard(parsed.storyboard.shots) : null,
    problems: parsed.ok ? [] : parsed.problems,
  };
}
