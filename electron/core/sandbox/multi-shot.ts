/**
 * The new standard's multi-shot prompt syntax (kling-api.md §10): `shot n, m, words;` with
 * half-width semicolons; 1-6 shots numbered 1, 2, ... in order, each m >= 1 whole seconds,
 * the m summing to `settings.duration`, each shot's words at most 512 characters. On by default
 * on the 3.0 family (`settings.multi_shot`, default true; false makes the syntax plain text);
 * 3.0 Turbo has no field and the syntax alone drives it. A prompt that does not start with
 * `shot 1,` is a single shot.
 */
import { CAPABILITIES, LIMITS, type KlingModel } from '../../../shared/kling/capabilities';

export type MultiShot = { shots: number[] } | { problem: string } | null;

const SHOT = /^\s*shot\s+(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*([\s\S]*?)\s*$/i;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The declared shot durations of a new-standard create, a problem naming the rule, or null. */
export function multiShotOf(body: unknown, model: KlingModel, prompt: string | undefined, duration: number): MultiShot {
  if (!CAPABILITIES[model].multiShot || prompt === undefined || !/^\s*shot\s+\d+\s*,/i.test(prompt)) return null;
  const settings = isObject(body) && isObject(body.settings) ? body.settings : {};
  if (settings.multi_shot === false) return null;
  const parts = prompt.split(';').filter((p) => p.trim() !== '');
  const shots: number[] = [];
  for (const [i, part] of parts.entries()) {
    const m = SHOT.exec(part);
    if (!m) return { problem: `prompt: multi-shot part ${i + 1} is not "shot n, seconds, words;" (half-width semicolons between shots)` };
    const n = Number(m[1]);
    const secs = Number(m[2]);
    const words = m[3] ?? '';
    if (n !== i + 1) return { problem: `prompt: shot ${n} is numbered out of order; number the shots 1, 2, 3, ...` };
    if (!Number.isInteger(secs) || secs < 1) return { problem: `prompt: shot ${n} lasts ${m[2]} s; each shot must be a whole number of seconds, at least 1` };
    if (words === '') return { problem: `prompt: shot ${n} has no description` };
    if (words.length > LIMITS.multiShotPromptMax) return { problem: `prompt: shot ${n} text is ${words.length} characters; at most ${LIMITS.multiShotPromptMax} per shot` };
    shots.push(secs);
  }
  if (shots.length > LIMITS.multiShotMax) return { problem: `prompt: ${shots.length} shots; a multi-shot generation has 1-${LIMITS.multiShotMax}` };
  const sum = shots.reduce((a, b) => a + b, 0);
  if (sum !== duration) return { problem: `prompt: the shots last ${sum} s together, but settings.duration is ${duration}; they must add up to it` };
  return { shots };
}
