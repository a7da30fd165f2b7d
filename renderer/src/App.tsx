import { useState } from 'react';

import { isConnected } from './lib/api';
import { AboutPage } from './pages/AboutPage';

const PAGES = ['About'] as const;
type Page = (typeof PAGES)[number];

export function App(): React.JSX.Element {
  const [page, setPage] = useState<Page>('About');
  if (!isConnected()) {
    return (
      <main className="page">
        <h1>Shotline</h1>
        <p role="alert">Not connected to the Shotline core. Start the app with npm start.</p>
      </main>
    );
  }
  return (
    <div className="shell">
      <nav aria-label="Main" className="sidebar">
        <div className="brand">Shotline</div>
        {PAGES.map((p) => (
          <button key={p} type="button" aria-current={p === page ? 'page' : undefined} onClick={() => setPage(p)}>
            {p}
          </button>
        ))}
      </nav>
      <main className="content">{page === 'About' && <AboutPage />}</main>
    </div>
  );
}
