/**
 * The Edit page's cutting room (issue 17 item 3): the program monitor with the planner's
 * verdict beside it, the toolbar (undo/redo, zoom, the cut's length), the timeline, and the
 * tray of the selected shot's other takes. Every change is one edit.save patch through the
 * page's undo history (./history.ts); a refusal of the core is shown in its words.
 */
import { useMemo, useRef, useState } from 'react';

import type { EditPlan } from '../../../../shared/media';
import { ClipLabel } from '../../components/ClipLabel';
import { PathLabel } from '../../components/PathLabel';
import { tl } from '../../i18n/timeline';
import { baseName } from '../../lib/paths';
import { useJobs } from '../../state/jobs';
import type { Cut } from './cut';
import type { EditHistory, Patch } from './history';
import { ProgramMonitor, type MonitorHandle } from './ProgramMonitor';
import { TakeTray } from './TakeTray';
import { Timeline } from './Timeline';
import { Verdict } from './TimelineTable';
import { clampZoom, fitZoom, layout, moveClip, orderWith, programLength, timecode } from './timeline-model';
import { useEditKeys } from './useEditKeys';
import '../../timeline.css';

interface Props {
  storyboardId: string;
  cut: Cut;
  trims: Record<string, { inS?: number; outS?: number; fade?: number }>;
  plan: EditPlan | null;
  history: EditHistory;
  dir: string | null;
}

export function CutEditor({ storyboardId, cut, trims, plan, history, dir }: Props): React.JSX.Element {
  const clips = useMemo(() => layout(cut.clips, plan), [cut.clips, plan]);
  const [zoom, setZoom] = useState<number | null>(null);
  const [width, setWidth] = useState(1000);
  const [selected, setSelected] = useState(0);
  const [playhead, setPlayhead] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  const monitor = useRef<MonitorHandle>(null);
  const pxPerS = zoom ?? fitZoom(clips, width);
  const total = programLength(clips);
  const fps = clips[0]?.fps ?? 24;

  const jobs = useJobs();
  const done = useMemo(
    () => jobs.filter((j) => j.storyboardId === storyboardId && j.state === 'done' && j.file),
    [jobs, storyboardId],
  );
  const takeOf = (id: string, file: string): number | null =>
    done.find((j) => j.shotId === id && j.file === file)?.take ?? null;
  const labels = useMemo(
    () =>
      new Map(
        clips.map((c) => {
          const take = done.find((j) => j.shotId === c.id && j.file === c.file)?.take ?? null;
          return [c.id, tl.clip(c.id, take, baseName(c.file))];
        }),
      ),
    [clips, done],
  );
  const sel = clips[Math.min(selected, clips.length - 1)];
  const selTake = sel ? takeOf(sel.id, sel.file) : null;

  const apply = (patch: Patch): void => {
    history.apply(patch).then(
      () => setRefusal(null),
      (e: Error) => setRefusal(e.message),
    );
  };
  const move = (from: number, to: number): void => {
    const ids = clips.map((c) => c.id);
    if (to < 0 || to >= ids.length || from === to) return;
    apply({ order: orderWith(cut.order, new Set(ids), moveClip(ids, from, to)) });
    setSelected(to);
  };
  const setTrim = (index: number, change: { inS?: number; outS?: number; fade?: number }): void => {
    const c = clips[index];
    if (!c) return;
    const next = { ...trims[c.id], ...change };
    const clean = {
      inS: next.inS ? next.inS : undefined,
      outS: next.outS !== undefined && next.outS < c.lenS - 0.0005 ? next.outS : undefined,
      fade: next.fade ? next.fade : undefined,
    };
    apply({ trims: { [c.id]: Object.values(clean).some((v) => v !== undefined) ? clean : null } });
  };
  const seek = (s: number): void => setPlayhead(Math.max(0, Math.min(total, s)));
  const undoRedo = (f: () => Promise<void>): void =>
    void f().then(
      () => setRefusal(null),
      (e: Error) => setRefusal(e.message),
    );

  useEditKeys({
    undo: () => undoRedo(history.undo),
    redo: () => undoRedo(history.redo),
    toggle: () => monitor.current?.toggle(),
    forward: () => monitor.current?.forward(),
    backward: () => monitor.current?.backward(),
    stop: () => monitor.current?.stop(),
    step: (by, unit) => seek(playhead + (unit === 'frame' ? by / fps : by)),
    moveSelected: (by) => move(selected, selected + by),
    zoom: (f) => setZoom(clampZoom(pxPerS * f)),
    fit: () => setZoom(null),
  });

  return (
    <div className="cut-editor">
      <div className="cut-top">
        <ProgramMonitor ref={monitor} clips={clips} dir={dir} timeS={playhead} onTime={setPlayhead} />
        <div className="cut-side">{plan && <Verdict plan={plan} />}</div>
      </div>
      <div className="tl-toolbar" role="toolbar" aria-label={tl.timeline}>
        <button type="button" disabled={!history.canUndo} onClick={() => undoRedo(history.undo)}>
          {tl.undo}
        </button>
        <button type="button" disabled={!history.canRedo} onClick={() => undoRedo(history.redo)}>
          {tl.redo}
        </button>
        <button type="button" onClick={() => setZoom(clampZoom(pxPerS * 0.8))}>
          {tl.zoomOut}
        </button>
        <button type="button" onClick={() => setZoom(clampZoom(pxPerS * 1.25))}>
          {tl.zoomIn}
        </button>
        <button type="button" onClick={() => setZoom(null)}>
          {tl.fit}
        </button>
        <span>
          {tl.duration}:{' '}
          <output data-testid="tl-duration" data-seconds={total.toFixed(3)}>
            {timecode(total, fps)} ({total.toFixed(2)} s)
          </output>
        </span>
      </div>
      <p className="hint">{tl.keysHint}</p>
      <Timeline
        clips={clips}
        labels={labels}
        dir={dir}
        pxPerS={pxPerS}
        selected={selected}
        onSelect={setSelected}
        playheadS={playhead}
        onSeek={seek}
        onMove={move}
        onTrim={(i, tr) => setTrim(i, tr)}
        onFade={(i, fade) => setTrim(i, { fade })}
        onWidth={setWidth}
      />
      {refusal && (
        <p role="alert" className="error" data-testid="edit-refusal">
          {refusal}
        </p>
      )}
      {sel && (
        <p className="tl-selected" data-testid="tl-selected">
          {tl.selected}:{' '}
          {selTake !== null ? (
            <ClipLabel shotId={sel.id} take={selTake} file={sel.file} />
          ) : (
            <PathLabel path={sel.file} />
          )}
        </p>
      )}
      {sel && (
        <TakeTray
          shotId={sel.id}
          current={sel.file}
          takes={done.filter((j) => j.shotId === sel.id)}
          dir={dir}
          onUse={(file) => apply({ picks: { [sel.id]: file } })}
          onError={setRefusal}
        />
      )}
    </div>
  );
}
