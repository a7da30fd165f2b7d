/** Small pieces of erase/retention: JSON record dropping and the empty-folder sweep. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { dropJsonRecords } from '../../../electron/core/privacy/erase';
import { removeEmptyParents } from '../../../electron/core/privacy/files';

describe('dropJsonRecords', () => {
  const ids = new Set(['859000000007', 'ext-alice-1']);
  it('drops array records that carry one of the ids, at any depth, and keeps the rest', () => {
    const doc = {
      version: 1,
      tasks: [
        { task_id: '859000000007', req: { prompt: 'x' } },
        { task_id: '859000000001' },
        { nested: { list: [{ externalTaskId: 'ext-alice-1' }, { externalTaskId: 'ext-bob-1' }] } },
      ],
    };
    const out = JSON.parse(dropJsonRecords(JSON.stringify(doc), ids)) as typeof doc;
    expect(out).toEqual({
      version: 1,
      tasks: [{ task_id: '859000000001' }, { nested: { list: [{ externalTaskId: 'ext-bob-1' }] } }],
    });
  });
  it('leaves text alone when nothing matches or it is not JSON, and keeps indentation', () => {
    const text = '{\n  "tasks": [{"task_id": "1"}]\n}\n';
    expect(dropJsonRecords(text, ids)).toBe(text);
    expect(dropJsonRecords('not json 859000000007', ids)).toBe('not json 859000000007');
    const pretty = dropJsonRecords('{\n  "tasks": [{"task_id": "859000000007"}, {"task_id": "2"}]\n}\n', ids);
    expect(pretty).toBe('{\n  "tasks": [\n    {\n      "task_id": "2"\n    }\n  ]\n}\n');
  });
  it('does not drop a record that only mentions an id inside a longer text (that is for the scrubber)', () => {
    const text = JSON.stringify({ log: [{ line: 'task 859000000007 done' }] });
    expect(dropJsonRecords(text, ids)).toBe(text);
  });
});

describe('removeEmptyParents', () => {
  it('removes folders the deletes emptied, never the data dir, never a folder with files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-sweep-'));
    try {
      mkdirSync(join(dir, 'thumbnails', 'a_take1_9-abc'), { recursive: true });
      mkdirSync(join(dir, 'clips', 'sb'), { recursive: true });
      writeFileSync(join(dir, 'clips', 'sb', 'b_take1_8.mp4'), 'x');
      removeEmptyParents(dir, [
        join(dir, 'thumbnails', 'a_take1_9-abc', 'a_take1_9.poster.jpg'),
        join(dir, 'clips', 'sb', 'a_take1_9.mp4'),
      ]);
      expect(existsSync(join(dir, 'thumbnails'))).toBe(false);
      expect(existsSync(join(dir, 'clips', 'sb', 'b_take1_8.mp4'))).toBe(true);
      removeEmptyParents(dir, [join(dir, 'x.mp4'), '/etc/passwd']);
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
