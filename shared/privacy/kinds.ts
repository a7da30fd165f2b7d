/** The kinds of personal data the PII filter (shared/privacy/pii.ts) finds, and how they are treated. */

export type PiiKind =
  'email' | 'phone' | 'card' | 'iban' | 'national_id' | 'passport' | 'dob' | 'name' | 'address' | 'term';

export const PII_KINDS: readonly PiiKind[] = [
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
];

/** Validated or unambiguous data: masked (or blocking) whenever found. */
export const STRUCTURED_KINDS: readonly PiiKind[] = [
  'email',
  'phone',
  'card',
  'iban',
  'national_id',
  'passport',
  'dob',
];

/**
 * Person names and postal addresses: flagged for the user's decision and, by default, left in
 * the prompt (a creative prompt names characters and places); masked only with `maskFlagged`.
 */
export const FLAGGED_KINDS: readonly PiiKind[] = ['name', 'address'];

/** A detection in the normalised text (shared/privacy/normalize.ts), end exclusive. */
export interface Span {
  kind: PiiKind;
  start: number;
  end: number;
}
