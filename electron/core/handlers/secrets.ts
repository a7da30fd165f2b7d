/** Key profiles for Settings: masked out, secrets in only (see shared/contract/secrets.ts). */
import type { Handlers, secretsContract } from '../../../shared/contract';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { auditFromKlingRequest, recordAudit } from '../privacy';
import { testProfile } from '../secrets';
import type { CoreServices } from '../services';

export function createSecretsHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof secretsContract> {
  const getStore = () => s.secrets;
  return {
    async 'secrets.list'() {
      return getStore().list();
    },
    async 'secrets.set'(input) {
      return getStore().set(input);
    },
    async 'secrets.delete'(input) {
      return { deleted: await getStore().delete(input.name, input.provider) };
    },
    async 'secrets.test'(input) {
      const profile = await getStore().get(input.name);
      if (!profile) {
        throw new ShotlineError({
          code: 'not_found',
          where: `profile "${input.name}"`,
          message: `No key profile named "${input.name}": add it in Settings > Keys or with \`shotline keys set\`.`,
        });
      }
      const db = ctx.db();
      // Only the profile's own provider and host: the caller cannot name one (test-key.ts).
      return testProfile(profile, {
        onRequest: (info) => recordAudit(db, auditFromKlingRequest(db, info)),
      });
    },
  };
}
