/**
 * Who may import whom: one allow-list per room, written from the imports that exist (issue 18
 * item 7); eslint/layering.js enforces it, docs/architecture.md ("Rooms") explains it. Rooms are the
 * folders of electron/core ('core:queue') and its top-level files ('core:context'), plus shared/
 * and the renderer. `uses`: may import at run time; `types`: `import type` only.
 * Everything may use 'shared' (except what shared/ itself forbids: eslint.config.js).
 */
export const CORE_LAYERS = {
  // Leaves: depend on nothing of the core.
  'core:version': { uses: ['package.json'] },
  'core:child-env': { uses: [] },
  'core:db': { uses: ['shared'] },
  'core:media': { uses: ['shared', 'core:child-env'] },
  // Kling's wire and the keychain. kling/redact masks secrets with secrets/mask, the one edge back.
  'core:kling': { uses: ['shared', 'core:secrets/mask'] },
  'core:secrets': { uses: ['shared', 'core:kling'] },
  'core:edits': { uses: ['shared', 'core:media'] },
  // Review of takes (issue 17): owns take_reviews/take_media; the queue is handed in by its callers.
  'core:reviews': { uses: ['shared', 'core:edits', 'core:media'], types: ['core:queue'] },
  'core:queue': { uses: ['shared'], types: ['core:context'] },
  'core:privacy': { uses: ['shared', 'core:child-env', 'core:kling', 'core:media', 'core:secrets'] },
  'core:sandbox': { uses: ['shared', 'core:child-env', 'core:kling', 'core:media'], types: ['core:context'] },
  'core:elements': { uses: ['shared', 'core:kling', 'core:privacy', 'core:secrets'], types: ['core:sandbox'] },
  'core:storyboard': { uses: ['shared', 'core:elements'], types: ['core:queue'] },
  'core:app': { uses: ['shared', 'core:child-env', 'core:privacy'], types: ['core:context'] },
  'core:engine': {
    uses: [
      'shared',
      'core:elements',
      'core:kling',
      'core:media',
      'core:privacy',
      'core:queue',
      'core:reviews',
      'core:sandbox',
      'core:secrets',
    ],
    types: ['core:context'],
  },
  // The contract's implementation: the top of the core.
  'core:handlers': {
    uses: [
      'shared',
      'core:app',
      'core:edits',
      'core:elements',
      'core:engine',
      'core:media',
      'core:privacy',
      'core:queue',
      'core:reviews',
      'core:sandbox',
      'core:secrets',
      'core:storyboard',
      'core:version',
    ],
    types: ['core:context', 'core:services'],
  },
  'core:context': { uses: ['shared', 'core:app', 'core:db'], types: ['core:secrets'] },
  // The composition root's services, built once per core and handed to the handlers (issue 18 item 1).
  'core:services': {
    uses: ['shared', 'core:app', 'core:engine', 'core:queue', 'core:sandbox', 'core:secrets'],
    types: ['core:context'],
  },
  'core:index': { uses: ['shared', 'core:context', 'core:handlers', 'core:services'] },
  // Started by tests only.
  'core:bridge': { uses: ['shared', 'core:app', 'core:index'] },
};

/** The renderer runs in a sandboxed page: it may use the contract and the domain in shared/, nothing else. */
export const RENDERER_LAYERS = {
  renderer: { uses: ['shared'] },
};
