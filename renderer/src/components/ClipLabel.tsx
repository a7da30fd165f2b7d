/**
 * A clip named the way an editor names it (issue 17 item 4): shot, take and file name
 * ("kite-wide · T1 · kite-wide_T1.mp4"), the full path on hover, and "Show in folder".
 * The file name part is elided in the middle when the box is narrow (./PathLabel.tsx).
 */
import { paths } from '../i18n/paths';
import { baseName } from '../lib/paths';
import { ShowInFolder, useElided } from './PathLabel';

export interface ClipLabelProps {
  shotId: string;
  take: number;
  file: string | null | undefined;
  reveal?: boolean;
  testId?: string;
}

export function ClipLabel({ shotId, take, file, reveal = true, testId }: ClipLabelProps): React.JSX.Element {
  const text = `${shotId} · ${paths.take(take)}${file ? ` · ${baseName(file)}` : ''}`;
  const ref = useElided(text);
  return (
    <span className="path-label clip-label" data-testid={testId} data-path={file ?? undefined}>
      <span ref={ref} className="path-text" title={file ?? text} />
      {reveal && file && <ShowInFolder path={file} name={`${shotId} ${paths.take(take)}`} />}
    </span>
  );
}
