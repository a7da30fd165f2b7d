import { t } from '../i18n/strings';
import { hasMethod } from '../lib/api';
import { useStoryboard } from '../state/context';

/** Takes per shot. Poster frames and clips come from the engine/media parts when they land. */
export function TakesPage(): React.JSX.Element {
  const { history } = useStoryboard();
  const engine = hasMethod('queue.list');
  return (
    <section className="page takes" aria-labelledby="takes-title">
      <h1 id="takes-title">{t.takes.title}</h1>
      {history.present.shots.length === 0 || !engine ? (
        <p className="empty">
          {t.takes.empty}
          {!engine && ` ${t.batch.engineMissing}`}
        </p>
      ) : (
        <div className="take-rows">
          {history.present.shots.map((s, i) => (
            <section key={`${s.id}-${i}`} aria-label={`Takes of ${s.id}`}>
              <h2>
                {i + 1}. {s.id}
              </h2>
              <p className="muted">No finished takes yet.</p>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
