/**
 * Takes per shot: poster frames (media.thumbnails) with a hover filmstrip, a player, pick
 * the best take (it goes to the Edit timeline), re-roll, days left before Kling deletes
 * the source. Takes come from the queue's finished jobs. A take of a shot of a multi-shot scene
 * says the task it shares ("Scene x · one task for N shots"), and its re-roll asks first, with
 * the scene's cost, because it re-rolls the whole scene (issue 13 item 1).
 */
import { useEffect, useState } from 'react';

import type { ThumbnailSet } from '../../../shared/media';
import { SceneRerollConfirm, sceneUnits } from '../components/SceneRerollConfirm';
import { CompareView, Player } from '../components/viewer';
import { el } from '../i18n/elements';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { vw } from '../i18n/viewer';
import { call } from '../lib/api';
import { getDataDir, mediaUrl } from '../lib/media';
import { useProject } from '../state/context';
import { sceneOfShot, useJobs, type JobView, type SceneOfJob } from '../state/jobs';
import { useEdit } from '../state/picks';

/** A clip's file name (the viewer's title; no raw path on screen). */
const fileName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

function daysLeft(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const days = Math.ceil((Date.parse(iso) - Date.now()) / 86_400_000);
  return t.takes.daysLeft(days);
}

function TakeCard({
  job,
  dir,
  picked,
  onPick,
  onPlay,
}: {
  job: JobView;
  dir: string;
  picked: boolean;
  onPick: () => void;
  onPlay: () => void;
}): React.JSX.Element {
  const [thumbs, setThumbs] = useState<ThumbnailSet | null>(null);
  const [frame, setFrame] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  const file = job.file ?? '';
  useEffect(() => {
    if (!file) return;
    call('media.thumbnails', { file, count: 6 }).then(setThumbs, (e: Error) => setError(e.message));
  }, [file]);
  useEffect(() => {
    if (frame < 0 || !thumbs?.filmstrip.length) return;
    const id = setInterval(() => setFrame((f) => (f + 1) % (thumbs.filmstrip.length || 1)), 250);
    return () => clearInterval(id);
  }, [frame, thumbs]);
  const still = thumbs ? (frame >= 0 ? thumbs.filmstrip[frame] : thumbs.poster) : undefined;
  const src = still ? mediaUrl(still, dir) : null;
  return (
    <li className={`take${picked ? ' picked' : ''}`} data-testid="take">
      <button
        type="button"
        className="poster"
        aria-label={t.takes.play(job.take, job.shotId)}
        onClick={onPlay}
        onMouseEnter={() => setFrame(0)}
        onMouseLeave={() => setFrame(-1)}
        onFocus={() => setFrame(0)}
        onBlur={() => setFrame(-1)}
      >
        {src ? <img src={src} alt="" /> : <span className="muted">{error ?? '…'}</span>}
      </button>
      <div className="row">
        <span>{t.takes.take(job.take)}</span>
        <button type="button" aria-pressed={picked} onClick={onPick}>
          {picked ? t.takes.picked : t.takes.pick}
        </button>
        <button
          type="button"
          aria-label={t.takes.showInFolderOf(job.take, job.shotId)}
          title={t.takes.showInFolder}
          disabled={!file}
          onClick={() =>
            void call('app.showInFolder', { path: file }).then(
              () => setRevealError(null),
              (e: Error) => setRevealError(e.message),
            )
          }
        >
          {t.takes.showInFolder}
        </button>
      </div>
      {job.scene && (
        <div className="scene-tag" data-testid="take-scene">
          {el.takes.scene(job.scene.id)} · {el.takes.shared(job.scene.shotIds.length)}
          {job.taskId ? ` · ${el.takes.sharedTask(job.taskId)}` : ''}
        </div>
      )}
      {daysLeft(job.expiresAt) && <div className="muted">{daysLeft(job.expiresAt)}</div>}
      {revealError && (
        <div role="alert" className="error">
          {revealError}
        </div>
      )}
    </li>
  );
}

export function TakesPage(): React.JSX.Element {
  // Keyed by the stored storyboard's id, not the editor's name (issue 11 item 4).
  const { storyboardId } = useProject();
  const jobs = useJobs();
  const { edit, save } = useEdit(storyboardId);
  const [dir, setDir] = useState<string | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [comparing, setComparing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A re-roll of a shot of a scene waits for a yes (it pays for the whole scene).
  const [asking, setAsking] = useState<{ shotId: string; scene: SceneOfJob } | null>(null);
  const [rerolling, setRerolling] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => void getDataDir().then(setDir, (e: Error) => setError(e.message)), []);
  const mine = jobs.filter((j) => j.storyboardId === storyboardId);
  const shots = edit?.shots.map((s) => s.id) ?? [...new Set(mine.map((j) => j.shotId))];
  const takesOf = (id: string): JobView[] => mine.filter((j) => j.shotId === id && j.state === 'done' && j.file);
  // Done takes whose clip is gone from disk (retention, or deleted by hand): said, not hidden.
  const removedOf = (id: string): number => mine.filter((j) => j.shotId === id && j.state === 'done' && !j.file).length;
  const any = shots.some((s) => takesOf(s).length > 0 || removedOf(s) > 0);
  const playUrl = playing && dir ? mediaUrl(playing, dir) : null;
  const picks = edit?.picks ?? {};
  const pick = (shotId: string, file: string | null): void =>
    void save({ picks: { [shotId]: file } }).then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );
  // A re-roll joins the batch of the shot's newest take, so that batch's report counts it.
  const reroll = (shotId: string): void => {
    const newest = mine.filter((j) => j.shotId === shotId).sort((a, b) => b.take - a.take)[0];
    const scene = asking?.shotId === shotId ? asking.scene : null;
    setRerolling(true);
    void call('queue.reroll', {
      shotId,
      ...(storyboardId ? { storyboardId } : {}),
      ...(newest ? { batchId: newest.batchId } : {}),
    })
      .then(
        (r) => {
          setError(null);
          setAsking(null);
          setNote(scene ? el.takes.queued(scene.id, r.take) : null);
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setRerolling(false));
  };
  const askOrReroll = (shotId: string): void => {
    const scene = sceneOfShot(mine, shotId);
    if (scene) setAsking({ shotId, scene });
    else reroll(shotId);
  };

  return (
    <section className="page takes" aria-labelledby="takes-title">
      <h1 id="takes-title">{edit ? p.takes.of(edit.storyboard) : t.takes.title}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {note && (
        <p role="status" data-testid="takes-note">
          {note}
        </p>
      )}
      {comparing && dir && (
        <CompareView
          key={comparing}
          takes={takesOf(comparing)
            .flatMap((j) => {
              const src = j.file ? mediaUrl(j.file, dir) : null;
              return src ? [{ src, title: t.takes.take(j.take) }] : [];
            })
            .slice(0, 4)}
          onClose={() => setComparing(null)}
        />
      )}
      {playUrl && playing && (
        <div className="player">
          <Player key={playUrl} src={playUrl} title={fileName(playing)} autoFocus onClose={() => setPlaying(null)} />
        </div>
      )}
      {!storyboardId ? (
        <p className="empty">{p.takes.noProject}</p>
      ) : !any || !dir ? (
        <p className="empty">{t.takes.empty}</p>
      ) : (
        shots.map((id, i) => {
          const scene = sceneOfShot(mine, id);
          return (
            <section key={`${id}-${i}`} aria-label={`Takes of ${id}`}>
              <h2>
                {i + 1}. {id}{' '}
                {scene && (
                  <span className="scene-tag" data-testid="shot-scene">
                    {el.takes.scene(scene.id)} · {el.takes.shared(scene.shotIds.length)} · {sceneUnits(scene.units)} u
                  </span>
                )}{' '}
                {scene?.file && (
                  <button type="button" onClick={() => setPlaying(scene.file)}>
                    {el.takes.playScene(scene.id)}
                  </button>
                )}{' '}
                {takesOf(id).length >= 2 && (
                  <button type="button" onClick={() => setComparing(id)}>
                    {vw.compare.open(id)}
                  </button>
                )}{' '}
                <button type="button" disabled={rerolling} onClick={() => askOrReroll(id)}>
                  {' '}
                  {scene ? el.takes.rerollScene : t.takes.reroll}
                </button>
              </h2>
              {asking?.shotId === id && (
                <SceneRerollConfirm
                  scene={asking.scene}
                  busy={rerolling}
                  onYes={() => reroll(id)}
                  onNo={() => setAsking(null)}
                />
              )}
              <ul className="take-grid">
                {takesOf(id).map((j) => (
                  <TakeCard
                    key={j.id}
                    job={j}
                    dir={dir}
                    picked={picks[id] === j.file}
                    onPick={() => pick(id, picks[id] === j.file ? null : (j.file ?? null))}
                    onPlay={() => setPlaying(j.file ?? null)}
                  />
                ))}
              </ul>
              {removedOf(id) > 0 && <p className="hint">{t.takes.removed(removedOf(id))}</p>}
            </section>
          );
        })
      )}
    </section>
  );
}
