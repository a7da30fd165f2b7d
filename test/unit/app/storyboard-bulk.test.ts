/**
 * Bulk edits and multi-select of the Storyboard page's table view (issue 17 item 6;
 * renderer/src/state/storyboard-bulk.ts, storyboard-selection.ts): a bulk edit passes the same
 * validator as a single edit, is refused whole with the shots and the reason, reaches a scene's
 * other shots for scene-wide fields, and is one undo step.
 */
import { describe, expect, it } from 'vitest';

import { initHistory, newShot, reducer, type Shot, type Storyboard } from '../../../renderer/src/state/storyboard';
import { bulkEdit } from '../../../renderer/src/state/storyboard-bulk';
import { clickSelect, ordered, selectAll, single } from '../../../renderer/src/state/storyboard-selection';

function shot(id: string, extra: Partial<Shot> = {}): Shot {
  return {
    ...newShot([]),
    id,
    prompt: `${id} prompt`,
    model: 'kling-2.5-turbo',
    resolution: '720p',
    duration: 5,
    ...extra,
  };
}
const board = (shots: Shot[]): Storyboard => ({ name: 'b', shots });

describe('bulk edits of the table view', () => {
  it('sets a duration on the selected shots only, as one undo step', () => {
    const sb = board(['a', 'b', 'c', 'd'].map((id) => shot(id)));
    const r = bulkEdit(sb, [1, 2], { duration: 10 });
    expect(r.ok).toBe(true);
    let h = initHistory(sb);
    h = reducer(h, { type: 'bulk', indices: [1, 2], patch: { duration: 10 } });
    expect(h.present.shots.map((s) => s.duration)).toEqual([5, 10, 10, 5]);
    expect(r.ok && r.storyboard.shots.map((s) => s.duration)).toEqual([5, 10, 10, 5]);
    expect(h.past).toHaveLength(1);
    h = reducer(h, { type: 'undo' });
    expect(h.present.shots.map((s) => s.duration)).toEqual([5, 5, 5, 5]);
  });

  it('refuses a duration a selected shot’s model does not offer, naming those shots, and changes nothing', () => {
    const sb = board([shot('a'), shot('b', { model: 'kling-3.0' }), shot('c'), shot('d')]);
    const r = bulkEdit(sb, [0, 1, 2], { duration: 15 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusals).toHaveLength(1);
    expect(r.refusals[0]?.shots).toEqual(['a', 'c']);
    expect(r.refusals[0]?.reason).toMatch(/^duration = 15: .*kling-2\.5-turbo/);
    expect(sb.shots.map((s) => s.duration)).toEqual([5, 5, 5, 5]);
  });

  it('a problem a shot already had is not a reason to refuse', () => {
    const sb = board([shot('a', { duration: 15 }), shot('b')]);
    const r = bulkEdit(sb, [0, 1], { takes: 3 });
    expect(r.ok).toBe(true);
    expect(r.ok && r.storyboard.shots.map((s) => s.takes)).toEqual([3, 3]);
  });

  it('a scene-wide field reaches the other shots of a selected shot’s scene; a duration does not', () => {
    const sb = board([
      shot('a', { model: 'kling-3.0', scene: 's' }),
      shot('b', { model: 'kling-3.0', scene: 's' }),
      shot('c'),
    ]);
    const r = bulkEdit(sb, [0, 2], { takes: 2, duration: 6 });
    // c is on kling-2.5-turbo, which has no 6 s: refused, and it names c only.
    expect(!r.ok && r.refusals.map((x) => x.shots)).toEqual([['c']]);
    const ok = bulkEdit(sb, [0], { takes: 2, duration: 6 });
    expect(ok.ok && ok.storyboard.shots.map((s) => [s.takes, s.duration])).toEqual([
      [2, 6],
      [2, 5],
      [1, 5],
    ]);
  });

  it('asks for a selection and a value first', () => {
    const sb = board([shot('a')]);
    expect(bulkEdit(sb, [], { duration: 10 }).ok).toBe(false);
    expect(bulkEdit(sb, [0], {}).ok).toBe(false);
  });
});

describe('multi-select of the table view', () => {
  it('click, Shift+click range, Ctrl/Cmd+click toggle, Ctrl/Cmd+A', () => {
    let s = single(1);
    s = clickSelect(s, 4, { shift: true, toggle: false });
    expect(ordered(s)).toEqual([1, 2, 3, 4]);
    s = clickSelect(s, 0, { shift: true, toggle: false });
    expect(ordered(s)).toEqual([0, 1]);
    s = clickSelect(s, 6, { shift: false, toggle: true });
    expect(ordered(s)).toEqual([0, 1, 6]);
    s = clickSelect(s, 1, { shift: false, toggle: true });
    expect(ordered(s)).toEqual([0, 6]);
    // Ctrl+Shift adds the range from the anchor (the last Ctrl+clicked, 1) to what is selected.
    s = clickSelect(s, 3, { shift: true, toggle: true });
    expect(ordered(s)).toEqual([0, 1, 2, 3, 6]);
    s = clickSelect(s, 3, { shift: false, toggle: false });
    expect(ordered(s)).toEqual([3]);
    expect(ordered(selectAll(5, 3))).toEqual([0, 1, 2, 3, 4]);
  });
});
