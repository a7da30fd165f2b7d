/** Privacy settings as key/value JSON rows in privacy_settings; defaults come from the zod schema. */
import type Database from 'better-sqlite3';

import { PrivacySettings } from '../../../shared/contract/privacy';

export function getPrivacySettings(db: Database.Database): PrivacySettings {
  const rows = db.prepare('SELECT key, value FROM privacy_settings').all() as Array<{ key: string; value: string }>;
  const raw: Record<string, unknown> = {};
  for (const r of rows) {
    try {
      raw[r.key] = JSON.parse(r.value);
    } catch {
      // A damaged value falls back to its default.
    }
  }
  const parsed = PrivacySettings.safeParse(raw);
  return parsed.success ? parsed.data : PrivacySettings.parse({});
}

export function setPrivacySettings(
  db: Database.Database,
  patch: Partial<PrivacySettings>,
  now = new Date(),
): PrivacySettings {
  const merged = PrivacySettings.parse({ ...getPrivacySettings(db), ...patch });
  const put = db.prepare(
    'INSERT INTO privacy_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  db.transaction(() => {
    for (const key of Object.keys(patch) as Array<keyof PrivacySettings>)
      put.run(key, JSON.stringify(merged[key]), now.toISOString());
  })();
  return merged;
}
