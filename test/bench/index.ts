/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (each default-exports a Suite or a
 * list of them) and prints side-by-side ratios. `npm run bench -- <filter>` runs the suites
 * whose file or name contains <filter>.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { formatSuite, runSuite, type Suite } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2]?.toLowerCase();

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

console.log(`Shotline benchmarks — node ${process.versions.node}, ${process.platform}-${process.arch}`);
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Suite | Suite[] };
  const suites = Array.isArray(mod.default) ? mod.default : [mod.default];
  for (const suite of suites) {
    if (filter && !file.toLowerCase().includes(filter) && !suite.name.toLowerCase().includes(filter)) continue;
    console.log(formatSuite(suite, await runSuite(suite)));
  }
}
