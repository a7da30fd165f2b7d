/** An element's frontal image (a data-dir file, served like frames: renderer/src/lib/frames.ts). */
import { el } from '../i18n/elements';
import { useFrameUrl } from '../lib/frames';

export function ElementThumb({ file, alt }: { file: string | null; alt: string }): React.JSX.Element {
  const url = useFrameUrl(file ?? undefined);
  return url ? (
    <img className="el-thumb" src={url} alt={alt} data-testid="element-thumbnail" />
  ) : (
    <span className="el-thumb muted">{el.card.noThumb}</span>
  );
}
