/**
 * The element library (issue 13 item 2): every element in every account as a grid (frontal
 * image, @alias, name, state with the fix, Kling id, account, the shots that name it, Delete at
 * Kling), and "New element" from images. Live on `elements.changed` (renderer/src/state/elements.ts).
 */
import { ElementCard } from '../components/ElementCard';
import { NewElementForm } from '../components/NewElementForm';
import { el } from '../i18n/elements';
import { useElements } from '../state/elements';

export function ElementsPage(): React.JSX.Element {
  const { elements, error } = useElements();
  // Newest first; deleted ones stay listed (greyed) so the user sees what went at Kling.
  const sorted = [...(elements ?? [])].sort(
    (a, b) => Number(a.state === 'deleted') - Number(b.state === 'deleted') || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <section className="page elements" aria-labelledby="elements-title">
      <h1 id="elements-title">{el.page.title}</h1>
      <p className="hint">{el.page.intro}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {elements === null ? (
        <p className="muted">{el.page.loading}</p>
      ) : sorted.length === 0 ? (
        <p className="empty">{el.page.empty}</p>
      ) : (
        <ul className="el-grid" aria-label={el.page.grid}>
          {sorted.map((e) => (
            <ElementCard key={e.key} element={e} />
          ))}
        </ul>
      )}
      <NewElementForm known={elements ?? []} />
    </section>
  );
}
