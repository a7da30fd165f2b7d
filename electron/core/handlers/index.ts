/** Merges each domain's handlers into the one Implementation of the contract. */
import type { Implementation } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { createAppHandlers } from './app';
import { createElementsHandlers } from './elements';
import { createEngineHandlers } from './engine';
import { createPrivacyHandlers } from './privacy';
import { createSecretsHandlers } from './secrets';
import { createKlingHandlers } from './kling';
import { createMediaHandlers } from './media';
import { createProjectHandlers } from './project';
import { createStoryboardHandlers } from './storyboard';
import { createQueueHandlers } from './queue';

export function createHandlers(ctx: CoreContext): Implementation {
  return {
    ...createAppHandlers(ctx),
    ...createEngineHandlers(ctx),
    ...createElementsHandlers(ctx),
    ...createPrivacyHandlers(ctx),
    ...createSecretsHandlers(ctx),
    ...createKlingHandlers(ctx),
    ...createMediaHandlers(ctx),
    ...createStoryboardHandlers(ctx),
    ...createQueueHandlers(ctx),
    ...createProjectHandlers(ctx),
  };
}
