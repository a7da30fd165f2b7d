/**
 * elements.*: the element library (shared/contract/elements.ts). Being built for issue 13
 * item 2 (electron/core/elements/); until then the library is empty and creating refuses.
 */
import type { elementsContract, Handlers } from '../../../shared/contract';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';

export function createElementsHandlers(_ctx: CoreContext): Handlers<typeof elementsContract> {
  const notYet = (): never => {
    throw new ShotlineError({ code: 'validation', where: 'elements', message: 'The element library is not in this build yet.' });
  };
  return {
    'elements.list': () => Promise.resolve({ elements: [] }),
    'elements.create': () => Promise.resolve(notYet()),
    'elements.delete': () => Promise.resolve(notYet()),
  };
}
