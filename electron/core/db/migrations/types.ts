import type Database from 'better-sqlite3';

export interface Migration {
  /** A step of the one sequence (./index.ts): strictly increasing, at least 110; becomes PRAGMA user_version once applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
