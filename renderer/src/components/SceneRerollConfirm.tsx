/**
 * Before a re-roll of a shot of a scene is paid: it re-rolls the whole scene (one new task, one
 * charge, a new take of every shot), and the cost is the scene's (issue 13 item 1).
 */
import { el } from '../i18n/elements';
import type { SceneOfJob } from '../state/jobs';

export const sceneUnits = (units: number): string => String(Math.round(units * 100) / 100);

export function SceneRerollConfirm({
  scene,
  busy,
  onYes,
  onNo,
}: {
  scene: SceneOfJob;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}): React.JSX.Element {
  const units = sceneUnits(scene.units);
  return (
    <div
      role="alertdialog"
      aria-label={el.takes.confirmTitle(scene.id)}
      className="confirm"
      data-testid="confirm-scene-reroll"
    >
      <p>
        <strong>{el.takes.confirmTitle(scene.id)}</strong>
      </p>
      <p>{el.takes.confirmBody(scene.shotIds.length, units)}</p>
      <button type="button" className="primary" disabled={busy} onClick={onYes}>
        {el.takes.yes(units)}
      </button>{' '}
      <button type="button" disabled={busy} onClick={onNo}>
        {el.takes.no}
      </button>
    </div>
  );
}
