/**
 * The dock beside the contact sheet (issue 17 item 2): the viewer with the opened take (or the
 * comparison of 2-4 takes of one shot), and under it the focused take's details. It sits next to
 * the grid, so the take played is always beside the cell it came from.
 */
import type { TakeInfo } from '../../../../shared/contract/review';
import type { JobView } from '../../../../shared/queue';
import { CompareView, Player, type Marks } from '../../components/viewer';
import { tk } from '../../i18n/takes';
import { TakeDetails } from './TakeDetails';

export interface Opened {
  /** The take's job, or null for a whole scene clip. */
  jobId: string | null;
  src: string;
  title: string;
  /** Counts the opens, so opening the take on screen again gives a fresh player with the focus. */
  seq: number;
  fps?: number | undefined;
  durationS?: number | undefined;
  /** The core's marks of the take (the player shows these); undefined: the player keeps its own. */
  marks?: Marks | null | undefined;
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
  onMarks: (jobId: string, m: Marks | null) => void;
  onClose: () => void;
  onCloseCompare: () => void;
}

export function Dock(props: DockProps): React.JSX.Element {
  const { opened, compared, focused } = props;
  return (
    <aside className="dock" aria-label={tk.dock} data-testid="takes-dock">
      {compared.length >= 2 ? (
        <div className="compare-slot" data-testid="compare">
          <CompareView key={compared.map((c) => c.src).join('|')} takes={compared} onClose={props.onCloseCompare} />
        </div>
      ) : opened ? (
        <div className="player" data-testid="dock-player">
          <Player
            key={`${opened.src}#${opened.seq}`}
            src={opened.src}
            title={opened.title}
            fps={opened.fps}
            durationS={opened.durationS}
            {...(opened.jobId && opened.marks !== undefined
              ? { marks: opened.marks, onMarks: (m: Marks | null) => opened.jobId && props.onMarks(opened.jobId, m) }
              : {})}
            autoFocus
            onClose={props.onClose}
          />
        </div>
      ) : (
        <p className="hint">{tk.openHint}</p>
      )}
      {props.marked === 1 && <p className="hint">{tk.compareHint(1)}</p>}
      {focused && <TakeDetails job={focused.job} info={focused.info} />}
    </aside>
  );
}
