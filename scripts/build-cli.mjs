#!/usr/bin/env node
/**
 * Bundles the `shotline` CLI (electron/cli/index.ts with everything it imports from
 * electron/core, shared/ and zod) into one file, out/cli/shotline.cjs, with esbuild (issue 18
 * item 10: a CLI that starts like a tool instead of compiling TypeScript through tsx at every
 * start). The native modules stay external and load from node_modules at run time: better-sqlite3
 * (its .node file is built for Node's ABI there, see scripts/electron-native.mjs) and keytar.
 * CommonJS, not ESM: V8 compiles a CommonJS file's functions lazily, while an ES module of this
 * size (1.5 MB) is parsed whole before the first line runs (0.6 s against 0.3 s for `--version`
 * on the 2-core CI machine, measured while building this; `npm run bench -- cli` has the figures).
 *
 * `node scripts/build-cli.mjs` builds; `--if-stale` builds only when the bundle is missing or one of
 * its inputs (listed by esbuild in out/cli/shotline.meta.json) changed or went away; `--out FILE`
 * writes elsewhere (tests). `npm run build` runs it after electron-vite; scripts/cli.mjs
 * (`npm run cli`) calls ensureCli() before it runs the bundle. docs/architecture.md, "The CLI bundle".
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = join(ROOT, 'electron/cli/index.ts');
export const BUNDLE = join(ROOT, 'out/cli/shotline.cjs');
/** Loaded from node_modules at run time; electron-builder.yml unpacks them from the asar. */
export const EXTERNAL = ['better-sqlite3', 'keytar'];

/**
 * zod re-exports its 48 message locales as `z.locales` (392 KiB, a quarter of the bundle); the core
 * never switches locale (zod's default is English, set in zod/v4/classic/external.js), so the
 * bundle gets English only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

const metaFile = (out) => out.replace(/\.c?js$/, '') + '.meta.json';

/**
 * Builds the bundle into `out` (written beside it first, then renamed, so a CLI started during
 * a build never reads half a file and two builds at once leave one whole file).
 */
export async function buildCli(out = BUNDLE) {
  const { build } = await import('esbuild');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const started = new Date();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    plugins: [zodEnglishOnly],
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  // Files only: a plugin's virtual module (namespace:path) has no date of its own.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !/^[a-z-]+:/.test(p))
    .map((p) => resolve(ROOT, p));
  // Stamped with the build's start: a source saved while esbuild ran still counts as newer.
  utimesSync(tmp, started, started);
  renameSync(tmp, out);
  writeFileSync(metaFile(out), `${JSON.stringify({ entry: ENTRY, external: EXTERNAL, inputs }, null, 1)}\n`);
  return { file: out, inputs };
}

/** True when `out` is missing or older than one of the inputs of its last build. */
export function isStale(out = BUNDLE) {
  if (!existsSync(out) || !existsSync(metaFile(out))) return true;
  const built = statSync(out).mtimeMs;
  let inputs;
  try {
    ({ inputs } = JSON.parse(readFileSync(metaFile(out), 'utf8')));
  } catch {
    return true;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return true;
  for (const f of [...inputs, join(ROOT, 'package.json')]) {
    try {
      if (statSync(f).mtimeMs > built) return true;
    } catch {
      return true; // an input went away: a rebuild says whether that matters
    }
  }
  return false;
}

/** The bundle's path, built first when stale. */
export async function ensureCli(out = BUNDLE) {
  if (isStale(out)) await buildCli(out);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const o = args.indexOf('--out');
  const out = o >= 0 && args[o + 1] ? resolve(args[o + 1]) : BUNDLE;
  if (args.includes('--if-stale') && !isStale(out)) process.exit(0);
  const t0 = performance.now();
  const { file, inputs } = await buildCli(out);
  process.stderr.write(
    `[build-cli] ${file.slice(ROOT.length + 1)}: ${(statSync(file).size / 1024).toFixed(0)} KiB from ${inputs.length} inputs in ${Math.round(performance.now() - t0)} ms\n`,
  );
}
