/**
 * The sandbox's element endpoints (electron/core/sandbox/elements.ts, kling-api.md §7): an async
 * legacy task that succeeds on the sandbox clock with a numeric element_id and 0 units, queries
 * by task id and external id, pages, delete, Kling's refusals, and the state file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { png } from '../../unit/kling/png';
import { call, fastSandbox, keyHeader } from '../sandbox/helpers';

const CREATE = '/v1/general/advanced-custom-elements';
const b64 = (w: number, h: number): string => png(w, h).toString('base64');

function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    element_name: 'Mara',
    element_description: 'a woman in a red coat',
    reference_type: 'image_refer',
    element_image_list: {
      frontal_image: b64(400, 600),
      refer_images: [{ image_url: b64(400, 400) }, { image_url: 'https://example.com/side.png' }],
    },
    ...extra,
  };
}

let sb: Sandbox | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await sb?.close();
  sb = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sandbox elements', () => {
  it('creates an element as an async task, numeric id, 0 units; query by task id and external id; list; delete', async () => {
    sb = await fastSandbox({ elementMs: 3000 });
    const c = await call(sb, 'POST', CREATE, body({ external_task_id: 'el-1' }));
    expect(c.code).toBe(0);
    const taskId = (c.data as { task_id: string }).task_id;
    expect((c.data as { task_status: string }).task_status).toBe('submitted');

    const early = await call(sb, 'GET', `${CREATE}/${taskId}`);
    expect((early.data as { task_status: string }).task_status).not.toBe('succeed');
    expect((early.data as { task_result: { elements: unknown[] } }).task_result.elements).toEqual([]);

    sb.clock.advance(3000);
    const done = await call(sb, 'GET', `${CREATE}/el-1`);
    const d = done.data as {
      task_status: string;
      final_unit_deduction: string;
      task_result: { elements: Array<{ element_id: number; status: string; element_name: string }> };
    };
    expect(d.task_status).toBe('succeed');
    expect(d.final_unit_deduction).toBe('0');
    const el = d.task_result.elements[0];
    expect(typeof el?.element_id).toBe('number');
    expect(String(el?.element_id)).toMatch(/^\d{15}$/);
    expect(el?.status).toBe('succeed');
    const id = String(el?.element_id);
    expect(sb.tasks()).toHaveLength(0); // elements are not video tasks

    // GET /tasks answers for element tasks too, in the new shape (kling-api.md §5.8).
    const fresh = await call(sb, 'GET', '/tasks?external_task_ids=el-1');
    const rec = (
      fresh.data as Array<{
        id: string;
        status: string;
        outputs: Array<{ type: string; id: string; element_type: string; status: string }>;
      }>
    )[0];
    expect(rec?.id).toBe(taskId);
    expect(rec?.status).toBe('succeeded');
    expect(rec?.outputs[0]).toMatchObject({
      type: 'element',
      id,
      element_type: 'multi_image_elements',
      status: 'succeeded',
    });

    // The same routes take an API key too (kling-api.md §4.2).
    const listed = await call(sb, 'GET', `${CREATE}?pageNum=1&pageSize=10`, undefined, keyHeader(sb));
    expect((listed.data as unknown[]).length).toBe(1);
    expect((await call(sb, 'GET', `${CREATE}?pageNum=1&pageSize=501`)).code).toBe(1201);

    const del = await call(sb, 'POST', '/v1/general/delete-advanced-elements', { element_id: Number(id) });
    expect(del.code).toBe(0);
    const after = await call(sb, 'GET', `${CREATE}/${taskId}`);
    expect((after.data as typeof d).task_result.elements[0]?.status).toBe('deleted');
    const again = await call(sb, 'POST', '/v1/general/delete-advanced-elements', { element_id: id });
    expect(again.code).toBe(1201);
    expect(again.message).toBe(`Element id not found: ${id}`);
    expect(sb.elements()[0]?.deletedAt).not.toBeNull();
  });

  it('refuses what Kling refuses with 1201: data: prefix, small image, too many refer images, long name, repeated external id, unknown task', async () => {
    sb = await fastSandbox();
    const dataPrefix = await call(
      sb,
      'POST',
      CREATE,
      body({
        element_image_list: {
          frontal_image: `data:image/png;base64,${b64(400, 400)}`,
          refer_images: [{ image_url: b64(400, 400) }],
        },
      }),
    );
    expect([dataPrefix.status, dataPrefix.code, dataPrefix.message]).toEqual([
      400,
      1201,
      'File is not in a valid base64 format',
    ]);

    const small = await call(
      sb,
      'POST',
      CREATE,
      body({ element_image_list: { frontal_image: b64(200, 200), refer_images: [{ image_url: b64(400, 400) }] } }),
    );
    expect(small.code).toBe(1201);
    expect(small.message).toContain('element_image_list.frontal_image: 200x200 px is too small');

    const four = await call(
      sb,
      'POST',
      CREATE,
      body({
        element_image_list: {
          frontal_image: b64(400, 400),
          refer_images: [1, 2, 3, 4].map(() => ({ image_url: 'https://example.com/a.png' })),
        },
      }),
    );
    expect(four.code).toBe(1201);
    expect(four.message).toContain('element_image_list.refer_images');

    const name = await call(sb, 'POST', CREATE, body({ element_name: 'x'.repeat(21) }));
    expect(name.code).toBe(1201);
    expect(name.message).toContain('element_name');

    const video = await call(sb, 'POST', CREATE, {
      element_name: 'Run',
      element_description: 'a runner',
      reference_type: 'video_refer',
      element_video_list: { refer_videos: [{ video_url: 'https://example.com/run.gif' }] },
    });
    expect(video.message).toContain('must be an .mp4 or .mov file');

    expect((await call(sb, 'POST', CREATE, body({ external_task_id: 'dup' }))).code).toBe(0);
    const dup = await call(sb, 'POST', CREATE, body({ external_task_id: 'dup' }));
    expect([dup.code, dup.message]).toEqual([1201, 'External_task_id dup already exists']);
    expect(sb.elements()).toHaveLength(1);

    const missing = await call(sb, 'GET', `${CREATE}/nope`);
    expect([missing.code, missing.message]).toEqual([1201, 'Task not found by id/external id: nope']);
  });

  it('keeps elements in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-el-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    sb = await fastSandbox({ stateFile, elementMs: 0 });
    const c = await call(sb, 'POST', CREATE, body({ external_task_id: 'keep' }));
    expect(c.code).toBe(0);
    await sb.close();
    sb = await fastSandbox({ stateFile });
    expect(sb.elements().map((e) => e.externalTaskId)).toEqual(['keep']);
    const q = await call(sb, 'GET', `${CREATE}/keep`);
    expect((q.data as { task_status: string }).task_status).toBe('succeed');
  });
});
