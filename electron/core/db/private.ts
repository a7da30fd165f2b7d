/**
 * The data dir holds prompts, clips and the audit log: only its owner may enter it (0700), and
 * the database with its WAL/SHM is readable by the owner only (0600), whatever the umask
 * (issue 16.7). Called whenever the database is opened (./open.ts), so a data dir created by
 * an older version, or copied in, is tightened too. No-op on Windows (ACLs, not modes).
 */
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export function makeDataPrivate(dbFile: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  const tighten = (p: string, mode: number): void => {
    try {
      if (existsSync(p)) chmodSync(p, mode);
    } catch {
      // not ours to change (a read-only mount): the open goes on, compliance reports it
    }
  };
  tighten(dirname(dbFile), DIR_MODE);
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) tighten(f, FILE_MODE);
}
