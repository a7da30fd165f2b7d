/**
 * Settings: one section per concern, each in ./settings/ and each owning its state: it loads
 * its own data from the core when it mounts, saves through the core, and shows its own error
 * under it (./settings/common.tsx). Nothing is shared between sections, so the page itself holds
 * no state. Sections: key profiles (./settings/Profiles.tsx), tools, outage waiting
 * (../components/OutageSettings.tsx), privacy, retention, the audit log, erasure and the
 * compliance report.
 */
import { OutageSettings } from '../components/OutageSettings';
import { t } from '../i18n/strings';
import { Audit } from './settings/Audit';
import { Compliance } from './settings/Compliance';
import { Erase } from './settings/Erase';
import { Privacy } from './settings/Privacy';
import { Profiles } from './settings/Profiles';
import { Retention } from './settings/Retention';
import { Tools } from './settings/Tools';

export function SettingsPage(): React.JSX.Element {
  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings.title}</h1>
      <Profiles />
      <Tools />
      <OutageSettings />
      <Privacy />
      <Retention />
      <Audit />
      <Erase />
      <Compliance />
    </section>
  );
}
