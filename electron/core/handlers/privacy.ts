/**
 * Privacy for Settings and the CLI. In the desktop app (electronVersion set) retention also
 * runs at start and daily, as issue 5 asks; CLI runs call `shotline retention` explicitly.
 */
import type { Handlers, privacyContract } from '../../../shared/contract';
import { filterPrompt } from '../../../shared/privacy/pii';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { clientForAccount } from '../elements/clients';
import { deleteSubjectElementsAtKling } from '../elements/erase';
import { elementsAtKling } from '../elements/library';
import { owedAsHeld } from '../elements/pending';
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
import type { CoreServices } from '../services';

export function createPrivacyHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof privacyContract> {
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
        return filterPrompt(input.text, {
          mode: input.mode ?? s.piiMode,
          terms: input.terms ?? s.piiTerms,
          maskFlagged: input.maskFlagged ?? false,
        });
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
    async 'privacy.erase'(input) {
      if (!input.dryRun) {
        // The in-app engine shares this process (the data-dir lock cannot stop it): erase
        // waits for a quiet queue, then stops the engine and the simulator so neither writes
        // the subject's records back; open batches resume afterwards.
        const engine = s.engine.running();
        if (engine && engine.engine.activeJobs > 0) {
          throw new ShotlineError({
            code: 'busy',
            where: 'queue',
            message: `${engine.engine.activeJobs} take(s) are being generated or downloaded. Pause the batches on the Queue page, wait for those takes to finish, then erase.`,
          });
        }
      }
      // The subject's elements are deleted at Kling first (the one thing Kling holds that
      // Shotline can erase), while the engine's client and the simulator still run.
      const eng = s.engine.running();
      const atKling = await deleteSubjectElementsAtKling(
        ctx.db(),
        input.subject,
        (account) =>
          clientForAccount(account, {
            db: ctx.db(),
            sandbox: () => s.sandbox.ensure(),
            secrets: s.secrets,
            running: eng ? { account: eng.elements.account, client: eng.client } : null,
          }),
        s.queue.shotsNamingElements(),
        { dryRun: input.dryRun ?? false },
      );
      if (!input.dryRun) {
        await s.engine.stop();
        await s.sandbox.stop();
      }
      const report = await run(() =>
        eraseSubject(ctx.db(), ctx.dataDir, input.subject, { dryRun: input.dryRun ?? false }),
      );
      if (!input.dryRun) await s.engine.resumeOpen().catch(() => null);
      return { ...report, deletedAtProvider: atKling.deleted, cannotErase: [...atKling.failed, ...report.cannotErase] };
    },
    'privacy.retention.rules': () => run(() => ({ rules: getRetentionRules(ctx.db()) })),
    'privacy.retention.setRule': (input) =>
      run(() => ({ rules: setRetentionRule(ctx.db(), input.rule, { remove: input.remove ?? false }) })),
    'privacy.retention.run': (input) => run(() => runRetention(ctx.db(), ctx.dataDir, { dryRun: input.dryRun })),
    async 'privacy.compliance'() {
      const db = ctx.db();
      return complianceReport({
        db,
        dataDir: ctx.dataDir,
        store: s.secrets,
        heldElements: () => [...elementsAtKling(db), ...owedAsHeld(db)],
        queueFacts: () => s.queue.resultFacts(),
      });
    },
  };
}
