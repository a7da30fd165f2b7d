/**
 * A storyboard file picked on the Storyboard page. A CSV is checked first by the validator
 * the core and the CLI use (shared/storyboard/validate.ts), so the page lists every problem
 * of every row (file, row, field, value, fix) instead of stopping at the first; only a clean
 * CSV replaces the storyboard being edited. A JSON file opens when the draft can hold it
 * (storyboard-file.ts); its shots' problems are then shown in the editor.
 */
import { formatChange } from '../../../shared/storyboard/upgrade';
import { parseStoryboard } from '../../../shared/storyboard/validate';
import { ImportProblems, type Storyboard } from './storyboard';
import { openText } from './storyboard-file';

export { ImportProblems };

/**
 * A file written for Kling's retired models is upgraded first (storyboard-file.ts openText: the
 * same rewrite as `shotline storyboard upgrade`); the changes come back so the page can list them
 * and offer Undo.
 */
export function importStoryboard(text: string, fileName: string): { storyboard: Storyboard; changes: string[] } {
  const csv = /\.csv$/i.test(fileName);
  const opened = openText(text, fileName);
  if (csv) {
    // The CSV as written (or as upgraded) must pass the validator before it replaces the storyboard.
    const checked = parseStoryboard(opened.text, {
      file: fileName,
      format: 'csv',
      name: fileName.replace(/\.csv$/i, ''),
    });
    if (!checked.ok) throw new ImportProblems(fileName, checked.problems);
  }
  return { storyboard: opened.storyboard, changes: opened.changes.map(formatChange) };
}
