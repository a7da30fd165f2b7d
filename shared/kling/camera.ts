/**
 * Camera moves as camera language in the prompt. Kling's `camera_control` died with the
 * models that took it (kling-api.md §2, §3: "camera moves are prompt-driven on all current
 * models"), so a storyboard's `camera` (a preset name, free words, or the old camera_control
 * object) becomes a sentence appended to the prompt. The exact text sent is shown in the shot
 * editor and passes the PII filter with the rest of the prompt.
 */

/** Preset names kept from the first storyboard format, with the words they now stand for. */
export const CAMERA_PRESETS: Readonly<Record<string, string>> = {
  down_back: 'The camera moves down and pulls back.',
  forward_up: 'The camera moves forward and tilts up.',
  right_turn_forward: 'The camera turns right while moving forward.',
  left_turn_forward: 'The camera turns left while moving forward.',
  zoom_in: 'The camera slowly zooms in.',
  zoom_out: 'The camera slowly zooms out.',
  pan_left: 'The camera pans left.',
  pan_right: 'The camera pans right.',
  tilt_up: 'The camera tilts up.',
  tilt_down: 'The camera tilts down.',
  roll_clockwise: 'The camera rolls clockwise.',
  roll_counterclockwise: 'The camera rolls counterclockwise.',
  truck_left: 'The camera trucks left.',
  truck_right: 'The camera trucks right.',
  pedestal_up: 'The camera rises.',
  pedestal_down: 'The camera lowers.',
  static: 'The camera stays still.',
};

/** Words for one axis of the old `simple` camera_control, by sign (kling-api.md §6.2). */
const AXIS_WORDS: Readonly<Record<string, [string, string]>> = {
  horizontal: ['The camera trucks left.', 'The camera trucks right.'],
  vertical: ['The camera lowers.', 'The camera rises.'],
  pan: ['The camera pans left.', 'The camera pans right.'],
  tilt: ['The camera tilts down.', 'The camera tilts up.'],
  roll: ['The camera rolls counterclockwise.', 'The camera rolls clockwise.'],
  zoom: ['The camera slowly zooms in.', 'The camera slowly zooms out.'],
};

export const CAMERA_MAX_WORDS = 200;

/**
 * The sentence a camera value stands for, or an error saying how to fix it. Accepts a preset
 * name, free words (kept as written), or the old `{type, config}` object (turned into words).
 */
export function cameraWords(value: unknown): { ok: true; words: string } | { ok: false; message: string } {
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return { ok: false, message: 'empty; leave the field out or describe the move' };
    if (Object.hasOwn(CAMERA_PRESETS, s)) return { ok: true, words: CAMERA_PRESETS[s] as string };
    if (/^[a-z]+(_[a-z]+)+$/.test(s))
      return {
        ok: false,
        message: `"${s}" is not a preset; use one of ${Object.keys(CAMERA_PRESETS).join(', ')}, or describe the move in words`,
      };
    if (s.length > CAMERA_MAX_WORDS)
      return { ok: false, message: `${s.length} characters; describe the move in at most ${CAMERA_MAX_WORDS}` };
    const sentence = `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
    return { ok: true, words: /[.!?]$/.test(sentence) ? sentence : `${sentence}.` };
  }
  if (value && typeof value === 'object' && 'type' in value) {
    const v = value as { type: unknown; config?: Record<string, unknown> };
    if (typeof v.type === 'string' && v.type !== 'simple' && Object.hasOwn(CAMERA_PRESETS, v.type))
      return { ok: true, words: CAMERA_PRESETS[v.type] as string };
    if (v.type === 'simple') {
      const set = Object.entries(v.config ?? {}).filter(([, n]) => typeof n === 'number' && n !== 0);
      const [axis, n] = set[0] ?? [];
      const words = axis ? AXIS_WORDS[axis] : undefined;
      if (set.length === 1 && words && typeof n === 'number') return { ok: true, words: n < 0 ? words[0] : words[1] };
    }
    return {
      ok: false,
      message: 'a camera_control object that no live model takes; describe the move in words or use a preset',
    };
  }
  return {
    ok: false,
    message: `use a preset (${Object.keys(CAMERA_PRESETS).join(', ')}) or describe the move in words`,
  };
}

/** The prompt as sent: the shot's prompt, then the camera sentence. */
export function promptWithCamera(prompt: string, words: string | undefined): string {
  if (!words) return prompt;
  const p = prompt.trim();
  if (p === '') return words;
  return `${p}${/[.!?]$/.test(p) ? '' : '.'} ${words}`;
}
