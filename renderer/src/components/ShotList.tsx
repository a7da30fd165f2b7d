/**
 * The Storyboard page's list of shots: cards in order, the shots of a scene (consecutive shots
 * with the same `scene`) inside one framed group headed by its duration bar (SceneBar.tsx).
 * Drag a card onto another to move it there.
 */
import { forwardRef, useState, type Dispatch } from 'react';

import { sc } from '../i18n/scenes';
import { t } from '../i18n/strings';
import type { PickedTake } from '../lib/posters';
import type { Action, Shot } from '../state/storyboard';
import { groupOf, type DraftCheck, type SceneGroup } from '../state/storyboard-check';
import { SceneBar } from './SceneBar';
import { ShotCard } from './ShotCard';

interface Props {
  shots: readonly Shot[];
  selected: number;
  groups: readonly SceneGroup[];
  check: DraftCheck;
  /** shot id -> the picked take's clip (edit.get), for the posters on the cards. */
  picks: ReadonlyMap<string, PickedTake>;
  dispatch: Dispatch<Action>;
}

export const ShotList = forwardRef<HTMLOListElement, Props>(function ShotList(
  { shots, selected, groups, check, picks, dispatch },
  ref,
) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const card = (j: number): React.JSX.Element => (
    <ShotCard
      key={`${shots[j]?.id ?? ''}-${j}`}
      shot={shots[j] as Shot}
      index={j}
      count={shots.length}
      selected={j === selected}
      dragging={dragFrom === j}
      bad={(check.perShot[j]?.length ?? 0) > 0}
      pick={picks.get(shots[j]?.id ?? '')}
      dispatch={dispatch}
      onDragStart={() => setDragFrom(j)}
      onDrop={() => {
        if (dragFrom !== null) dispatch({ type: 'move', from: dragFrom, to: j });
        setDragFrom(null);
      }}
      onDragEnd={() => setDragFrom(null)}
    />
  );
  return (
    <ol ref={ref} className="shot-list" aria-label={t.storyboard.shots} data-testid="shot-list">
      {shots.length === 0 && <li className="empty">{t.storyboard.empty}</li>}
      {shots.map((_, i) => {
        const group = groupOf(groups, i);
        if (!group) return card(i);
        if (group.indices[0] !== i) return null; // drawn inside its scene's frame
        return (
          <li
            key={`scene-${group.scene}-${i}`}
            className="scene-group"
            aria-label={sc.group(group.scene)}
            data-testid="scene-group"
          >
            <SceneBar scene={group.scene} shots={group.indices.map((j) => shots[j] as Shot)} />
            <ol className="shot-list">{group.indices.map(card)}</ol>
          </li>
        );
      })}
    </ol>
  );
});
