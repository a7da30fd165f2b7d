/**
 * The sandbox's state file (`<dataDir>/sandbox/state.json`, service.ts): accounts and tasks,
 * written atomically after every change, read at start, so a sandbox restarted by a resumed
 * CLI run still knows the tasks of the killed one. Images are not kept (the decoded request
 * is stored without them). Files of the 2025 format (version 1, tasks with `mode`) are
 * ignored: the sandbox starts empty, as a fresh Kling account would.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { VideoRequest } from '../../../shared/kling/request';
import type { SandboxElement } from './elements';
import type { TaskStore } from './store';
import type { SandboxTask } from './types';

const VERSION = 2;

export function withoutImages(req: VideoRequest): VideoRequest {
  const { startImage: _s, endImage: _e, ...rest } = req;
  return rest;
}

export function saveState(file: string | undefined, store: TaskStore): void {
  if (!file) return;
  const state = {
    version: VERSION,
    accounts: [...store.accounts.entries()].map(([accessKey, a]) => ({
      accessKey,
      balance: a.balance,
      concurrency: a.concurrency,
    })),
    tasks: store.tasks,
    elements: store.elements,
  };
  const tmp = `${file}.${process.pid}.tmp`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

export function loadState(file: string | undefined, store: TaskStore): void {
  if (!file || !existsSync(file)) return;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      version?: number;
      accounts: Array<{ accessKey: string; balance: number; concurrency?: number }>;
      tasks: SandboxTask[];
      elements?: SandboxElement[];
    };
    if (state.version !== VERSION) return;
    for (const a of state.accounts) {
      const acc = store.accounts.get(a.accessKey);
      if (acc) {
        acc.balance = a.balance;
        acc.concurrency = a.concurrency;
      }
    }
    for (const t of state.tasks) if (store.accounts.has(t.accessKey)) store.add(t);
    for (const e of state.elements ?? []) if (store.accounts.has(e.accessKey)) store.elements.push(e);
  } catch {
    // A damaged state file is ignored: the sandbox starts empty, as a fresh Kling account would.
  }
}
