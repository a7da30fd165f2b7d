/**
 * The Edit page's model (../EditPage.tsx): the cut in order with each shot's picked take and
 * trims, the typed trims saved in the core (debounced; a refusal keeps the typed value and says
 * why), and the compatibility verdict that follows the cut (media.planEdit, debounced).
 */
import { useEffect, useMemo, useState } from 'react';

import type { EditClip, EditPlan, PresetName } from '../../../../shared/media';
import { call } from '../../lib/api';
import type { useEdit } from '../../state/picks';

type EditState = ReturnType<typeof useEdit>;
type StoredEdit = NonNullable<EditState['edit']>;
export type TrimField = 'inS' | 'outS' | 'fade';
export type Draft = Partial<Record<TrimField, string>>;

const num = (v: string | undefined): number | undefined =>
  v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);

export interface Cut {
  shots: StoredEdit['shots'];
  picks: StoredEdit['picks'];
  preset: PresetName | '';
  /** Shot ids in cut order: the stored order, then any shot it does not name, in storyboard order. */
  order: string[];
  /** The picked clips in cut order, with their trims and crossfades. */
  clips: EditClip[];
}

export function useCut(edit: EditState['edit']): Cut {
  const shots = useMemo(() => edit?.shots ?? [], [edit]);
  const picks = useMemo(() => edit?.picks ?? {}, [edit]);
  const preset: PresetName | '' = edit?.preset ?? '';
  const order = useMemo(() => {
    const ids = new Set(shots.map((s) => s.id));
    const stored = (edit?.order ?? []).filter((id) => ids.has(id));
    return [...stored, ...shots.map((s) => s.id).filter((id) => !stored.includes(id))];
  }, [edit, shots]);
  const shotById = useMemo(() => new Map(shots.map((s) => [s.id, s])), [shots]);

  const clips: EditClip[] = useMemo(
    () =>
      order
        .filter((id) => picks[id])
        .map((id) => {
          const tr = edit?.trims[id] ?? {};
          const s = shotById.get(id);
          return {
            file: picks[id] ?? '',
            name: id,
            prompt: s?.prompt,
            model: s?.model,
            inS: tr.inS,
            outS: tr.outS,
            transition: tr.fade ? { kind: 'crossfade' as const, seconds: tr.fade } : undefined,
          };
        }),
    [order, picks, edit, shotById],
  );
  return { shots, picks, preset, order, clips };
}

/** Trims as typed, saved in the core 400 ms after the last keystroke. */
export function useTrimDrafts(
  edit: EditState['edit'],
  save: EditState['save'],
): {
  drafts: Record<string, Draft>;
  trimError: string | null;
  setDraft: (id: string, f: TrimField, v: string) => void;
} {
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [trimError, setTrimError] = useState<string | null>(null);
  useEffect(() => {
    const ids = Object.keys(drafts);
    if (!ids.length || !edit) return;
    const id = setTimeout(() => {
      const trims = Object.fromEntries(
        ids.map((shot) => {
          const d = drafts[shot] ?? {};
          const cur = edit.trims[shot] ?? {};
          const pick = (f: TrimField): number | undefined => (d[f] !== undefined ? num(d[f]) : cur[f]);
          const tr = { inS: pick('inS'), outS: pick('outS'), fade: pick('fade') };
          return [shot, Object.values(tr).some((v) => v !== undefined) ? tr : null];
        }),
      );
      save({ trims }).then(
        () => {
          setDrafts({});
          setTrimError(null);
        },
        (e: Error) => setTrimError(e.message),
      );
    }, 400);
    return () => clearTimeout(id);
  }, [drafts, edit, save]);
  const setDraft = (id: string, f: TrimField, v: string): void =>
    setDrafts((x) => ({ ...x, [id]: { ...x[id], [f]: v } }));
  return { drafts, trimError, setDraft };
}

/** The verdict (stream copy or re-encode, and why) for the cut, 300 ms after it last changed. */
export function usePlan(
  clips: EditClip[],
  preset: PresetName | '',
  setError: (e: string | null) => void,
): EditPlan | null {
  const [plan, setPlan] = useState<EditPlan | null>(null);
  useEffect(() => {
    if (clips.length === 0) return;
    const id = setTimeout(() => {
      call('media.planEdit', { edit: { clips, preset: preset || undefined } }).then(
        (pl) => {
          setPlan(pl);
          setError(null);
        },
        (e: Error) => {
          setPlan(null);
          setError(e.message);
        },
      );
    }, 300);
    return () => clearTimeout(id);
  }, [clips, preset, setError]);
  return plan;
}
