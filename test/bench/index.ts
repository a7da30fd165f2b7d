/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (each default-exports a Suite, a
 * CustomBench, or a list of them) and prints side-by-side ratios. `npm run bench -- <filter>` runs the suites
 * whose file or name contains <filter>; a filter that is a file's whole stem (`cli` for cli.bench.ts)
 * runs that file only.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { formatSuite, isCustomBench, runSuite, type CustomBench, type Suite } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2]?.toLowerCase();

const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const exact = all.filter((f) => f.toLowerCase() === `${filter}.bench.ts`);
const files = exact.length ? exact : all;

console.log(`Shotline benchmarks — node ${process.versions.node}, ${process.platform}-${process.arch}`);
for (const file of files) {
  type Entry = Suite | CustomBench;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Entry | Entry[] };
  const entries = Array.isArray(mod.default) ? mod.default : [mod.default];
  for (const entry of entries) {
    if (filter && !exact.length && !file.toLowerCase().includes(filter) && !entry.name.toLowerCase().includes(filter))
      continue;
    if (isCustomBench(entry))
      console.log([`## ${entry.name}`, ...(await entry.measure()).map((l) => `  ${l}`)].join('\n'));
    else console.log(formatSuite(entry, await runSuite(entry)));
  }
}
