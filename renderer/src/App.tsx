import { useEffect, useState } from 'react';

import { HelpSheet } from './components/HelpSheet';
import { t } from './i18n/strings';
import { isConnected } from './lib/api';
import { AboutPage } from './pages/AboutPage';
import { BatchPage } from './pages/BatchPage';
import { EditPage } from './pages/EditPage';
import { ElementsPage } from './pages/ElementsPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { QueuePage } from './pages/QueuePage';
import { ReportPage } from './pages/ReportPage';
import { SettingsPage } from './pages/SettingsPage';
import { StoryboardPage } from './pages/StoryboardPage';
import { TakesPage } from './pages/TakesPage';
import { NavProvider, StoryboardProvider } from './state/context';
import { useLiveQueue } from './state/live-queue';

// Report last: Alt+1..9 keep their pages (the tenth has no Alt+digit).
const PAGES = [
  'Storyboard',
  'Batch',
  'Queue',
  'Takes',
  'Edit',
  'Projects',
  'Elements',
  'Settings',
  'About',
  'Report',
] as const;
type Page = (typeof PAGES)[number];

function initialPage(): Page {
  const h = window.location.hash.slice(1).split('?')[0] ?? '';
  return (PAGES as readonly string[]).includes(h) ? (h as Page) : 'Storyboard';
}

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export function App(): React.JSX.Element {
  const [page, setPage] = useState<Page>(initialPage);
  const [help, setHelp] = useState(false);
  const queueError = useLiveQueue();

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '?' && !isTyping(e.target)) {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.altKey && /^Digit[1-9]$/.test(e.code)) {
        e.preventDefault();
        const p = PAGES[Number(e.code.slice(5)) - 1];
        if (p) setPage(p);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    history.replaceState(null, '', `#${page}`);
  }, [page]);

  if (!isConnected()) {
    return (
      <main className="page">
        <h1>{t.app.name}</h1>
        <p role="alert">{t.app.notConnected}</p>
      </main>
    );
  }
  return (
    <StoryboardProvider>
      <NavProvider value={(to) => (PAGES as readonly string[]).includes(to) && setPage(to as Page)}>
        <div className="shell">
          <nav aria-label={t.app.nav} className="sidebar">
            <div className="brand">{t.app.name}</div>
            {PAGES.map((p, i) => (
              <button
                key={p}
                type="button"
                aria-current={p === page ? 'page' : undefined}
                aria-keyshortcuts={i < 9 ? `Alt+${i + 1}` : undefined}
                onClick={() => setPage(p)}
              >
                {t.pages[p]}
              </button>
            ))}
            <div className="spacer" />
            <button type="button" className="help-btn" aria-keyshortcuts="?" onClick={() => setHelp(true)}>
              {t.app.help}
            </button>
          </nav>
          <main className="content">
            {queueError && (
              <p role="alert" className="error">
                {queueError}
              </p>
            )}
            {page === 'Storyboard' && <StoryboardPage />}
            {page === 'Batch' && <BatchPage />}
            {page === 'Queue' && <QueuePage />}
            {page === 'Report' && <ReportPage />}
            {page === 'Takes' && <TakesPage />}
            {page === 'Edit' && <EditPage />}
            {page === 'Projects' && <ProjectsPage />}
            {page === 'Elements' && <ElementsPage />}
            {page === 'Settings' && <SettingsPage />}
            {page === 'About' && <AboutPage />}
          </main>
        </div>
        {help && <HelpSheet onClose={() => setHelp(false)} />}
      </NavProvider>
    </StoryboardProvider>
  );
}
