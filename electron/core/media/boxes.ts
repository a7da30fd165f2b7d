/**
 * A cheap truncation check for MP4/MOV: walk the top-level boxes (a few reads, no decode);
 * a box that runs past the end of the file means the download stopped early. ffprobe alone
 * accepts such a file when the moov box is at the front.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Null when complete, else a description of the first box that is cut short. */
export function truncatedBox(file: string): string | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(16);
    let pos = 0;
    while (pos + 8 <= size) {
      readSync(fd, head, 0, 16, pos);
      let len = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (len === 1) len = Number(head.readBigUInt64BE(8));
      else if (len === 0) len = size - pos; // box runs to end of file
      if (len < 8) return `box "${type}" at byte ${pos} has an invalid size`;
      if (pos + len > size) return `box "${type}" needs ${pos + len} bytes, the file has ${size}`;
      pos += len;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
