/**
 * The Edit page's timeline (../EditPage.tsx): one row per shot in cut order with its picked
 * take, in/out points and crossfade (typed into drafts, saved by ./cut.ts), the clip's length
 * from the verdict, and buttons that move the shot up or down the cut.
 */
import type { EditPlan } from '../../../../shared/media';
import { HeaderCells } from '../../components/HeaderCells';
import { p } from '../../i18n/project';
import { t } from '../../i18n/strings';
import type { Cut, Draft, TrimField } from './cut';

const baseName = (f: string): string => f.split(/[\\/]/).pop() ?? f;

interface Props {
  cut: Cut;
  trims: Record<string, { inS?: number; outS?: number; fade?: number }>;
  drafts: Record<string, Draft>;
  trimError: string | null;
  plan: EditPlan | null;
  setDraft: (id: string, f: TrimField, v: string) => void;
  move: (i: number, by: number) => void;
}

export function TimelineTable({ cut, trims, drafts, trimError, plan, setDraft, move }: Props): React.JSX.Element {
  const { order, clips, picks } = cut;
  return (
    <table className="dense timeline" data-testid="timeline">
      <thead>
        <tr>
          <HeaderCells cols={t.edit.cols} />
          <th scope="col">
            <span className="visually-hidden">Order</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {order.map((id, i) => {
          const idx = clips.findIndex((c) => c.name === id);
          const tr = trims[id] ?? {};
          const d = drafts[id] ?? {};
          const field = (f: TrimField, label: string, max?: number) => (
            <input
              aria-label={label}
              type="number"
              min={0}
              max={max}
              step={0.1}
              value={d[f] ?? tr[f] ?? ''}
              aria-invalid={d[f] !== undefined && trimError !== null}
              disabled={!picks[id]}
              onChange={(e) => setDraft(id, f, e.target.value)}
            />
          );
          return (
            <tr key={id}>
              <td>{i + 1}</td>
              <td>{id}</td>
              <td>
                <output aria-label={t.edit.clipFile(id)} title={picks[id] ?? ''}>
                  {picks[id] ? baseName(picks[id]) : t.edit.pickHint}
                </output>
              </td>
              <td>{field('inS', t.edit.inPoint(id))}</td>
              <td>{field('outS', t.edit.outPoint(id))}</td>
              <td>{field('fade', t.edit.fade(id), 10)}</td>
              <td>
                {idx >= 0 && plan?.clipDurationsS[idx] !== undefined ? `${plan.clipDurationsS[idx].toFixed(2)} s` : '—'}
              </td>
              <td>
                <button type="button" aria-label={p.edit.up(id)} disabled={i === 0} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={p.edit.down(id)}
                  disabled={i === order.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Stream copy or re-encode, the length and target format of the render, and why. */
export function Verdict({ plan }: { plan: EditPlan }): React.JSX.Element {
  return (
    <div role="status" data-testid="verdict" className="verdict">
      <strong className={plan.mode === 'copy' ? 'ok' : 'warn'}>
        {plan.mode === 'copy' ? t.edit.copy : t.edit.reencode}
      </strong>{' '}
      · {plan.durationS.toFixed(2)} s · {plan.target.width}×{plan.target.height} {plan.target.fpsFraction} fps
      {plan.reasons.length > 0 && (
        <ul>
          {plan.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
