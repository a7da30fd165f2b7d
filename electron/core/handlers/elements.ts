/**
 * elements.* (shared/contract/elements.ts): the element library (electron/core/elements) for the
 * Elements page. List with the shots that name each element; create from images (data-dir
 * images from project.image.pick, or files a dialog chose; the same checks as frames), queued at
 * Kling by the engine's element runner for the chosen profile's account (the same images in the
 * same account are reused, never created twice); delete at Kling. Each change emits
 * `elements.changed`.
 */
import { isAbsolute, resolve } from 'node:path';

import type { elementsContract, Handlers } from '../../../shared/contract';
import { ShotlineError } from '../../../shared/result';
import type { ResolvedElement } from '../../../shared/storyboard/schema';
import type { CoreContext } from '../context';
import { checkAndHash, deleteElement, ensureElement, getElement, listElementViews } from '../elements';
import { clientForAccount } from '../elements/clients';
import { insideDataDir, relToDataDir } from '../privacy/files';
import type { CoreServices } from '../services';

export function createElementsHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof elementsContract> {
  const db = () => ctx.db();
  const rel = (abs: string): string | null => (insideDataDir(ctx.dataDir, abs) ? relToDataDir(ctx.dataDir, abs) : null);
  const view = (key: string) => {
    const v = listElementViews(db(), s.queue.shotsNamingElements(), { dataDirRelative: rel }).find(
      (e) => e.key === key,
    );
    if (!v)
      throw new ShotlineError({ code: 'not_found', where: 'key', message: `No element "${key}" in the library.` });
    return v;
  };
  const image = (p: string, field: string): string => {
    const abs = s.outputs.confineInput(p, field);
    return isAbsolute(abs) ? abs : resolve(ctx.dataDir, abs);
  };
  return {
    'elements.list': ({ storyboardId }) =>
      Promise.resolve({
        elements: listElementViews(db(), s.queue.shotsNamingElements(), {
          ...(storyboardId ? { storyboardId } : {}),
          dataDirRelative: rel,
        }),
      }),

    async 'elements.create'(input) {
      const name = input.name ?? input.id;
      const el: ResolvedElement = {
        id: input.id,
        name,
        description: input.description ?? name,
        source: 'images',
        frontalImage: image(input.frontalImage, 'frontalImage'),
        referenceImages: input.referenceImages.map((p, i) => image(p, `referenceImages[${i}]`)),
        ...(input.subject ? { subject: input.subject } : {}),
      };
      const hash = checkAndHash(el);
      const choice = await s.engine.choose({ ...(input.profile ? { profile: input.profile } : {}) });
      const engine = await s.engine.start({ provider: choice.provider, profile: choice.profile });
      const row = ensureElement(db(), engine.elements.account, el, hash, { retryFailed: true });
      engine.elements.wake();
      ctx.emit('elements.changed', { key: row.key });
      return view(row.key);
    },

    async 'elements.delete'({ key }) {
      const row = getElement(db(), key);
      if (!row)
        throw new ShotlineError({ code: 'not_found', where: 'key', message: `No element "${key}" in the library.` });
      const eng = s.engine.running();
      const atKling = row.kling_id !== null || row.submits > 0;
      const client = atKling
        ? await clientForAccount(row.account, {
            db: db(),
            sandbox: () => s.sandbox.ensure(),
            secrets: s.secrets,
            running: eng ? { account: eng.elements.account, client: eng.client } : null,
          })
        : null;
      await deleteElement(db(), client, key);
      ctx.emit('elements.changed', { key });
      return view(key);
    },
  };
}
