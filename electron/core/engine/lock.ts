/**
 * One CLI instance per data dir: `<dataDir>/engine.lock` created with O_EXCL holding the pid.
 * A lock whose pid is no longer alive is stale (the holder was killed) and is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';

import { ShotlineError } from '../../../shared/result';

/** Is a process with this pid running (EPERM: yes, not ours)? */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface EngineLock {
  file: string;
  release(): void;
}

export function acquireEngineLock(dataDir: string): EngineLock {
  const file = join(dataDir, 'engine.lock');
  for (let i = 0; i < 3; i++) {
    try {
      const fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue;
      }
      if (alive(pid) && pid !== process.pid) {
        throw new ShotlineError({
          code: 'busy',
          where: file,
          message: `another Shotline process (pid ${pid}) is working this data dir; wait for it to finish or use another --data-dir`,
        });
      }
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        /* raced with another taker */
      }
    }
  }
  throw new ShotlineError({ code: 'busy', where: file, message: 'could not take the engine lock; try again' });
}
