/**
 * The Edit page's export controls (../EditPage.tsx): preset, export with progress and cancel,
 * NLE timeline format and export; the "replace it?" question; what was written, with "Show in
 * folder". The state behind them is ./useExport.ts.
 */
import type { PresetName, TimelineFormat } from '../../../../shared/media';
import { PathLabel } from '../../components/PathLabel';
import { paths } from '../../i18n/paths';
import { p } from '../../i18n/project';
import { t } from '../../i18n/strings';
import type { ExportState } from './useExport';

interface ControlsProps {
  preset: PresetName | '';
  onPreset: (preset: PresetName | null) => void;
  format: TimelineFormat;
  onFormat: (format: TimelineFormat) => void;
  ex: ExportState;
}

export function ExportControls({ preset, onPreset, format, onFormat, ex }: ControlsProps): React.JSX.Element {
  const { exporting, progress } = ex;
  return (
    <div className="form inline">
      <label>
        {t.edit.preset}
        <select value={preset} onChange={(e) => onPreset((e.target.value as PresetName | '') || null)}>
          <option value="">{t.edit.presetAuto}</option>
          <option value="h264">H.264</option>
          <option value="hevc">HEVC</option>
          <option value="prores">ProRes</option>
        </select>
      </label>
      <button type="button" className="primary" disabled={exporting} onClick={() => void ex.choose('edit')}>
        {t.edit.export}…
      </button>
      <button type="button" disabled={!exporting} onClick={ex.cancel}>
        {t.edit.cancel}
      </button>
      {exporting && (
        <span className="progress" data-testid="export-progress">
          <progress max={100} value={progress?.percent ?? 0} aria-label={t.edit.progress} />{' '}
          {p.edit.percent(progress?.percent ?? 0)}
          {progress?.etaS != null && ` · ${t.edit.secondsLeft(Math.round(progress.etaS))}`}
        </span>
      )}
      <label>
        {t.edit.nle}
        <select value={format} onChange={(e) => onFormat(e.target.value as TimelineFormat)}>
          <option value="fcpxml">FCPXML</option>
          <option value="fcp7">FCP7 XML (Premiere)</option>
          <option value="edl">EDL</option>
          <option value="otio">OpenTimelineIO</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={ex.collect} onChange={(e) => ex.setCollect(e.target.checked)} />{' '}
        {paths.collectMedia}
      </label>
      <button type="button" disabled={exporting} onClick={() => void ex.choose('timeline')}>
        {t.edit.exportTimeline}…
      </button>
    </div>
  );
}

/** The chosen file exists and the system's dialog did not ask: replace it or keep it. */
export function ReplaceConfirm({ ex }: { ex: ExportState }): React.JSX.Element | null {
  if (!ex.confirm) return null;
  return (
    <div
      role="alertdialog"
      aria-label={p.edit.exists(ex.confirm.path)}
      className="confirm"
      data-testid="confirm-replace"
    >
      <p>{p.edit.exists(ex.confirm.path)}</p>
      <button type="button" className="primary" onClick={ex.replace}>
        {p.edit.replace}
      </button>
      <button type="button" onClick={ex.keep}>
        {p.edit.keep}
      </button>
    </div>
  );
}

/** What was written, "Show in folder", and the folder the system opened. */
export function ExportDone({ ex }: { ex: ExportState }): React.JSX.Element {
  return (
    <>
      {ex.donePath && (
        <p role="status" data-testid="export-done" className="export-done">
          {t.edit.written} <PathLabel path={ex.donePath} /> {ex.done}
        </p>
      )}
      {ex.shown && (
        <p role="status" className="muted">
          {t.edit.shownInFolder(ex.shown)}
        </p>
      )}
    </>
  );
}
