/** Merges each domain's handlers into the one Implementation of the contract. */
import type { Implementation } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { createAppHandlers } from './app';

export function createHandlers(ctx: CoreContext): Implementation {
  return {
    ...createAppHandlers(ctx),
  };
}
