/**
 * The new standard's multi-shot prompt (kling-api.md §10): `shot n, m, words;` with half-width
 * semicolons, shots numbered 1, 2, ... in order. Written by `multiShotPrompt` (request.ts) and
 * read back here by the decoders (endpoints.ts) so the sandbox checks a received scene with the
 * same rules as the client (checkVideoRequest): the numeric rules (1-6 shots, >= 1 s, the sum,
 * 512 characters) live there; this reads only the syntax.
 */

const SHOT = /^\s*shot\s+(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*([\s\S]*?)\s*$/i;

/** Does a prompt use the multi-shot syntax (it starts with `shot 1,`)? */
export function looksMultiShot(prompt: string | undefined): boolean {
  return prompt !== undefined && /^\s*shot\s+\d+\s*,/i.test(prompt);
}

/** The shots of a multi-shot prompt, or the syntax problem (message for the `prompt` field). */
export function parseMultiShotPrompt(
  prompt: string,
): { shots: Array<{ prompt: string; duration: number }> } | { problem: string } {
  const parts = prompt.split(';').filter((p) => p.trim() !== '');
  const shots: Array<{ prompt: string; duration: number }> = [];
  for (const [i, part] of parts.entries()) {
    const m = SHOT.exec(part);
    if (!m)
      return {
        problem: `multi-shot part ${i + 1} is not "shot n, seconds, words;" (half-width semicolons between shots)`,
      };
    const n = Number(m[1]);
    if (n !== i + 1) return { problem: `shot ${n} is numbered out of order; number the shots 1, 2, 3, ...` };
    shots.push({ prompt: m[3] ?? '', duration: Number(m[2]) });
  }
  return { shots };
}
