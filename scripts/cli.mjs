#!/usr/bin/env node
/**
 * `npm run cli -- <args>`: runs the bundled CLI (out/cli/shotline.mjs), building it first when it
 * is missing or older than its sources (scripts/build-cli.mjs), in this same process.
 */
import { pathToFileURL } from 'node:url';

import { ensureCli } from './build-cli.mjs';

await import(pathToFileURL(await ensureCli()).href);
