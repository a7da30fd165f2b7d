/**
 * `shotline compliance` and Settings > Compliance: checks a privacy officer can read, each
 * PASS / WARN / FAIL with the fix. Inputs are the data dir's database, the keychain
 * profiles (masked view only) and the environment; nothing here needs the network.
 * complianceReport gathers those once (Facts) and runs the checks of CHECKS in order, one
 * function each (issue 18 item 5).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

import type Database from 'better-sqlite3';

import type { ComplianceCheck, ComplianceReport } from '../../../shared/contract/privacy';
import type { ProfileInfo } from '../../../shared/contract/secrets';
import { PROVIDERS } from '../../../shared/kling/providers';
import { childEnv } from '../child-env';
import { credentialsFromEnv } from '../secrets/resolve';
import type { SecretStore } from '../secrets/store';
import { insideDataDir } from './files';
import { findTool } from '../media/locate';
import { relToDataDir } from './files';
import { getRetentionRules, mediaInventory } from './retention';
import { getPrivacySettings } from './settings';

/** An element Kling holds (ready, being deleted, or blocked), as the element library lists it. */
export interface HeldElement {
  kling_id: string | null;
  alias: string;
  subject: string | null;
  account: string;
}

/** What the queue tells the report: takes that reached the provider, and each take with a result. */
export interface QueueFacts {
  submitted: number;
  results: ReadonlyArray<{ file: string | null; url: string | null; state: string; expiresAt: string | null }>;
}

export interface ComplianceInput {
  db: Database.Database;
  dataDir: string;
  store: SecretStore;
  /**
   * The elements Kling holds, oldest first, from their owner (elementsAtKling in
   * electron/core/elements/library.ts); given by the caller, as privacy sits below elements.
   */
  heldElements: () => readonly HeldElement[];
  /**
   * The queue's takes as the audit and results checks judge them, from their owner
   * (QueueStore.resultFacts in electron/core/queue/store.ts); given by the caller, as privacy
   * may not import the queue (eslint/layers.js).
   */
  queueFacts: () => QueueFacts;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostOf(p: ProfileInfo): { url: string; location: string } {
  const spec = PROVIDERS[p.provider];
  const region = spec.regions.find((r) => r.id === (p.region ?? spec.defaultRegion)) ?? spec.regions[0];
  return { url: p.baseUrl ?? region?.baseUrl ?? '', location: region?.location ?? 'unknown' };
}

/**
 * What every check reads: the keychain's masked view, the environment, the database. Gathered
 * once by complianceReport; each check below is one function that adds its line.
 */
interface Facts {
  db: Database.Database;
  heldElements: ComplianceInput['heldElements'];
  dataDir: string;
  store: SecretStore;
  env: NodeJS.ProcessEnv;
  now: Date;
  listed: Awaited<ReturnType<SecretStore['list']>>;
  /** Profiles of real providers (not the simulator). */
  real: ProfileInfo[];
  /** Which kind of key the environment holds, if any. */
  envKind: ReturnType<typeof credentialsFromEnv>;
  queue: QueueFacts;
}

type Add = (id: string, status: ComplianceCheck['status'], title: string, detail: string, fix?: string) => void;

/** The checks in the order the report lists them (ids are stable: the CLI's --json and the Settings page show them). */
const CHECKS: Array<(f: Facts, add: Add) => void | Promise<void>> = [
  checkKeyStorage,
  checkTransport,
  checkPiiFilter,
  checkAuditLog,
  checkKeyAge,
  checkProfilesPerEnvironment,
  checkResultsDownloaded,
  checkExportMetadata,
  checkRetention,
  checkResidency,
  checkElementsAtKling,
];

export async function complianceReport(input: ComplianceInput): Promise<ComplianceReport> {
  const { db, dataDir } = input;
  const env = input.env ?? process.env;
  const now = input.now ?? new Date();
  const checks: ComplianceCheck[] = [];
  const add: Add = (id, status, title, detail, fix = '') => {
    checks.push({ id, status, title, detail, fix: status === 'pass' ? '' : fix });
  };
  const listed = await input.store.list();
  const facts: Facts = {
    db,
    heldElements: input.heldElements,
    dataDir,
    store: input.store,
    env,
    now,
    listed,
    real: listed.profiles.filter((p) => !PROVIDERS[p.provider].simulator),
    envKind: credentialsFromEnv(env, 'kling'),
    queue: input.queueFacts(),
  };
  for (const check of CHECKS) await check(facts, add);

  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status]++;
  return { time: now.toISOString(), checks, summary, ok: summary.fail === 0 };
}

/** 1. Where the keys live. */
function checkKeyStorage({ listed, real, envKind, store }: Facts, add: Add): void {
  if (listed.keychain.status === 'unavailable') {
    if (envKind)
      add(
        'keys-storage',
        'warn',
        'Keys',
        `The OS keychain is not available; keys come from environment variables.`,
        'Unlock or install the OS keychain and store the keys (Settings > Key profiles > Add profile, or `shotline keys set`); then unset SHOTLINE_ACCESS_KEY, SHOTLINE_SECRET_KEY and SHOTLINE_API_KEY.',
      );
    else
      add(
        'keys-storage',
        'fail',
        'Keys',
        `The OS keychain is not available and no key is configured: ${listed.keychain.message ?? ''}`,
        'Unlock the OS keychain, then add a key: in the app Settings > Key profiles > Add profile; CLI `shotline keys set --profile NAME --provider kling` (the key is read from stdin).',
      );
  } else if (real.length && envKind) {
    add(
      'keys-storage',
      'warn',
      'Keys',
      `${real.length} profile(s) in the OS keychain, but key environment variables are also set in this shell.`,
      'Unset SHOTLINE_ACCESS_KEY, SHOTLINE_SECRET_KEY and SHOTLINE_API_KEY.',
    );
  } else if (real.length) {
    add(
      'keys-storage',
      'pass',
      'Keys',
      `${real.length} key profile(s) stored in the OS keychain (service ${store.keychain.service}); none in files, SQLite or logs.`,
    );
  } else if (envKind) {
    add(
      'keys-storage',
      'warn',
      'Keys',
      'Keys come from environment variables (visible in shell history, process listings, CI logs).',
      'Store them in the OS keychain (Settings > Key profiles > Add profile, or `shotline keys set`) and unset the variables.',
    );
  } else {
    // With no key anywhere every batch runs on the local simulator: nothing leaves the machine,
    // so this is a warning (a real key is needed for real videos), not a failure.
    add(
      'keys-storage',
      'warn',
      'Keys',
      listed.profiles.length
        ? 'Only sandbox profiles: batches run on the simulator (test clips, no cost); no real provider key yet.'
        : 'No key profile yet: batches run on the Kling sandbox, a local simulator (test clips, no cost, nothing sent to Kling).',
      'To make real videos add a Kling key: in the app Settings > Key profiles > Add profile; CLI `shotline keys set --profile NAME --provider kling` (reads the key from stdin).',
    );
  }
}

/** 2. Transport. */
function checkTransport({ listed, env }: Facts, add: Add): void {
  const insecure: string[] = [];
  const urls = [...listed.profiles.map((p) => hostOf(p).url), env.SHOTLINE_BASE_URL ?? ''].filter(Boolean);
  for (const u of urls) {
    try {
      const url = new URL(u);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) insecure.push(u);
    } catch {
      insecure.push(u);
    }
  }
  if (insecure.length)
    add(
      'https',
      'fail',
      'HTTPS to the provider',
      `Not HTTPS: ${insecure.join(', ')}.`,
      'Use the https base URL of the provider (plain http is allowed only for the local sandbox on 127.0.0.1).',
    );
  else
    add(
      'https',
      'pass',
      'HTTPS to the provider',
      'Every provider host is https (plain http only on loopback, for the sandbox); the client refuses anything else.',
    );
}

/** 3. PII filter. */
function checkPiiFilter({ db }: Facts, add: Add): void {
  const settings = getPrivacySettings(db);
  if (settings.piiMode === 'allow')
    add(
      'pii-filter',
      'fail',
      'PII filter',
      'Mode "allow": emails, phone numbers, card numbers and IBANs in prompts are sent as they are.',
      'Settings > Privacy: choose mask or block as the PII mode and save.',
    );
  else if (settings.piiTerms.length === 0)
    add(
      'pii-filter',
      'warn',
      'PII filter',
      `Mode "${settings.piiMode}" for emails, phones, cards and IBANs, but no client names or code names are defined.`,
      'Settings > Privacy: add client names and product code names as terms.',
    );
  else
    add(
      'pii-filter',
      'pass',
      'PII filter',
      `Mode "${settings.piiMode}"; ${settings.piiTerms.length} user-defined term(s).`,
    );
}

/** 4. Audit log. */
function checkAuditLog({ db, queue }: Facts, add: Add): void {
  const triggers = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
    .all() as Array<{ name: string }>;
  const auditCount = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const submitted = queue.submitted;
  if (triggers.length < 2)
    add(
      'audit-log',
      'fail',
      'Audit log (Art. 30)',
      'The append-only triggers on audit_log are missing: the record could be altered.',
      'Restore the database from a backup or open it with this Shotline version to re-apply migrations.',
    );
  else if (submitted > 0 && auditCount === 0)
    add(
      'audit-log',
      'warn',
      'Audit log (Art. 30)',
      `${submitted} job(s) reached the provider but the audit log is empty.`,
      'Update Shotline: every request must be logged; report this as a bug.',
    );
  else
    add(
      'audit-log',
      'pass',
      'Audit log (Art. 30)',
      `On and append-only (${auditCount} row(s)); export with \`shotline audit --csv\`.`,
    );
}

/** 5. Key age. */
function checkKeyAge({ listed, real, envKind }: Facts, add: Add): void {
  const due = listed.profiles.filter((p) => p.rotationDue);
  if (due.length)
    add(
      'key-age',
      'warn',
      'Key rotation',
      due.map((p) => `"${p.name}" (${p.provider}) last rotated ${p.ageDays} days ago`).join('; ') + '.',
      'Create a new key in the provider console, store it (Settings > Key profiles: delete the profile and add it again with the new key, or `shotline keys set --profile NAME`), and revoke the old one.',
    );
  else if (!real.length && envKind)
    add(
      'key-age',
      'warn',
      'Key rotation',
      'Keys from environment variables have no recorded rotation date.',
      'Store keys in the keychain so their age is tracked.',
    );
  else
    add(
      'key-age',
      'pass',
      'Key rotation',
      listed.profiles.length
        ? `All keys rotated within 90 days (oldest ${Math.max(...listed.profiles.map((p) => p.ageDays))} days).`
        : 'No stored keys.',
    );
}

/** 6. Profiles per environment. */
function checkProfilesPerEnvironment({ listed, real }: Facts, add: Add): void {
  const envs = new Set(real.map((p) => p.environment));
  const shared = real.filter((a) =>
    real.some(
      (b) => b !== a && b.environment !== a.environment && b.maskedKey === a.maskedKey && b.provider === a.provider,
    ),
  );
  if (shared.length)
    add(
      'profiles-per-env',
      'fail',
      'Separate keys per environment',
      `The same key is used in ${[...new Set(shared.map((p) => p.environment))].join(' and ')} (${shared.map((p) => `"${p.name}"`).join(', ')}).`,
      'Create a separate key for each environment in the provider console.',
    );
  else if (
    real.length &&
    !real.some((p) => p.environment !== 'prod') &&
    !listed.profiles.some((p) => PROVIDERS[p.provider].simulator)
  )
    add(
      'profiles-per-env',
      'warn',
      'Separate keys per environment',
      'Only production keys: trials and tests would spend production credit under the production identity.',
      'Add a test profile (environment test) or use the sandbox provider for trials.',
    );
  else
    add(
      'profiles-per-env',
      'pass',
      'Separate keys per environment',
      real.length
        ? `Environments: ${[...envs].join(', ') || 'prod'}${listed.profiles.some((p) => PROVIDERS[p.provider].simulator) ? ', sandbox' : ''}.`
        : 'No production keys yet.',
    );
}

/**
 * 7. Results downloaded (result URLs expire after 30 days). From the queue's takes (queueFacts): a
 * finished take must have its clip on disk; one the provider finished but Shotline did not
 * download lives only behind a URL that dies 30 days after generation. In-flight takes are not
 * judged; done takes whose clip retention removed (file NULL) are fine and counted.
 */
function checkResultsDownloaded({ dataDir, now, queue }: Facts, add: Add): void {
  const rows = queue.results;
  const onDisk = (f: string | null): boolean => !!f && existsSync(insideDataDir(dataDir, f) ?? f);
  const nowMs = now.getTime();
  let kept = 0;
  let retired = 0;
  let missing = 0;
  let urlOnly = 0;
  let expired = 0;
  for (const r of rows) {
    if (onDisk(r.file)) kept++;
    else if (r.state === 'done' && r.file === null) retired++;
    else if (r.state === 'done') missing++;
    else if (!['failed', 'canceled', 'blocked'].includes(r.state))
      continue; // still working on it
    else if (r.url) {
      urlOnly++;
      if (r.expiresAt && Date.parse(r.expiresAt) < nowMs) expired++;
    }
  }
  const judged = kept + retired + missing + urlOnly;
  const retiredNote = retired
    ? ` ${retired} finished take(s) had their clip removed on purpose (retention); their jobs stay done with no file.`
    : '';
  const problems: string[] = [];
  if (urlOnly)
    problems.push(
      `${urlOnly} of ${judged} result(s) exist only as a provider URL, which expires 30 days after generation${expired ? ` (${expired} already expired: those results are lost)` : ''}`,
    );
  if (missing)
    problems.push(
      `${missing} finished take(s) point at a clip that is no longer on disk (deleted outside Shotline), so the jobs say done without a local result`,
    );
  if (problems.length) {
    const fixes: string[] = [];
    if (urlOnly)
      fixes.push(
        'Run `shotline run` on the storyboard again (it resumes downloads without resubmitting); expired results must be rerolled',
      );
    if (missing)
      fixes.push(
        'delete clips with `shotline retention` or `shotline erase` so the jobs record it, and reroll a take deleted by mistake (Takes page)',
      );
    add(
      'results-downloaded',
      'warn',
      'Results kept locally',
      `${problems.join('; ')}.${retiredNote}`,
      `${fixes.join('; ')}.`,
    );
  } else
    add(
      'results-downloaded',
      'pass',
      'Results kept locally',
      `All ${kept} result(s) downloaded into the data dir.${retiredNote}`,
    );
}

/** 8. Export metadata: the setting, and the newest exported edits as they are on disk. */
async function checkExportMetadata({ db, dataDir }: Facts, add: Add): Promise<void> {
  const settings = getPrivacySettings(db);
  const leaky = await editsWithMetadata(db, dataDir);
  if (leaky.length)
    add(
      'export-metadata',
      'warn',
      'Export metadata',
      `Exported edits carry metadata: ${leaky.join('; ')}.`,
      'Turn on "strip export metadata" in Settings > Privacy and export again (ffmpeg -map_metadata -1).',
    );
  else if (settings.stripExportMetadata)
    add(
      'export-metadata',
      'pass',
      'Export metadata',
      'Stripping is on; no title, comment or prompt tags found in the newest exported edits.',
    );
  else
    add(
      'export-metadata',
      'warn',
      'Export metadata',
      'Stripping is off: exported edits may carry titles, comments or tool tags into client deliveries.',
      'Settings > Privacy: turn on "strip export metadata".',
    );
}

/** 9. Retention. */
function checkRetention({ db }: Facts, add: Add): void {
  const rules = getRetentionRules(db);
  if (rules.length)
    add(
      'retention',
      'pass',
      'Retention',
      `${rules.length} rule(s): ${rules.map((r) => `${r.project === '*' ? 'default' : `"${r.project}"`}: raw takes ${r.rawTakesDaysAfterExport ?? '∞'} days after export`).join('; ')}.`,
    );
  else
    add(
      'retention',
      'warn',
      'Retention',
      'No retention rule: raw takes and input images are kept forever.',
      "`shotline retention --project '*' --raw-after-export 30` or Settings > Privacy > Retention.",
    );
}

/** 10. Data residency. */
function checkResidency({ listed, real }: Facts, add: Add): void {
  const places = new Map<string, string>();
  for (const p of listed.profiles)
    places.set(`${p.provider}:${p.region ?? 'default'}`, `${PROVIDERS[p.provider].label}: ${hostOf(p).location}`);
  const remote = real.map((p) => hostOf(p).location);
  if (!remote.length)
    add(
      'residency',
      'pass',
      'Data residency',
      places.size ? `Only ${[...places.values()].join('; ')}.` : 'No provider configured yet.',
    );
  else {
    const china = remote.some((l) => /china/i.test(l));
    add(
      'residency',
      'warn',
      'Data residency',
      `Prompts and images go to ${[...places.values()].join('; ')}: outside the EU/EEA${china ? ', including mainland China (PIPL applies)' : ''}.`,
      'Document the transfer (Art. 46 SCCs or a client agreement), tell data subjects, and prefer the Singapore host over Beijing for EU work.',
    );
  }
}

/**
 * 11. Elements held at Kling (images of a person or product; electron/core/elements), as the
 * caller's heldElements lists them: privacy sits below the element library (eslint/layers.js).
 */
function checkElementsAtKling({ heldElements }: Facts, add: Add): void {
  const held = heldElements();
  const line = (e: (typeof held)[number]): string =>
    `element ${e.kling_id ?? '-'} (${e.alias}${e.subject ? `, subject ${e.subject}` : ''}) in ${e.account}`;
  const atReal = held.filter((e) => !e.account.startsWith('sandbox@'));
  if (!held.length)
    add('elements-at-kling', 'pass', 'Elements held at Kling', 'No element of this library is held at Kling.');
  else if (!atReal.length)
    add(
      'elements-at-kling',
      'pass',
      'Elements held at Kling',
      `Only at the local simulator: ${held.map(line).join('; ')}.`,
    );
  else {
    add(
      'elements-at-kling',
      'warn',
      'Elements held at Kling',
      `${atReal.length} element(s) made from images of a person or product are held at Kling until deleted: ${atReal.map(line).join('; ')}.`,
      "`shotline erase --subject ID` deletes a subject's elements at Kling (and everything local); `shotline elements delete KEY` or the Elements page deletes one.",
    );
  }
}

/** Container tags that say nothing about content; anything else (title, comment, ...) is flagged. */
const BENIGN_TAGS = new Set([
  'major_brand',
  'minor_version',
  'compatible_brands',
  'encoder',
  'creation_time',
  'handler_name',
  'vendor_id',
  'language',
]);

async function editsWithMetadata(db: Database.Database, dataDir: string): Promise<string[]> {
  const edits = mediaInventory(db, dataDir)
    .filter((i) => i.kind === 'edit')
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, 5);
  const ffprobe = edits.length ? findTool('ffprobe').path : null;
  if (!ffprobe) return [];
  const out: string[] = [];
  for (const e of edits) {
    try {
      const { stdout } = await promisify(execFile)(
        ffprobe,
        ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', e.path],
        { timeout: 15_000, env: childEnv() },
      );
      const tags = Object.keys(
        (JSON.parse(stdout) as { format?: { tags?: Record<string, string> } }).format?.tags ?? {},
      ).filter((t) => !BENIGN_TAGS.has(t.toLowerCase()));
      if (tags.length) out.push(`${relToDataDir(dataDir, e.path)} (${tags.join(', ')})`);
    } catch {
      // Not a media file ffprobe can read: nothing to report here.
    }
  }
  return out;
}
