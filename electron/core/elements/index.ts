/**
 * The element library (issue 13 item 2): records (library.ts), the runner that creates elements
 * at Kling (runner.ts), deletion (delete.ts), the audit entry of element requests (audit.ts)
 * and the account an element lives in (account.ts).
 */
export { accountKey, type AccountParts } from './account';
export { elementAuditEntry } from './audit';
export { deleteElement, type DeleteOutcome } from './delete';
export {
  checkAndHash,
  checkElements,
  elementIdsFor,
  elementsAtKling,
  elementsOfSubject,
  ensureElement,
  ensureElements,
  getElement,
  libraryAliases,
  listElementViews,
  openStoryboardsWithElements,
  recordStoryboardElements,
  saveStoryboardElements,
  type ElementIdsAnswer,
  type ElementRow,
  type ShotNamingElements,
} from './library';
export { elementBody, ElementRunner, ElementsWaiting, type ElementRunnerOptions } from './runner';
