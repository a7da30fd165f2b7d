/**
 * Merges each domain's handlers into the one Implementation of the contract. Each gets the
 * core's context and its services (../services.ts), built once by createCore (../index.ts).
 */
import type { Implementation } from '../../../shared/contract';
import type { CoreContext } from '../context';
import type { CoreServices } from '../services';
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
import { createReportHandlers } from './report';
import { createReviewHandlers } from './reviews';

export function createHandlers(ctx: CoreContext, s: CoreServices): Implementation {
  return {
    ...createAppHandlers(ctx, s),
    ...createEngineHandlers(ctx, s),
    ...createElementsHandlers(ctx, s),
    ...createPrivacyHandlers(ctx, s),
    ...createSecretsHandlers(ctx, s),
    ...createKlingHandlers(ctx),
    ...createMediaHandlers(ctx, s),
    ...createStoryboardHandlers(ctx, s),
    ...createQueueHandlers(ctx, s),
    ...createProjectHandlers(ctx, s),
    ...createReportHandlers(ctx, s),
    ...createReviewHandlers(ctx, s),
  };
}
