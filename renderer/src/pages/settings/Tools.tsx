/**
 * Settings > Tools: the data folder and the ffmpeg/ffprobe in use (app.info).
 */
import { useEffect, useState } from 'react';

import type { AppInfo } from '../../../../shared/contract';
import { PathLabel } from '../../components/PathLabel';
import { t } from '../../i18n/strings';
import { call } from '../../lib/api';
import { Alert, useError } from './common';

export function Tools(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [err, setErr] = useError();
  useEffect(() => void call('app.info', {}).then(setInfo, setErr), [setErr]);
  return (
    <section aria-labelledby="tools-title">
      <h2 id="tools-title">{t.settings.tools}</h2>
      {info && (
        <dl className="kv">
          <dt>{t.settings.dataFolder}</dt>
          <dd>
            <PathLabel path={info.dataDir} testId="settings-data-dir" />
          </dd>
          <dt>ffmpeg</dt>
          <dd>
            <PathLabel path={info.ffmpeg.path} reveal={false} />{' '}
            {info.ffmpeg.version ? `(${info.ffmpeg.version})` : `(${info.ffmpeg.source})`}
          </dd>
          <dt>ffprobe</dt>
          <dd>
            <PathLabel path={info.ffprobe.path} reveal={false} />{' '}
            {info.ffprobe.version ? `(${info.ffprobe.version})` : `(${info.ffprobe.source})`}
          </dd>
        </dl>
      )}
      <Alert text={err} />
    </section>
  );
}
