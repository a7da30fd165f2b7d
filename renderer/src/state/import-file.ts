/**
 * A storyboard file picked on the Storyboard page. A CSV is checked first by the validator
 * the core and the CLI use (shared/storyboard/validate.ts), so the page lists every problem
 * of every row (file, row, field, value, fix) instead of stopping at the first; only a clean
 * file replaces the storyboard being edited.
 */
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import { parseStoryboard } from '../../../shared/storyboard/validate';
import { fromText, type Storyboard } from './storyboard';

export class ImportProblems extends Error {
  readonly problems: StoryboardProblem[];
  constructor(file: string, problems: StoryboardProblem[]) {
    super(`${file}: ${problems.length} problem(s)`);
    this.problems = problems;
  }
}

export function importStoryboard(text: string, fileName: string): Storyboard {
  if (/\.csv$/i.test(fileName)) {
    const checked = parseStoryboard(text, { file: fileName, format: 'csv', name: fileName.replace(/\.csv$/i, '') });
    if (!checked.ok) throw new ImportProblems(fileName, checked.problems);
  }
  return fromText(text, fileName);
}
