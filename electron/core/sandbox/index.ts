/** The Kling-compatible sandbox server (a simulator for tests, demos and benchmarks). */
export { startSandbox, SANDBOX_CREDENTIALS, RISK_CONTROL_MESSAGE } from './server';
export type {
  AccountState,
  CallbackRecord,
  CreateRecord,
  Fault,
  FaultAction,
  FaultRoute,
  RequestRecord,
  RetiredAnswer,
  Sandbox,
  SandboxAccountInit,
  SandboxOptions,
  SandboxSettings,
  SandboxTask,
  SandboxTiming,
} from './types';
export { AKSK_REFUSED, NOT_A_JWT } from './auth';
export { startSandboxForCli } from './cli';
export { createSandboxService } from './service';
export type { SandboxService } from './service';
export type { CliSandbox } from './cli';
export { ensureClip, sceneClipSpec, DEFAULT_CLIP_CACHE } from './clips';
export { SHOT_BOX, SHOT_COLOURS, shotStartFrames } from './scene-clip';
export type { ClipSpec } from './clips';
export { SandboxOutage } from './outage';
export type { OutageMode, OutageWindow, OutageHit } from './outage';
