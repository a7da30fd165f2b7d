/**
 * What the per-standard handlers share: the task store, the settings in force, the clock, the
 * base URL for result links, and what happens after a task is created (state file, callbacks).
 */
import type { CreateContext } from './create';
import type { SandboxTask } from './types';
import type { ViewContext } from './views';

export interface HandlerContext extends CreateContext, ViewContext {
  /** Persist and schedule callbacks for a task just created. */
  created(task: SandboxTask): void;
  /** Persist after a change that is not a new task (elements). */
  saved(): void;
}
