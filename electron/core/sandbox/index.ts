/** The Kling-compatible sandbox server (a simulator for tests, demos and benchmarks). */
export { startSandbox, SANDBOX_CREDENTIALS, RISK_CONTROL_MESSAGE } from './server';
export type {
  AccountState,
  CreateRecord,
  Fault,
  FaultAction,
  FaultRoute,
  RequestRecord,
  Sandbox,
  SandboxAccountInit,
  SandboxOptions,
  SandboxTask,
  SandboxTiming,
} from './server';
export { startSandboxForCli } from './cli';
export { ensureSandbox } from './service';
export type { CliSandbox } from './cli';
export { ensureClip, DEFAULT_CLIP_CACHE } from './clips';
export type { ClipSpec } from './clips';
export { SandboxOutage } from './outage';
export type { OutageMode, OutageWindow, OutageHit } from './outage';
