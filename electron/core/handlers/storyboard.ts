/** storyboard.* : validate, estimate and import JSON/CSV storyboards. */
import type { Handlers, storyboardContract } from '../../../shared/contract';
import { formatProblem } from '../../../shared/storyboard/schema';
import { registerShotImages } from '../app/images';
import type { CoreContext } from '../context';
import { libraryAliases } from '../elements';
import type { CoreServices } from '../services';
import { assertValid, estimateStoryboard, importStoryboard, loadStoryboard } from '../storyboard';
import { upgradeSource } from '../storyboard/upgrade';

export function createStoryboardHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof storyboardContract> {
  // Shots may name elements the library already holds (a CSV cannot declare them).
  const load = (src: Parameters<typeof loadStoryboard>[0]) =>
    loadStoryboard(src, { defaultBaseDir: ctx.dataDir, knownElements: libraryAliases(ctx.db()) });
  return {
    'storyboard.validate': async (src) => {
      await Promise.resolve();
      const l = load(src);
      if (!l.result.ok)
        return {
          ok: false,
          name: null,
          problems: l.result.problems,
          messages: l.result.problems.map(formatProblem),
          estimate: null,
        };
      return {
        ok: true,
        name: l.result.storyboard.name,
        problems: [],
        messages: [],
        estimate: estimateStoryboard(l.result.storyboard.shots),
      };
    },
    'storyboard.estimate': async (src) => {
      await Promise.resolve();
      const l = load(src);
      assertValid(l);
      return estimateStoryboard(l.result.storyboard.shots);
    },
    'storyboard.import': async (src) => {
      await Promise.resolve();
      const l = load(src);
      const r = importStoryboard(s.queue, ctx.db(), l);
      // The data-dir images of its shots now belong to this storyboard and the shots' subjects.
      if (l.result.ok) registerShotImages(ctx, r.name, l.result.storyboard.shots);
      return r;
    },
    'storyboard.upgrade': async (src) => {
      await Promise.resolve();
      return upgradeSource(src, { cwd: src.baseDir ?? ctx.dataDir });
    },
    'storyboard.draft.get': async () => {
      await Promise.resolve();
      const row = ctx
        .db()
        .prepare<[], { content: string; updated_at: string }>(
          "SELECT content, updated_at FROM drafts WHERE slot = 'current'",
        )
        .get();
      return { content: row?.content ?? null, updatedAt: row?.updated_at ?? null };
    },
    'storyboard.draft.set': async ({ content }) => {
      await Promise.resolve();
      const db = ctx.db();
      if (content === null) db.prepare("DELETE FROM drafts WHERE slot = 'current'").run();
      else {
        db.prepare(
          "INSERT INTO drafts (slot, content, updated_at) VALUES ('current', ?, ?) ON CONFLICT(slot) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
        ).run(content, new Date().toISOString());
      }
      return { saved: true };
    },
    'storyboard.list': async () => {
      await Promise.resolve();
      return { storyboards: s.queue.storyboards() };
    },
  };
}
