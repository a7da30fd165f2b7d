/** Types of scripts/build-cli.mjs for TypeScript callers (test/integration/cli-bundle.test.ts). */
export const ROOT: string;
export const ENTRY: string;
export const BUNDLE: string;
export const EXTERNAL: string[];
export function buildCli(out?: string): Promise<{ file: string; inputs: string[] }>;
export function isStale(out?: string): boolean;
export function ensureCli(out?: string): Promise<string>;
