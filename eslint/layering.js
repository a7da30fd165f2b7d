/**
 * The layering rule (issue 18 item 7, after VS Code's code-layering check): every relative import
 * is resolved to the file it names, that file's room is looked up, and the import is an error
 * unless the importing room's allow-list (./layers.js) names that room. The table and what the
 * rooms are for: docs/architecture.md, "Rooms". Bare specifiers (packages, node:*) are the job of
 * no-restricted-imports in eslint.config.js.
 */
import { dirname, relative, resolve, sep } from 'node:path';

import { CORE_LAYERS, RENDERER_LAYERS } from './layers.js';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/**
 * The room of a repo file: 'core:<dir>' for a folder of electron/core, 'core:<name>' for one of its
 * top-level files, 'shared', 'renderer', 'cli', 'main', 'preload', or the repo-relative path.
 */
export function roomOf(file) {
  const parts = relative(ROOT, file).split(sep);
  if (parts[0] === 'electron' && parts[1] === 'core') {
    const name = parts.length > 3 ? parts[2] : (parts[2] ?? '').replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
    return `core:${name}`;
  }
  if (parts[0] === 'electron') return parts[1] ?? 'electron';
  if (parts[0] === 'shared' || parts[0] === 'renderer') return parts[0];
  return parts.join('/');
}

/** 'core:kling/redact' style name of a file inside a core room (for file-level exceptions). */
function moduleOf(file) {
  const parts = relative(ROOT, file).split(sep);
  return parts[0] === 'electron' && parts[1] === 'core' && parts.length > 3
    ? `core:${parts[2]}/${parts
        .slice(3)
        .join('/')
        .replace(/\.[cm]?[jt]sx?$/, '')}`
    : null;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/**
 * options: { layers: { [room]: { uses: string[], types?: string[] } } }. `uses` names rooms (or
 * one module of a room, 'core:secrets/mask') the room may import; `types` those it may import
 * with `import type` only (no run-time edge). A room not in the table is not checked.
 */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between rooms follow the allow-list in eslint/layers.js (docs/architecture.md)' },
    schema: [{ type: 'object', properties: { layers: { type: 'object' } }, additionalProperties: false }],
    messages: {
      uphill:
        "{{from}} may not import {{to}} ('{{spec}}'): {{from}} uses only {{allowed}}. Move the code down to a room {{from}} may use, " +
        'or, if the design changed, add the edge to eslint/layers.js and the table in docs/architecture.md.',
      typesOnly: "{{from}} may import {{to}} ('{{spec}}') for types only: write `import type`.",
    },
  },
  create(context) {
    const layers = context.options[0]?.layers ?? {};
    const filename = context.filename;
    const from = roomOf(filename);
    const rule = layers[from];
    if (!rule) return {};
    const allows = (list, target, mod) => (list ?? []).some((r) => r === target || (mod !== null && r === mod));
    function check(node, source) {
      const spec = source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const file = resolve(dirname(filename), spec);
      const to = roomOf(file);
      if (to === from) return;
      const mod = moduleOf(file);
      if (allows(rule.uses, to, mod)) return;
      const list = [...rule.uses, ...(rule.types ?? []).map((t) => `${t} (types)`)];
      if (allows(rule.types, to, mod)) {
        if (!isTypeOnly(node)) context.report({ node: source, messageId: 'typesOnly', data: { from, to, spec } });
        return;
      }
      context.report({
        node: source,
        messageId: 'uphill',
        data: { from, to, spec, allowed: list.length ? list.join(', ') : 'nothing outside itself' },
      });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source),
    };
  },
};

export const layeringPlugin = { rules: { rooms: layeringRule }, configs: {} };
export { CORE_LAYERS, RENDERER_LAYERS };
