#!/usr/bin/env node
/**
 * Functions over 150 lines without a written reason (issue 18 item 5): `node scripts/long-functions.mjs`
 * lists every function, method or arrow function under electron/ and renderer/ longer than the
 * limit whose leading comment (the JSDoc or line comments right above it, or above the statement
 * that holds it) does not say why with `long-function: <reason>`. Exits 1 when any is listed, so
 * it can run in CI; `--all` lists the long ones with a reason too. Nested functions count on
 * their own (a 200-line component with a 160-line effect inside is listed twice).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const LIMIT = 150;
const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const ROOTS = ['electron', 'renderer'];
const showAll = process.argv.includes('--all');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const isFunction = (n) =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessorDeclaration(n) ||
  ts.isSetAccessorDeclaration(n);

/** The function's name for the report: its own, or the variable, property or call it sits in. */
function nameOf(n) {
  if (n.name && ts.isIdentifier(n.name)) return n.name.text;
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name) return p.name.getText();
  if (p && ts.isCallExpression(p)) return `(callback of ${p.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

/** The comments above the function and above each enclosing node that starts on the same line chain. */
function reasonOf(n, sf) {
  const text = sf.getFullText();
  for (let cur = n; cur && cur !== sf; cur = cur.parent) {
    const ranges = ts.getLeadingCommentRanges(text, cur.getFullStart()) ?? [];
    for (const r of ranges) {
      const m = /long-function:\s*(.+)/.exec(text.slice(r.pos, r.end));
      if (m) return m[1].replace(/\*\/\s*$/, '').trim();
    }
    // Stop at the statement that holds the function: a reason above an outer function is not this one's.
    if (ts.isStatement(cur) || ts.isClassElement(cur) || ts.isPropertyAssignment(cur)) break;
  }
  return null;
}

const found = [];
for (const root of ROOTS) {
  for (const abs of files(join(ROOT, root))) {
    const src = readFileSync(abs, 'utf8');
    const sf = ts.createSourceFile(
      abs,
      src,
      ts.ScriptTarget.Latest,
      true,
      abs.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const visit = (n) => {
      if (isFunction(n)) {
        const start = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
        const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
        const lines = end - start + 1;
        if (lines > LIMIT) {
          const file = relative(ROOT, abs).split(sep).join('/');
          found.push({ file, start, lines, name: nameOf(n), reason: reasonOf(n, sf) });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
}

found.sort((a, b) => b.lines - a.lines);
const unexplained = found.filter((f) => !f.reason);
for (const f of showAll ? found : unexplained)
  console.log(
    `${String(f.lines).padStart(5)} lines  ${f.file}:${f.start}  ${f.name}${f.reason ? `  (long-function: ${f.reason})` : ''}`,
  );
console.log(
  `${unexplained.length} function(s) over ${LIMIT} lines without a written reason; ${found.length - unexplained.length} with one.`,
);
process.exit(unexplained.length ? 1 : 0);
