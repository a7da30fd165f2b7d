/** Every problem of a refused storyboard file, one row each: file, row, shot, field, value, fix. */
import { t } from '../i18n/strings';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import { HeaderCells } from './HeaderCells';

export function ImportReport({
  message,
  problems,
  onClose,
}: {
  message: string;
  problems: StoryboardProblem[];
  onClose: () => void;
}): React.JSX.Element {
  return (
    <div role="alert" className="import-report" data-testid="import-report">
      <p className="error">
        {message}{' '}
        <button type="button" onClick={onClose}>
          {t.storyboard.closeReport}
        </button>
      </p>
      {problems.length > 0 && (
        <div className="import-problems">
          <table className="dense" data-testid="import-problems">
            <thead>
              <tr>
                <HeaderCells cols={t.storyboard.problemCols} />
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i} data-testid="import-problem">
                  <td>{p.file}</td>
                  <td>{p.row ?? ''}</td>
                  <td>{p.shot ?? ''}</td>
                  <td>{p.field ?? ''}</td>
                  <td>{p.value ?? ''}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
