/**
 * The one IPC contract. Every front (Electron IPC, the test bridge, the CLI) speaks it;
 * the core implements it once. Each domain owns one file here and one handler file in
 * electron/core/handlers; this index only merges them.
 */
import type { z } from 'zod';

import { appContract, appEvents } from './app';
import { elementsContract, elementsEvents } from './elements';
import { engineContract, engineEvents } from './engine';
import { klingContract, klingEvents } from './kling';
import type { Handlers } from './define';
import { mediaContract, mediaEvents } from './media';
import { privacyContract, privacyEvents } from './privacy';
import { projectContract, projectEvents } from './project';
import { secretsContract, secretsEvents } from './secrets';
import { storyboardContract, storyboardEvents } from './storyboard';
import { queueContract, queueEvents } from './queue';
import { reportContract, reportEvents } from './report';
import { reviewContract, reviewEvents } from './review';

export * from './app';
export * from './elements';
export * from './engine';
export * from './define';
export * from './privacy';
export * from './project';
export * from './secrets';
export * from './kling';
export * from './media';
export * from './storyboard';
export * from './queue';
export * from './report';
export * from './review';

export const contract = {
  ...privacyContract,
  ...secretsContract,
  ...appContract,
  ...engineContract,
  ...elementsContract,
  ...klingContract,
  ...mediaContract,
  ...storyboardContract,
  ...queueContract,
  ...projectContract,
  ...reportContract,
  ...reviewContract,
} as const;

export const events = {
  ...privacyEvents,
  ...secretsEvents,
  ...appEvents,
  ...engineEvents,
  ...elementsEvents,
  ...klingEvents,
  ...mediaEvents,
  ...storyboardEvents,
  ...queueEvents,
  ...projectEvents,
  ...reportEvents,
  ...reviewEvents,
} as const;

export type Contract = typeof contract;
export type MethodName = Extract<keyof Contract, string>;
export type EventName = Extract<keyof typeof events, string>;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type Implementation = Handlers<Contract>;

export const methodNames = Object.keys(contract) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** IPC channel names: one namespace so the main-side wrapper can refuse anything else. */
export const IPC_PREFIX = 'shotline:';
export const EVENT_CHANNEL = 'shotline:event';
export const channelFor = (m: MethodName): string => `${IPC_PREFIX}${m}`;
