/**
 * "Open storyboard file…": the main process shows the open dialog and reads the file, so its
 * relative image paths resolve against the file's own folder; the images come back as
 * data-dir files (storyboard.openFile, electron/core/handlers/project.ts). A file with
 * problems is not opened, and every problem is listed.
 */
import { useState } from 'react';

import { p } from '../i18n/project';
import { call } from '../lib/api';
import { useProject, useStoryboard } from '../state/context';
import { refreshEdit } from '../state/picks';
import { fromText, type Storyboard } from '../state/storyboard';
import type { OpenedStoryboard } from '../../../shared/contract';

function withImages(sb: Storyboard, r: OpenedStoryboard): Storyboard {
  return {
    ...sb,
    shots: sb.shots.map((s, i) => {
      const img = r.images[i] ?? {};
      return {
        ...s,
        ...(img.startImage ? { startImage: img.startImage } : {}),
        ...(img.endImage ? { endImage: img.endImage } : {}),
      };
    }),
  };
}

export function OpenStoryboardButton(): React.JSX.Element {
  const { dispatch } = useStoryboard();
  const { setStoryboardId } = useProject();
  const [note, setNote] = useState<{ ok: boolean; title: string; lines: string[] } | null>(null);
  const open = async (): Promise<void> => {
    try {
      const r = await call('storyboard.openFile', {});
      if (!r.opened || r.content === null || r.fileName === null) return;
      if (r.messages.length && !r.images.length) {
        setNote({ ok: false, title: p.openProblems(r.fileName, r.messages.length), lines: r.messages });
        return;
      }
      dispatch({ type: 'replace', storyboard: withImages(fromText(r.content, r.fileName), r) });
      setStoryboardId(r.storyboardId);
      if (r.storyboardId) refreshEdit(r.storyboardId);
      setNote({ ok: r.messages.length === 0, title: p.openedFile(r.fileName), lines: r.messages });
    } catch (e) {
      setNote({ ok: false, title: (e as Error).message, lines: [] });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void open()}>
        {p.openFile}
      </button>
      {note && (
        <div role={note.ok ? 'status' : 'alert'} className={note.ok ? 'hint' : 'error'} data-testid="open-file-note">
          {note.title}
          {note.lines.length > 0 && (
            <ul>
              {note.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
