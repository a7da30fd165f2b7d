/**
 * Every re-roll from the Takes page asks first with what it costs (issue 17 item 2): a shot
 * alone costs its newest take's estimate (the same shot settings make the new take); a shot of a
 * multi-shot scene re-rolls the whole scene at the scene's units (SceneRerollConfirm).
 */
import { ConfirmBox } from '../../components/ConfirmBox';
import { SceneRerollConfirm, sceneUnits } from '../../components/SceneRerollConfirm';
import { tk } from '../../i18n/takes';
import type { SceneOfJob } from '../../state/jobs';

export interface RerollAsk {
  shotId: string;
  scene: SceneOfJob | null;
  /** Units of one new take of the shot (its newest take's estimate). */
  units: number;
}

export function RerollConfirm({
  ask,
  busy,
  onYes,
  onNo,
}: {
  ask: RerollAsk;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}): React.JSX.Element {
  if (ask.scene) return <SceneRerollConfirm scene={ask.scene} busy={busy} onYes={onYes} onNo={onNo} />;
  const units = sceneUnits(ask.units);
  return (
    <ConfirmBox
      title={tk.reroll.title(ask.shotId)}
      testId="confirm-reroll"
      yes={tk.reroll.yes(units)}
      no={tk.reroll.no}
      busy={busy}
      onYes={onYes}
      onNo={onNo}
    >
      <p>{tk.reroll.body(units)}</p>
    </ConfirmBox>
  );
}
