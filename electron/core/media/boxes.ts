/**
 * The one walker over the top-level boxes of an MP4/MOV file (a few reads, no decode), and the
 * cheap truncation check built on it: a box that runs past the end of the file means the
 * download stopped early (ffprobe alone accepts such a file when the moov box is at the front).
 * ./signature.ts finds the moov box with the same walker.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface TopBox {
  type: string;
  /** Offset of the box (its size field) in the file. */
  pos: number;
  /** 8, or 16 with a 64-bit size. */
  headerLen: number;
  /** Whole box, header included; a size of 0 ("to the end of the file") is resolved. */
  len: number;
}

/**
 * The top-level boxes of the open file `fd` of `size` bytes, in order. A box whose size is
 * invalid (`len < headerLen`) or runs past the end is yielded and ends the walk: the caller
 * decides what that means.
 */
export function* topLevelBoxes(fd: number, size: number): Generator<TopBox> {
  const head = Buffer.alloc(16);
  let pos = 0;
  while (pos + 8 <= size) {
    readSync(fd, head, 0, 16, pos);
    let len = head.readUInt32BE(0);
    let headerLen = 8;
    const type = head.toString('latin1', 4, 8);
    if (len === 1) {
      len = Number(head.readBigUInt64BE(8));
      headerLen = 16;
    } else if (len === 0) len = size - pos; // box runs to end of file
    yield { type, pos, headerLen, len };
    if (len < headerLen || pos + len > size) return;
    pos += len;
  }
}

/** Null when complete, else a description of the first box that is cut short. */
export function truncatedBox(file: string): string | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    for (const b of topLevelBoxes(fd, size)) {
      if (b.len < b.headerLen) return `box "${b.type}" at byte ${b.pos} has an invalid size`;
      if (b.pos + b.len > size) return `box "${b.type}" needs ${b.pos + b.len} bytes, the file has ${size}`;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
