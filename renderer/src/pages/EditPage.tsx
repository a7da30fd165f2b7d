import { t } from '../i18n/strings';
import { hasMethod } from '../lib/api';

/** The edit of picked takes. Export goes through media.* when that part is in the build. */
export function EditPage(): React.JSX.Element {
  const media = hasMethod('media.exportEdit');
  return (
    <section className="page edit" aria-labelledby="edit-title">
      <h1 id="edit-title">{t.edit.title}</h1>
      <p className="empty">
        {t.edit.empty}
        {!media && ' The media part (planEdit, exportEdit) is not in this build yet; `shotline concat` cuts clips from the command line.'}
      </p>
    </section>
  );
}
