/**
 * A task as each standard shows it (kling-api.md §5.7-§5.8 new, §6 legacy; §15 callbacks use
 * the same records, bare). Both views read one SandboxTask, so a task created on either
 * standard can be queried on the other (`GET /tasks` returns legacy-created tasks too [LIVE]).
 */
import type { TaskStore } from './store';
import type { SandboxTask } from './types';

export interface ViewContext {
  store: TaskStore;
  baseUrl: string;
}

/** "5.041": seconds as Kling writes them, a decimal string. */
export function durationString(sec: number): string {
  return String(Math.round(sec * 1000) / 1000);
}

function mediaUrl(ctx: ViewContext, t: SandboxTask, watermark = false): string {
  return `${ctx.baseUrl}/media/${t.video.token}.mp4${watermark ? '?watermark=1' : ''}`;
}

function updatedAt(t: SandboxTask, status: string): number {
  return status === 'submitted' ? t.createdAt : status === 'processing' ? t.processingAt : t.doneAt;
}

/** The new standard's task record, now or as of `at` (a callback describes the change it announces). */
export function newTaskView(ctx: ViewContext, t: SandboxTask, at?: number): Record<string, unknown> {
  const status = ctx.store.statusOf(t, at);
  const done = status === 'succeed';
  return {
    id: t.taskId,
    status: done ? 'succeeded' : status,
    message: status === 'failed' ? (t.failMessage ?? '') : '',
    create_time: t.createdAt,
    update_time: updatedAt(t, status),
    external_id: t.externalTaskId ?? '',
    outputs: done
      ? [
          {
            type: 'video',
            id: t.video.id,
            url: mediaUrl(ctx, t),
            ...(t.watermark ? { watermark_url: mediaUrl(ctx, t, true) } : {}),
            duration: durationString(t.video.durationSec),
          },
        ]
      : [],
    // Kling bills rate x requested duration on success; failed tasks carry no charge (kling-api.md §12).
    billing: done ? [{ charge_type: 'unit', amount: String(t.units), package_type: 'video' }] : [],
  };
}

/** The legacy task object, now or as of `at`. */
export function legacyTaskView(ctx: ViewContext, t: SandboxTask, at?: number): Record<string, unknown> {
  const status = ctx.store.statusOf(t, at);
  const done = status === 'succeed';
  return {
    task_id: t.taskId,
    task_status: status,
    task_status_msg: status === 'failed' ? (t.failMessage ?? '') : '',
    task_info: t.externalTaskId ? { external_task_id: t.externalTaskId } : {},
    task_result: {
      videos: done
        ? [
            {
              id: t.video.id,
              url: mediaUrl(ctx, t),
              ...(t.watermark ? { watermark_url: mediaUrl(ctx, t, true) } : {}),
              duration: durationString(t.video.durationSec),
            },
          ]
        : [],
    },
    watermark_info: { enabled: t.watermark },
    final_unit_deduction: done ? String(t.units) : '0',
    created_at: t.createdAt,
    updated_at: updatedAt(t, status),
  };
}

/** The record a standard shows for a task. */
export function taskView(
  ctx: ViewContext,
  t: SandboxTask,
  standard: 'new' | 'legacy',
  at?: number,
): Record<string, unknown> {
  return standard === 'new' ? newTaskView(ctx, t, at) : legacyTaskView(ctx, t, at);
}
