/** Strings of the Storyboard page's scenes and motion fields (issue 13 item 5); the elements picker's are in elements.ts. */
export const sc = {
  scene: 'Scene',
  sceneHint:
    'Consecutive shots with the same scene are made together as one Kling multi-shot generation: one task, one charge.',
  sceneNone: 'Leave empty to generate the shot alone; pick a neighbour’s scene or type a new name.',
  sceneNotOffered: (model: string, models: string) => `${model} makes no multi-shot scenes; use ${models}.`,
  group: (name: string) => `Scene ${name}`,
  groupSummary: (shots: number, seconds: number, cost: string) =>
    `${shots} shot${shots === 1 ? '' : 's'} · ${seconds} s · ${cost} a take (one charge)`,
  barLabel: (name: string) => `Duration of scene ${name}`,
  barOk: (total: number, min: number, max: number) => `${total} s of ${min}-${max} s`,
  segment: (id: string, d: number) => `${id}: ${d} s`,
  tooLong: (total: number, max: number, model: string) =>
    `${total} s is too long: a scene on ${model} is at most ${max} s together. Shorten its shots by ${total - max} s in all, or start a new scene.`,
  tooShort: (total: number, min: number, model: string) =>
    `${total} s is too short: a scene on ${model} is at least ${min} s together. Lengthen its shots by ${min - total} s in all.`,
  shotTooShort: (id: string, d: number, min: number) =>
    `Shot ${id} is ${d} s: each shot of a scene is at least ${min} s. Set its duration to ${min} s or more.`,
  tooMany: (n: number, max: number) => `${n} shots: a scene has at most ${max}. Move the others to a new scene.`,
  mixedModels: (models: string) =>
    `The scene mixes models (${models}): one scene is one generation on one model. Give every shot the first shot’s model.`,
  noMultiShot: (model: string, models: string) =>
    `${model} makes no multi-shot scenes; switch the scene’s shots to ${models}, or clear their scene.`,
  startInScene: (first: string) => `In a scene the start frame belongs to its first shot (${first}): set it there.`,
  endInScene: (last: string) => `In a scene the end frame belongs to its last shot (${last}): set it there.`,
  sceneSentAs: (name: string) =>
    `Scene ${name} is sent as one prompt (Kling’s multi-shot syntax; each shot’s words pass the PII filter)`,
  costShare: 'Its share of the scene take',
  promptInScene: (n: number, max: number) => `${n} / ${max} (in a scene)`,
  motion: 'Motion reference',
  motionUrl: 'Reference video URL',
  motionRules:
    'An https URL of an mp4 or mov (Kling fetches video by URL only). With orientation “image” the video is 3-10 s, with “video” 3-30 s; no 4K. Models: kling-3.0, kling-2.6.',
  motionNotOffered: (model: string, models: string) =>
    `Not available on ${model}: motion control is offered by ${models}.`,
  motionNotHttps: 'The reference must be an https URL (http, paths and files are refused).',
  motionNo4k: 'Motion control makes no 4K: set the resolution to 720p or 1080p.',
  orientation: 'Character orientation',
  orientationNone: 'choose…',
  orientationImage: 'image (reference video at most 10 s)',
  orientationVideo: 'video (reference video at most 30 s)',
  csvNoElements:
    'CSV has one row per shot and no place for the storyboard’s top-level elements (their images and Kling ids): export JSON to keep them.',
  storyboardProblems: 'Storyboard problems:',
} as const;
