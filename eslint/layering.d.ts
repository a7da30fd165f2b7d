/** Types of eslint/layering.js for TypeScript callers (test/unit/lint/layering.test.ts). */
import type { Rule } from 'eslint';

export function roomOf(file: string): string;
export const layeringRule: Rule.RuleModule;
export const layeringPlugin: { rules: Record<string, Rule.RuleModule> };
export const CORE_LAYERS: Record<string, { uses: string[]; types?: string[] }>;
export const RENDERER_LAYERS: Record<string, { uses: string[]; types?: string[] }>;
