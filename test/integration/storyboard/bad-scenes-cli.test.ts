/**
 * The CLI refuses the storyboard with every kind of bad scene (issue 13 "Tests") before
 * anything is queued or sent: exit code 2, and each problem on stderr with file, shot, field,
 * value and the fix (shared/storyboard/validate.ts, formatProblem).
 */
import { expect, it } from 'vitest';

import { runCli, tmp } from '../cli-run/helpers';

it(
  'run test/fixtures/storyboards/bad-scenes.json: exit 2, every bad scene named with its fix, nothing queued',
  { timeout: 120_000 },
  async () => {
    const r = await runCli([
      'run',
      'test/fixtures/storyboards/bad-scenes.json',
      '--provider',
      'sandbox',
      '--data-dir',
      tmp('bad-scenes'),
    ]);
    expect(r.code).toBe(2);
    for (const line of [
      'shot "seven7": scene = "seven": scene seven has 7 shots; a scene has 1-6: split it',
      'shot "long3": duration = 16: scene long lasts 16 s together (long1 5 + long2 5 + long3 6); a scene lasts 3-15 s',
      'shot "half1": duration = 0.5: 0.5 s; a shot of a scene lasts whole seconds, at least 1',
      'shot "wordy1": prompt = "600 characters": a shot of a scene takes at most 512 characters',
      'shot "mixed2": model = "kling-3.0-omni": scene mixed is one generation: kling-3.0-omni here but kling-3.0 on shot mixed1; set model on every shot of scene mixed, or put it in defaults',
      'shot "crowd1": elements = ["ana","ben"]: scene crowd sends ana, ben, cy, dee together: 4 elements; kling-3.0 takes at most 3',
      'shot "quiet": audio = "native": kling-2.5-turbo makes silent clips',
    ]) {
      expect(r.stderr).toContain(`test/fixtures/storyboards/bad-scenes.json, ${line}`);
    }
    expect(r.stderr).toMatch(/7 problems in the storyboard; nothing was queued/);
  },
);
