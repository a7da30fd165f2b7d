import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { installTestHooks } from './lib/test-hooks';
import './styles.css';
import './paths.css';
import './report.css';
import './viewer.css';
import './storyboard-pictures.css';
import './takes.css';

installTestHooks();
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
