/**
 * Before a re-roll of a shot of a scene is paid: it re-rolls the whole scene (one new task, one
 * charge, a new take of every shot), and the cost is the scene's (issue 13 item 1).
 */
import { el } from '../i18n/elements';
import type { SceneOfJob } from '../state/jobs';
import { ConfirmBox } from './ConfirmBox';

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
    <ConfirmBox
      title={el.takes.confirmTitle(scene.id)}
      testId="confirm-scene-reroll"
      yes={el.takes.yes(units)}
      no={el.takes.no}
      busy={busy}
      onYes={onYes}
      onNo={onNo}
    >
      <p>{el.takes.confirmBody(scene.shotIds.length, units)}</p>
    </ConfirmBox>
  );
}
