/**
 * Privacy for Settings and the CLI. In the desktop app (electronVersion set) retention also
 * runs at start and daily, as issue 5 asks; CLI runs call `shotline retention` explicitly.
 */
import type { Handlers, privacyContract } from '../../../shared/contract';
import { filterPrompt } from '../../../shared/privacy/pii';
import type { CoreContext } from '../context';
import {
  complianceReport,
  eraseSubject,
  exportAudit,
  getPrivacySettings,
  getRetentionRules,
  listAudit,
  runRetention,
  scheduleRetention,
  setPrivacySettings,
  setRetentionRule,
} from '../privacy';
import { createSecretStore, type SecretStore } from '../secrets';

export function createPrivacyHandlers(
  ctx: CoreContext,
  opts: { store?: SecretStore } = {},
): Handlers<typeof privacyContract> {
  let store: SecretStore | null = opts.store ?? null;
  const getStore = (): SecretStore => (store ??= createSecretStore());
  if (ctx.options.electronVersion) {
    const stop = scheduleRetention(() => void runRetention(ctx.db(), ctx.dataDir, { dryRun: false }), {
      onError: (err) =>
        ctx.emit('app.notice', { level: 'warn', message: `Retention run failed: ${(err as Error).message}` }),
    });
    ctx.onClose(stop);
  }
  // Sync work as a Promise that rejects (not throws) on error.
  const run = <T>(fn: () => T): Promise<T> => new Promise((resolve) => resolve(fn()));
  return {
    'privacy.settings.get': () => run(() => getPrivacySettings(ctx.db())),
    'privacy.settings.set': (input) => run(() => setPrivacySettings(ctx.db(), input)),
    'privacy.pii.preview': (input) =>
      run(() => {
        const s = getPrivacySettings(ctx.db());
        return filterPrompt(input.text, { mode: input.mode ?? s.piiMode, terms: input.terms ?? s.piiTerms });
      }),
    'privacy.audit.list': (input) =>
      run(() =>
        listAudit(ctx.db(), {
          limit: input.limit,
          offset: input.offset,
          ...(input.subject ? { subject: input.subject } : {}),
        }),
      ),
    'privacy.audit.export': (input) => run(() => exportAudit(ctx.db(), input.format)),
    'privacy.erase': (input) =>
      run(() => eraseSubject(ctx.db(), ctx.dataDir, input.subject, { dryRun: input.dryRun ?? false })),
    'privacy.retention.rules': () => run(() => ({ rules: getRetentionRules(ctx.db()) })),
    'privacy.retention.setRule': (input) =>
      run(() => ({ rules: setRetentionRule(ctx.db(), input.rule, { remove: input.remove ?? false }) })),
    'privacy.retention.run': (input) => run(() => runRetention(ctx.db(), ctx.dataDir, { dryRun: input.dryRun })),
    async 'privacy.compliance'() {
      return complianceReport({ db: ctx.db(), dataDir: ctx.dataDir, store: getStore() });
    },
  };
}
