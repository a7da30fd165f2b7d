/**
 * A multi-shot scene (README.md, "Storyboards", kling-api.md §10) as the ONE Kling request one take of it
 * is: `shots: [{prompt, duration}]`, duration = their sum, the first shot's start frame, the
 * last shot's end frame, and the union of the shots' elements. The engine (electron/core/engine)
 * builds a scene take with `sceneRequest`; a shot generated alone goes through `toVideoRequest`
 * (validate.ts). Both take the element library's alias -> Kling id map in `overrides.elements`.
 */
import { defaultAudio, lookupModel, MODE_TO_RESOLUTION } from '../kling/capabilities';
import type { VideoRequest } from '../kling/request';
import { ShotlineError } from '../result';
import { DEFAULT_RESOLUTION, type ResolvedScene, type ResolvedShot } from './schema';

/** Element alias (ResolvedElement.id, the `@alias` of the prompt) -> Kling element id. */
export type ElementIds = Readonly<Record<string, string>>;

export interface SceneOverrides {
  /** Per shot id: the text to send instead of the shot's prompt (the PII filter's output). */
  prompts?: Readonly<Record<string, string>>;
  /** The scene's start frame when its first shot says "@previous" (the previous shot's last frame, extracted by the engine). */
  startImage?: string;
  /** Kling ids of the elements the shots name (the engine fills it from the element library). */
  elements?: ElementIds;
}

/**
 * `[{elementId, alias}]` for the ids a shot or scene names, in order, without repeats. Every
 * id must have a Kling id in `ids`: an element not created yet must not be sent as anything.
 */
export function elementRefs(
  names: readonly string[],
  ids: ElementIds | undefined,
  where: string,
): Array<{ elementId: string; alias: string }> {
  const out: Array<{ elementId: string; alias: string }> = [];
  for (const alias of names) {
    if (out.some((e) => e.alias === alias)) continue;
    const elementId = ids?.[alias];
    if (!elementId) {
      throw new ShotlineError({
        code: 'validation',
        where: `${where}, elements`,
        message: `element "${alias}" has no Kling id yet; create it first (shotline elements, or the Elements page) and run again`,
      });
    }
    out.push({ elementId, alias });
  }
  return out;
}

/**
 * The request for one take of `scene`. `shots` may be the scene's shots or the whole
 * storyboard's (they are picked by `scene.shotIds`). A first shot whose startImage is
 * "@previous" needs `overrides.startImage`. Throws a ShotlineError (code `validation`) when a
 * shot is missing, the model is not live, or an element has no Kling id.
 */
export function sceneRequest(
  scene: ResolvedScene,
  shots: readonly ResolvedShot[],
  externalTaskId: string,
  overrides: SceneOverrides = {},
): VideoRequest {
  const byId = new Map(shots.map((s) => [s.id, s]));
  const members = scene.shotIds.map((id) => {
    const s = byId.get(id);
    if (!s)
      throw new ShotlineError({
        code: 'validation',
        where: `scene ${scene.id}`,
        message: `shot "${id}" of scene ${scene.id} was not given; pass the scene's shots`,
      });
    return s;
  });
  const first = members[0];
  const last = members[members.length - 1];
  if (!first || !last)
    throw new ShotlineError({
      code: 'validation',
      where: `scene ${scene.id}`,
      message: `scene ${scene.id} has no shots`,
    });
  const found = lookupModel(first.model);
  if (!found.ok) {
    throw new ShotlineError({
      code: 'validation',
      where: `scene ${scene.id}, model`,
      message: `${first.model} is ${found.retired?.why ?? 'not a live Kling model'}; upgrade the storyboard (shotline storyboard upgrade FILE) and import it again`,
    });
  }
  const legacy = first as ResolvedShot & { mode?: string };
  const resolution = first.resolution ?? MODE_TO_RESOLUTION[legacy.mode ?? ''] ?? DEFAULT_RESOLUTION;
  const startImage = overrides.startImage ?? first.startImage;
  const endImage = last.endImage;
  const names = members.flatMap((s) => s.elements ?? []);
  const elements = names.length ? elementRefs(names, overrides.elements, `scene ${scene.id}`) : [];
  const kind = startImage !== undefined || endImage !== undefined ? 'image2video' : 'text2video';
  return {
    kind,
    model: found.model,
    resolution,
    duration: members.reduce((a, s) => a + s.duration, 0),
    audio: first.audio ?? defaultAudio(found.model),
    externalTaskId,
    ...(kind === 'text2video' ? { aspectRatio: first.aspectRatio } : {}),
    shots: members.map((s) => ({ prompt: overrides.prompts?.[s.id] ?? s.prompt, duration: s.duration })),
    ...(startImage !== undefined ? { startImage } : {}),
    ...(endImage !== undefined ? { endImage } : {}),
    ...(elements.length ? { elements } : {}),
  };
}
