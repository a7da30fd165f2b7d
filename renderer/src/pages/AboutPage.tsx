import { useEffect, useState } from 'react';

import type { AppInfo, DiagnosticCheck } from '../../../shared/contract';
import { PathLabel, WithPath } from '../components/PathLabel';
import { call, subscribe } from '../lib/api';

/** App info and start-up checks; the checks arrive one by one as app.notice events. */
export function AboutPage(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checks, setChecks] = useState<DiagnosticCheck[]>([]);

  useEffect(() => {
    call('app.info', {}).then(setInfo, (e: Error) => setError(e.message));
    return subscribe('app.notice', (notice) => {
      const check = notice.check;
      if (check) setChecks((prev) => [...prev.filter((c) => c.id !== check.id), check]);
    });
  }, []);

  return (
    <section aria-labelledby="about-title" className="page">
      <h1 id="about-title">About Shotline</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {info ? (
        <dl className="kv" data-testid="app-info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>Data folder</dt>
          <dd>
            <PathLabel path={info.dataDir} testId="app-data-dir" />
          </dd>
          <dt>Runtime</dt>
          <dd>
            Node {info.runtime.node}
            {info.runtime.electron ? `, Electron ${info.runtime.electron}` : ''}
          </dd>
          <dt>ffmpeg</dt>
          <dd data-testid="ffmpeg-version">{info.ffmpeg.version ?? info.ffmpeg.source}</dd>
          <dt>ffprobe</dt>
          <dd data-testid="ffprobe-version">{info.ffprobe.version ?? info.ffprobe.source}</dd>
        </dl>
      ) : (
        !error && <p>Loading…</p>
      )}
      <h2>Checks</h2>
      <button type="button" onClick={() => void call('app.diagnostics', {}).catch((e: Error) => setError(e.message))}>
        Run checks
      </button>
      <ul data-testid="checks" className="checks">
        {checks.map((c) => (
          <li key={c.id} data-status={c.status}>
            <strong>{c.status.toUpperCase()}</strong> <WithPath text={c.message} path={c.path} />
          </li>
        ))}
      </ul>
    </section>
  );
}
