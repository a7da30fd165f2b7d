/**
 * A row's label on the contact sheet: the shot's number and id, the scene it shares a Kling task
 * with (and its whole clip to play), Re-roll (which asks first, with its cost), and how many of
 * its takes were removed from disk.
 */
import type { ReactNode } from 'react';

import { sceneUnits } from '../../components/SceneRerollConfirm';
import { el } from '../../i18n/elements';
import { t } from '../../i18n/strings';
import { vw } from '../../i18n/viewer';
import type { SceneOfJob } from '../../state/jobs';
import type { Row } from './sheet';

export function ShotLabel({
  row,
  scene,
  rerolling,
  onPlayScene,
  onReroll,
  onCompare,
  confirm,
}: {
  row: Row;
  scene: SceneOfJob | null;
  rerolling: boolean;
  onPlayScene: (file: string) => void;
  onReroll: () => void;
  /** Compare the shot's takes (2-4 of them; C on the sheet picks which). */
  onCompare: (() => void) | null;
  confirm: ReactNode;
}): React.JSX.Element {
  return (
    <>
      <h2 title={row.shotId}>
        {row.number}. {row.shotId}
      </h2>
      {scene && (
        <div className="scene-tag" data-testid="shot-scene">
          {el.takes.scene(scene.id)} · {el.takes.shared(scene.shotIds.length)} · {sceneUnits(scene.units)} u
        </div>
      )}
      <div className="label-tools">
        {scene?.file && (
          <button type="button" tabIndex={-1} onClick={() => scene.file && onPlayScene(scene.file)}>
            {el.takes.playScene(scene.id)}
          </button>
        )}
        {onCompare && (
          <button type="button" tabIndex={-1} onClick={onCompare}>
            {vw.compare.open(row.shotId)}
          </button>
        )}
        <button type="button" tabIndex={-1} disabled={rerolling} onClick={onReroll}>
          {scene ? el.takes.rerollScene : t.takes.reroll}
        </button>
      </div>
      {row.removed > 0 && (
        <p className="hint small" title={t.takes.removed(row.removed)}>
          {t.takes.removed(row.removed)}
        </p>
      )}
      {confirm && <div className="label-confirm">{confirm}</div>}
    </>
  );
}
