/**
 * Schema discovery for erase and retention. The queue and media tables belong to other
 * modules and change as they grow, so privacy code asks sqlite_master what exists instead
 * of hard-coding their schema: tables, their columns, declared foreign keys.
 */
import type Database from 'better-sqlite3';

export interface TableInfo {
  name: string;
  columns: Array<{ name: string; type: string; pk: boolean }>;
  foreignKeys: Array<{ table: string; from: string[]; to: Array<string | null> }>;
  withoutRowid: boolean;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteIdent = q;

export function listTables(db: Database.Database): TableInfo[] {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as Array<{ name: string; sql: string | null }>;
  const virtual = rows.filter((r) => /^\s*CREATE\s+VIRTUAL/i.test(r.sql ?? '')).map((r) => r.name);
  return rows
    .filter((r) => !virtual.some((v) => r.name === v || r.name.startsWith(`${v}_`)))
    .map((r) => {
      const columns = (
        db.prepare(`PRAGMA table_info(${q(r.name)})`).all() as Array<{ name: string; type: string; pk: number }>
      ).map((c) => ({
        name: c.name,
        type: (c.type || '').toUpperCase(),
        pk: c.pk > 0,
      }));
      // One entry per foreign key; a composite key keeps its columns together.
      const fkRows = db.prepare(`PRAGMA foreign_key_list(${q(r.name)})`).all() as Array<{
        id: number;
        seq: number;
        table: string;
        from: string;
        to: string | null;
      }>;
      const byId = new Map<number, { table: string; from: string[]; to: Array<string | null> }>();
      for (const f of fkRows.sort((a, b) => a.id - b.id || a.seq - b.seq)) {
        const e = byId.get(f.id) ?? { table: f.table, from: [], to: [] };
        e.from.push(f.from);
        e.to.push(f.to);
        byId.set(f.id, e);
      }
      const foreignKeys = [...byId.values()];
      return { name: r.name, columns, foreignKeys, withoutRowid: /WITHOUT\s+ROWID/i.test(r.sql ?? '') };
    });
}

export function hasColumn(t: TableInfo, col: string): boolean {
  return t.columns.some((c) => c.name === col);
}

/** Columns that may hold text (declared TEXT/CHAR/CLOB/JSON, or untyped). */
export function textColumns(t: TableInfo): string[] {
  return t.columns.filter((c) => c.type === '' || /CHAR|TEXT|CLOB|JSON|BLOB/.test(c.type)).map((c) => c.name);
}
