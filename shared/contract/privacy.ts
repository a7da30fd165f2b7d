/**
 * Privacy (Settings > Privacy, `shotline audit|erase|retention|compliance`): PII preview,
 * the Art. 30 audit log, Art. 17 erasure, retention rules and the compliance report.
 */
import { z } from 'zod';

import { PII_TEXT_MAX } from '../privacy/pii';
import { method } from './define';

// The kinds of shared/privacy/kinds.ts; names and addresses are flagged, not masked by default.
export const PiiKindSchema = z.enum([
  'email',
  'phone',
  'card',
  'iban',
  'national_id',
  'passport',
  'dob',
  'name',
  'address',
  'term',
]);
export const PiiModeSchema = z.enum(['mask', 'block', 'allow']);

export const PiiFindingSchema = z.object({
  kind: PiiKindSchema,
  start: z.number().int(),
  end: z.number().int(),
  /** Mostly hidden (at most the first and last 4 characters): safe to show and log. */
  match: z.string(),
  /** A name or address left in the prompt for the user's decision (not masked by default). */
  flagged: z.boolean(),
});

export const FilterResultSchema = z.object({
  text: z.string(),
  findings: z.array(PiiFindingSchema),
  blocked: z.boolean(),
});

const settingsFields = {
  piiMode: PiiModeSchema,
  /** Client names, product code names: matched case-insensitively as whole words. */
  piiTerms: z.array(z.string().min(1).max(200)).max(2000),
  purpose: z.string().min(1).max(300),
  legalBasis: z.string().min(1).max(300),
  /** Strip metadata (encoder tags, titles, prompts) from exported edits. */
  stripExportMetadata: z.boolean(),
};

export const PrivacySettings = z.object({
  piiMode: settingsFields.piiMode.default('mask'),
  piiTerms: settingsFields.piiTerms.default([]),
  purpose: settingsFields.purpose.default('AI video generation for a client production'),
  legalBasis: settingsFields.legalBasis.default('Art. 6(1)(b) GDPR: performance of a contract'),
  stripExportMetadata: settingsFields.stripExportMetadata.default(true),
});
/** A change: only the fields given (no defaults, so nothing else is overwritten). */
export const PrivacySettingsPatch = z.object(settingsFields).partial().strict();
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const AuditEntrySchema = z.object({
  /** ISO time the request left. */
  time: z.string(),
  purpose: z.string().min(1),
  legalBasis: z.string().min(1),
  dataCategories: z.array(z.string()),
  recipient: z.object({
    provider: z.string(),
    host: z.string(),
    region: z.string().nullable().optional(),
    location: z.string().nullable().optional(),
  }),
  method: z.string().optional(),
  path: z.string().optional(),
  subject: z.string().nullable().optional(),
  jobId: z.string().nullable().optional(),
  externalTaskId: z.string().nullable().optional(),
  bodySha256: z.string().nullable(),
});
export type AuditEntry = z.input<typeof AuditEntrySchema>;

export const AuditRow = z.object({
  id: z.number().int(),
  time: z.string(),
  purpose: z.string(),
  legalBasis: z.string(),
  dataCategories: z.array(z.string()),
  provider: z.string(),
  host: z.string(),
  region: z.string().nullable(),
  location: z.string().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  subject: z.string().nullable(),
  jobId: z.string().nullable(),
  externalTaskId: z.string().nullable(),
  bodySha256: z.string().nullable(),
  tombstonedAt: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const EraseReport = z.object({
  dryRun: z.boolean(),
  /** Files deleted (or, in a dry run, that would be), relative to the data dir where possible. */
  files: z.array(z.object({ path: z.string(), kind: z.string(), bytes: z.number() })),
  /** Rows deleted per table. */
  rows: z.record(z.string(), z.number()),
  /** Rows where the subject's text was replaced by [erased] (e.g. a stored storyboard). */
  scrubbed: z.record(z.string(), z.number()),
  auditRowsTombstoned: z.number(),
  /** What Shotline cannot erase, and whom to ask. */
  cannotErase: z.array(z.string()),
  /** What was deleted at the provider (the subject's Kling elements, electron/core/elements/erase.ts). */
  deletedAtProvider: z.array(z.string()).optional(),
  /**
   * What this erase could not finish yet (a busy WAL still holding erased text, issue 16.5):
   * empty when the data is gone. Also listed first in cannotErase.
   */
  notYetGone: z.array(z.string()),
});
export type EraseReport = z.infer<typeof EraseReport>;

export const RetentionRule = z.object({
  /** A project (storyboard name) or '*' for every project without its own rule. */
  project: z.string().min(1).max(200),
  /** Delete raw takes this many days after the project's edit was exported; null = never. */
  rawTakesDaysAfterExport: z.number().int().min(0).max(36500).nullable().default(30),
  /** Delete raw takes this many days after they were made, edit or not; null = never. */
  rawTakesMaxDays: z.number().int().min(0).max(36500).nullable().default(null),
  /** Delete input images this many days after they were sent; null = never. */
  imagesDays: z.number().int().min(0).max(36500).nullable().default(null),
  /** Exported edits are kept unless this is a number of days. */
  editsDays: z.number().int().min(0).max(36500).nullable().default(null),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

export const RetentionPlan = z.object({
  dryRun: z.boolean(),
  ranAt: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      kind: z.string(),
      project: z.string().nullable(),
      bytes: z.number(),
      reason: z.string(),
    }),
  ),
  bytes: z.number(),
  rulesUsed: z.number(),
});
export type RetentionPlan = z.infer<typeof RetentionPlan>;

export const ComplianceCheck = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  title: z.string(),
  detail: z.string(),
  /** How to fix it (empty on pass). */
  fix: z.string(),
});
export type ComplianceCheck = z.infer<typeof ComplianceCheck>;

export const ComplianceReport = z.object({
  time: z.string(),
  checks: z.array(ComplianceCheck),
  summary: z.object({ pass: z.number(), warn: z.number(), fail: z.number() }),
  ok: z.boolean(),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

const Empty = z.object({}).strict();

export const privacyContract = {
  'privacy.settings.get': method(
    Empty,
    PrivacySettings,
    'PII mode and terms, purpose, legal basis, export metadata policy.',
  ),
  'privacy.settings.set': method(
    PrivacySettingsPatch,
    PrivacySettings,
    'Changes privacy settings; returns all of them.',
  ),
  'privacy.pii.preview': method(
    z
      .object({
        // Capped at the prompt limit: a longer text could never be sent (issue 16 item 7).
        text: z
          .string()
          .max(PII_TEXT_MAX, `text: at most ${PII_TEXT_MAX} characters (the prompt limit); shorten the prompt`),
        mode: PiiModeSchema.optional(),
        terms: z.array(z.string()).optional(),
        /** Also mask names and addresses (default: flagged only). */
        maskFlagged: z.boolean().optional(),
      })
      .strict(),
    FilterResultSchema,
    'Exactly what would be sent for this prompt, with what was found (terms and mode default to the settings).',
  ),
  'privacy.audit.list': method(
    z
      .object({
        limit: z.number().int().min(1).max(5000).default(200),
        offset: z.number().int().min(0).default(0),
        subject: z.string().optional(),
      })
      .strict(),
    z.object({ rows: z.array(AuditRow), total: z.number() }),
    'Audit log rows, newest first.',
  ),
  'privacy.audit.export': method(
    z.object({ format: z.enum(['csv', 'json']) }).strict(),
    z.object({ format: z.enum(['csv', 'json']), content: z.string(), rows: z.number() }),
    'The whole audit log as CSV or JSON text.',
  ),
  'privacy.erase': method(
    z.object({ subject: z.string().min(1).max(200), dryRun: z.boolean().optional() }).strict(),
    EraseReport,
    "Removes a data subject's local clips, thumbnails, edits, prompts and images; tombstones their audit rows.",
  ),
  'privacy.retention.rules': method(Empty, z.object({ rules: z.array(RetentionRule) }), 'Retention rules per project.'),
  'privacy.retention.setRule': method(
    z.object({ rule: RetentionRule, remove: z.boolean().optional() }).strict(),
    z.object({ rules: z.array(RetentionRule) }),
    'Adds, replaces or (remove: true) deletes one rule.',
  ),
  'privacy.retention.run': method(
    z.object({ dryRun: z.boolean().default(true) }).strict(),
    RetentionPlan,
    'Applies the retention rules (dry run by default: a preview of what would be deleted).',
  ),
  'privacy.compliance': method(
    Empty,
    ComplianceReport,
    'Checks keys, transport, PII filter, audit, retention and residency; PASS/WARN/FAIL with fixes.',
  ),
} as const;

export const privacyEvents = {} as const;
