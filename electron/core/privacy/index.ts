/**
 * Privacy: what leaves the machine is filtered and logged; what stays can be erased.
 * - `filterPrompt(text, {terms, mode})` : PII (emails, phones, cards, IBANs, user terms)
 * - `recordAudit(db, entry)` / `auditFromKlingRequest(db, info, {subject, jobId})` : Art. 30 log
 * - `eraseSubject(db, dataDir, subject)` : Art. 17 erasure with a report
 * - `runRetention(db, dataDir, {dryRun})` : per-project retention rules
 * - `complianceReport({db, dataDir, store})` : PASS / WARN / FAIL with fixes
 */
import type Database from 'better-sqlite3';

import { filterPrompt, type FilterResult, type PiiMode } from '../../../shared/privacy/pii';
import { getPrivacySettings } from './settings';

export {
  applyMask,
  detectPii,
  filterPrompt,
  ibanValid,
  luhnValid,
  PII_KINDS,
  PLACEHOLDER,
} from '../../../shared/privacy/pii';
export type { FilterOptions, FilterResult, PiiFinding, PiiKind, PiiMode } from '../../../shared/privacy/pii';
export {
  auditFromKlingRequest,
  auditFromReferenceProbe,
  auditRowsFor,
  exportAudit,
  listAudit,
  recordAudit,
  tombstoneAudit,
} from './audit';
export { complianceReport } from './compliance';
export type { ComplianceInput } from './compliance';
export { compactDatabase, eraseSubject, ERASED } from './erase';
export type { EraseOptions } from './erase';
export {
  getRetentionRules,
  mediaInventory,
  registerExport,
  registerFile,
  registeredFile,
  runRetention,
  scheduleRetention,
  setRetentionRule,
} from './retention';
export type { MediaItem, MediaKind } from './retention';
export { getPrivacySettings, setPrivacySettings } from './settings';

/** The filter with the data dir's settings (mode and terms): what the engine calls per prompt. */
/** The PII filter with the settings' terms, and the settings' mode unless a batch chose one. */
export function filterPromptWithSettings(db: Database.Database, text: string, mode?: PiiMode | null): FilterResult {
  const s = getPrivacySettings(db);
  return filterPrompt(text, { mode: mode ?? s.piiMode, terms: s.piiTerms });
}
