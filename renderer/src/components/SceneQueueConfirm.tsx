/**
 * Before Retry or Cancel on the Queue page acts on a shot of a scene: the core acts on the whole
 * scene take (electron/core/queue/store.ts, jobsFor), so the question names the scene, its shots
 * and, for a retry, the scene's cost (issue 13 item 1; the Takes page asks the same way,
 * SceneRerollConfirm.tsx).
 */
import { qs } from '../i18n/queue-scene';
import type { SceneOfJob } from '../state/jobs';
import { ConfirmBox } from './ConfirmBox';
import { sceneUnits } from './SceneRerollConfirm';

export type SceneAction = 'retry' | 'cancel';

export function SceneQueueConfirm({
  action,
  scene,
  busy,
  onYes,
  onNo,
}: {
  action: SceneAction;
  scene: SceneOfJob;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}): React.JSX.Element {
  const n = scene.shotIds.length;
  const units = sceneUnits(scene.units);
  const retry = action === 'retry';
  return (
    <ConfirmBox
      title={retry ? qs.retryTitle(scene.id) : qs.cancelTitle(scene.id)}
      testId={`confirm-scene-${action}`}
      yes={retry ? qs.retryYes(units) : qs.cancelYes(n)}
      no={retry ? qs.retryNo : qs.cancelNo}
      danger={!retry}
      busy={busy}
      onYes={onYes}
      onNo={onNo}
    >
      <p>{retry ? qs.retryBody(n, units) : qs.cancelBody(n)}</p>
    </ConfirmBox>
  );
}
