/**
 * Multi-shot scene clips (kling-api.md §10, §20; issue 13 item 6): one MP4 with hard cuts at
 * the cumulative declared shot durations, every shot visibly different so a test can tell
 * which shot any frame belongs to: the whole picture is hue-rotated per shot, and a solid box
 * in the top-left corner (SHOT_BOX) has the shot's own colour (SHOT_COLOURS). The file is the
 * declared sum plus Kling's remainder (`extraSec`, 0.041 s) long; the last shot takes the
 * remainder. With audio, an AAC track whose tone changes pitch at the same cuts.
 *
 * Encoded like a real generation rather than like the single-shot test clips: High profile
 * with B-frames (x264 superfast), a fixed GOP (`gop`, default 2 s) and no scene-cut keyframes,
 * so whether a cut falls on a keyframe is decided by the GOP alone and a test can put some
 * boundaries on keyframes and some off (electron/core/media/split.ts handles both).
 */

/** Box colours by shot index (RGB), far apart so a decoded pixel names its shot unambiguously. */
export const SHOT_COLOURS: ReadonlyArray<readonly [number, number, number]> = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
];

/** The coloured box, as fractions of the frame: top-left third by third. */
export const SHOT_BOX = { x: 0, y: 0, w: 1 / 3, h: 1 / 3 } as const;

export interface SceneShape {
  fps: number;
  /** Declared shot durations in seconds (1-6 shots). */
  shots: readonly number[];
  /** Total file length in seconds (declared sum + Kling's remainder). */
  durationSec: number;
  audio?: boolean | undefined;
  /** Frames between keyframes (default 2 s). */
  gop?: number | undefined;
}

/** First frame of each shot after the first: round(cumulative seconds x fps). */
export function shotStartFrames(shots: readonly number[], fps: number): number[] {
  const starts: number[] = [0];
  let sum = 0;
  for (const d of shots.slice(0, -1)) {
    sum += d;
    starts.push(Math.round(sum * fps));
  }
  return starts;
}

function hex([r, g, b]: readonly [number, number, number]): string {
  return `0x${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** `-vf` for a scene: per-shot hue by frame number, then one enabled box per shot. */
export function sceneVideoFilter(s: SceneShape): string {
  const starts = shotStartFrames(s.shots, s.fps);
  const n = starts.length;
  // Nested if() on the frame number n: hue H (radians) per shot.
  let hueExpr = String(((n - 1) * 2 * Math.PI) / 6);
  for (let i = n - 2; i >= 0; i--)
    hueExpr = `if(lt(n,${starts[i + 1]}),${((i * 2 * Math.PI) / 6).toFixed(4)},${hueExpr})`;
  const boxes = starts.map((first, i) => {
    const next = starts[i + 1];
    const enable = next === undefined ? `gte(n,${first})` : `between(n,${first},${next - 1})`;
    const colour = SHOT_COLOURS[i % SHOT_COLOURS.length] ?? [0, 0, 0];
    return `drawbox=x=iw*${SHOT_BOX.x}:y=ih*${SHOT_BOX.y}:w=iw*${SHOT_BOX.w.toFixed(6)}:h=ih*${SHOT_BOX.h.toFixed(6)}:color=${hex(colour)}:t=fill:enable='${enable}'`;
  });
  return [`hue=H='${hueExpr}'`, ...boxes, 'format=yuv420p'].join(',');
}

/** lavfi audio source: a stereo tone whose pitch changes at each declared cut. */
export function sceneAudioSource(s: SceneShape): string {
  let t = 0;
  const cuts = s.shots.slice(0, -1).map((d) => (t += d));
  let freq = String(330 + 110 * (s.shots.length - 1));
  for (let i = cuts.length - 1; i >= 0; i--) freq = `if(lt(t,${cuts[i]}),${330 + 110 * i},${freq})`;
  const expr = `0.2*sin(2*PI*${freq}*t)`;
  return `aevalsrc=exprs='${expr}|${expr}':s=48000:d=${s.durationSec}`;
}

/** ffmpeg arguments (after the video source input, which fixes the frame count) that encode a scene. */
export function sceneEncodeArgs(s: SceneShape): string[] {
  const gop = s.gop ?? s.fps * 2;
  return [
    ...(s.audio ? ['-f', 'lavfi', '-i', sceneAudioSource(s)] : []),
    '-vf',
    sceneVideoFilter(s),
    ...(s.audio ? ['-c:a', 'aac', '-b:a', '96k', '-ac', '2'] : ['-an']),
    '-c:v',
    'libx264',
    '-preset',
    'superfast',
    '-crf',
    '30',
    '-g',
    String(gop),
    '-keyint_min',
    String(gop),
    '-sc_threshold',
    '0',
  ];
}
