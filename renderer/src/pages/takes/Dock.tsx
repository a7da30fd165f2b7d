/**
 * The dock beside the contact sheet (issue 17 item 2): the viewer with the opened take (or the
 * comparison of 2-4 takes of one shot), and under it the focused take's details. It sits next to
 * the grid, so the take played is always beside the cell it came from.
 */
import type { TakeInfo } from '../../../../shared/contract/review';
import type { JobView } from '../../../../shared/queue';
import { t } from '../../i18n/strings';
import { tk } from '../../i18n/takes';
import { TakeDetails } from './TakeDetails';

export interface Opened {
  /** The take's job, or null for a whole scene clip. */
  jobId: string | null;
  src: string;
  title: string;
  fps?: number | undefined;
  durationS?: number | undefined;
  marks: { inS: number; outS: number } | null;
}

export interface Compared {
  src: string;
  title: string;
  fps?: number | undefined;
}

export interface DockProps {
  opened: Opened | null;
  compared: Compared[];
  /** How many takes are marked for comparison (1: waiting for a second). */
  marked: number;
  focused: { job: JobView; info: TakeInfo | null } | null;
  onMarks: (jobId: string, m: { inS: number; outS: number } | null) => void;
  onClose: () => void;
  onCloseCompare: () => void;
}

export function Dock(props: DockProps): React.JSX.Element {
  const { opened, compared, focused } = props;
  return (
    <aside className="dock" aria-label={tk.dock} data-testid="takes-dock">
      {compared.length >= 2 ? (
        <div className="compare-slot" data-testid="compare">
          <video src={compared[0]?.src} muted />
          <button type="button" onClick={props.onCloseCompare}>
            {tk.closeCompare}
          </button>
        </div>
      ) : opened ? (
        <div className="player" data-testid="dock-player">
          <video key={opened.src} src={opened.src} controls autoPlay aria-label={t.takes.player} />
          <button type="button" onClick={props.onClose}>
            {tk.closePlayer}
          </button>
        </div>
      ) : (
        <p className="hint">{tk.openHint}</p>
      )}
      {props.marked === 1 && <p className="hint">{tk.compareHint(1)}</p>}
      {focused && <TakeDetails job={focused.job} info={focused.info} />}
    </aside>
  );
}
