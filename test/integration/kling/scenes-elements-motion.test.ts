/**
 * The real client (electron/core/kling) sends the Kling 3.x requests on both standards and the
 * sandbox takes them: a scene with an element and a local first frame (loaded, checked, sent as
 * base64), and motion control with a reference video by URL; each is created, queried by its
 * own path (legacy motion tasks live under /v1/videos/motion-control) and billed as Kling bills.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { KlingClient } from '../../../electron/core/kling';
import type { Sandbox } from '../../../electron/core/sandbox';
import type { VideoRequest } from '../../../shared/kling/request';
import { sceneRequest } from '../../../shared/storyboard/scene-request';
import { parseStoryboard } from '../../../shared/storyboard/validate';
import { pngBase64 } from '../../unit/kling/png';
import { apiClientFor, clientFor, FAST, sandbox } from './helpers';

let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'shotline-kling-3x-'));
const frame = join(dir, 'start.png');
beforeAll(async () => {
  sb = await sandbox();
  writeFileSync(frame, Buffer.from(pngBase64(640, 360), 'base64'));
});
afterAll(() => sb.close());

async function done(
  client: KlingClient,
  req: VideoRequest,
  taskId: string,
): Promise<{ status: string; units: number | null; url: string }> {
  sb.clock.advance(FAST.submittedMs + FAST.processingMs);
  const t = await client.getTask({ model: req.model, kind: req.kind }, taskId);
  return { status: t.status, units: t.unitsCharged, url: t.videos[0]?.url ?? '' };
}

describe.each([
  ['new', (s: Sandbox): KlingClient => apiClientFor(s)],
  ['legacy', (s: Sandbox): KlingClient => clientFor(s)],
] as const)('%s standard', (standard, make) => {
  it('a scene of the storyboard with an element, as the engine builds it (sceneRequest), is one task billed once', async () => {
    const client = make(sb);
    const el = await client.elements.create({
      element_name: 'Mara',
      element_description: 'the lead',
      reference_type: 'image_refer',
      element_image_list: { frontal_image: pngBase64(400, 400), refer_images: [{ image_url: pngBase64(400, 500) }] },
    });
    sb.clock.advance(10_000);
    const elementId = (await client.elements.get(el.taskId))?.elementId ?? '';
    expect(elementId).toMatch(/^\d+$/);
    const board = JSON.stringify({
      name: 'x',
      defaults: { model: 'kling-3.0', resolution: '720p', audio: 'native' },
      elements: [{ id: 'mara', klingId: elementId }],
      shots: [
        { id: 'a', scene: 'hall', prompt: '@mara enters', duration: 2, startImage: 'start.png', elements: ['mara'] },
        { id: 'b', scene: 'hall', prompt: 'a close-up; she smiles', duration: 3 },
      ],
    });
    const parsed = parseStoryboard(board, { file: 'x.json', resolvePath: (p) => join(dir, p) });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const scene = parsed.storyboard.scenes[0];
    if (!scene) throw new Error('no scene');
    const req = sceneRequest(scene, parsed.storyboard.shots, `scene-${standard}`, { elements: { mara: elementId } });
    const task = await client.createTask(req);
    const r = await done(client, req, task.taskId);
    // 0.9 u/s (3.0, 720p, native audio) x 5 s: one charge for the two shots.
    expect(r).toMatchObject({ status: 'succeed', units: 4.5 });
    const sent = sb.creates.filter((c) => c.externalTaskId === `scene-${standard}`);
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0]?.body);
    expect(body).toContain(standard === 'new' ? '"type":"element"' : '"element_list"');
    expect(body).toContain(standard === 'new' ? 'shot 2, 3, a close-up, she smiles;' : '"multi_prompt"');
  });

  it('motion control with a reference by URL: created on /motion-control, queried there, billed on the reference length', async () => {
    const client = make(sb);
    const src: VideoRequest = {
      kind: 'text2video',
      model: 'kling-2.6',
      resolution: '720p',
      duration: 5,
      aspectRatio: '16:9',
      prompt: 'a dancer',
      externalTaskId: `ref-${standard}`,
    };
    const ref = await done(client, src, (await client.createTask(src)).taskId);
    const req: VideoRequest = {
      kind: 'motion',
      model: 'kling-2.6',
      resolution: '720p',
      duration: 10,
      prompt: 'she dances',
      startImage: frame,
      motion: { video: ref.url, orientation: 'image' },
      audio: 'off',
      externalTaskId: `motion-${standard}`,
    };
    const task = await client.createTask(req);
    const r = await done(client, req, task.taskId);
    // 2.6 motion control at 720p: 0.5 u/s x 5 s (the reference's rounded length), not the 10 s upper bound.
    expect(r).toMatchObject({ status: 'succeed', units: 2.5 });
    expect(sb.creates.find((c) => c.externalTaskId === `motion-${standard}`)?.path).toBe(
      standard === 'new' ? '/motion-control/kling-2.6' : '/v1/videos/motion-control',
    );
  });
});
