/** One import point for the property test (shared data + client types). */
export * from '../../../shared/kling';
export type { KlingClient } from '../../../electron/core/kling';
