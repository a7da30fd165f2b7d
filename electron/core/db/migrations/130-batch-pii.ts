/**
 * The PII decision per batch (mask, block or allow, chosen on the Batch page). NULL means
 * "the mode in privacy settings", which is also what older batches get.
 */
import type { Migration } from './types';

export const batchPiiMigration: Migration = {
  version: 130,
  name: 'batch-pii-mode',
  up(db) {
    db.exec(`ALTER TABLE batches ADD COLUMN pii_mode TEXT CHECK (pii_mode IN ('mask', 'block', 'allow'))`);
  },
};
