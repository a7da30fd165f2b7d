/**
 * Writing the edit and its NLE timelines (../EditPage.tsx): the system save dialog
 * (dialog.saveOutput, in the main process), "replace it?" when the file exists and the system
 * did not ask, the export with progress events and cancel, and what was written.
 */
import { useEffect, useRef, useState } from 'react';

import type { OutputKind } from '../../../../shared/contract';
import type { EditClip, ExportProgress, PresetName, TimelineFormat } from '../../../../shared/media';
import { call, subscribe } from '../../lib/api';

const TIMELINE_KIND: Record<TimelineFormat, OutputKind> = { fcpxml: 'fcpxml', fcp7: 'xml', edl: 'edl', otio: 'otio' };

export interface Pending {
  path: string;
  kind: 'edit' | 'timeline';
}

export interface ExportInput {
  storyboardId: string | null;
  title: string | undefined;
  clips: EditClip[];
  preset: PresetName | '';
  format: TimelineFormat;
  setError: (e: string | null) => void;
}

export interface ExportState {
  exporting: boolean;
  progress: ExportProgress | null;
  confirm: Pending | null;
  /** What was written, for the status line. */
  done: string | null;
  /** The file just written (edit or timeline), for "Show in folder". */
  donePath: string | null;
  /** The folder the system opened for "Show in folder". */
  shown: string | null;
  /** A timeline export copies its clips beside it (media.timeline collect, issue 17 item 4). */
  collect: boolean;
  setCollect: (on: boolean) => void;
  choose: (kind: 'edit' | 'timeline') => Promise<void>;
  replace: () => void;
  keep: () => void;
  cancel: () => void;
  showInFolder: () => void;
}

export function useExport({ storyboardId, title, clips, preset, format, setError }: ExportInput): ExportState {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [exporting, setExporting] = useState(false);
  const [confirm, setConfirm] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [donePath, setDonePath] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [collect, setCollect] = useState(false);

  const exportId = useRef<string | null>(null);
  useEffect(
    () =>
      subscribe('media.progress', (pr) => {
        if (pr.exportId === exportId.current) setProgress(pr);
      }),
    [],
  );

  const writeEdit = async (path: string, overwrite: boolean): Promise<void> => {
    setExporting(true);
    setProgress(null);
    try {
      exportId.current = crypto.randomUUID();
      const r = await call(
        'media.exportEdit',
        {
          edit: { clips, preset: preset || undefined, title },
          output: path,
          overwrite,
          exportId: exportId.current,
        },
        6 * 3600_000,
      );
      setDone(`(${r.mode === 'copy' ? 'stream copy' : 're-encoded'}, ${r.durationS.toFixed(2)} s)`);
      setDonePath(r.output);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(false);
      exportId.current = null;
    }
  };

  const writeTimeline = async (path: string, overwrite: boolean): Promise<void> => {
    try {
      const r = await call('media.timeline', {
        edit: { clips, title },
        format,
        output: path,
        overwrite,
        collect,
      });
      setDone(r.media ? `(${r.media.files.length} clip(s) collected beside it)` : '');
      setDonePath(r.file);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const choose = async (kind: 'edit' | 'timeline'): Promise<void> => {
    if (!storyboardId) return;
    setError(null);
    setDone(null);
    setDonePath(null);
    setShown(null);
    setConfirm(null);
    try {
      const r = await call('dialog.saveOutput', {
        storyboardId,
        kind: kind === 'edit' ? (preset === 'prores' ? 'mov' : 'mp4') : TIMELINE_KIND[format],
      });
      if (!r.chosen || !r.path) return;
      if (r.exists && !r.overwriteConfirmed) return setConfirm({ path: r.path, kind });
      await (kind === 'edit' ? writeEdit(r.path, false) : writeTimeline(r.path, false));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const replace = (): void => {
    if (!confirm) return;
    const c = confirm;
    setConfirm(null);
    void (c.kind === 'edit' ? writeEdit(c.path, true) : writeTimeline(c.path, true));
  };

  const cancel = (): void => {
    if (exportId.current)
      void call('media.cancel', { exportId: exportId.current }).catch((e: Error) => setError(e.message));
  };

  const showInFolder = (): void => {
    if (!donePath) return;
    void call('app.showInFolder', { path: donePath }).then(
      (r) => setShown(r.opened),
      (e: Error) => setError(e.message),
    );
  };

  return {
    exporting,
    progress,
    confirm,
    done,
    donePath,
    shown,
    collect,
    setCollect,
    choose,
    replace,
    keep: () => setConfirm(null),
    cancel,
    showInFolder,
  };
}
