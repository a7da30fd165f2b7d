/**
 * `keys test`: one cheap authenticated call with a profile's key. GET /account/costs where
 * the provider has it (Kling, the sandbox); a one-item task list otherwise (CometAPI).
 * The answer is described in words; the key never appears in it.
 */
import type { KeyTestResult } from '../../../shared/contract/secrets';
import { PROVIDERS } from '../../../shared/kling/providers';
import { toErrorInfo } from '../../../shared/result';
import { createKlingClient, type KlingRequestInfo } from '../kling';
import type { StoredProfile } from './store';

export async function testProfile(
  profile: StoredProfile,
  opts: { fetch?: typeof fetch; onRequest?: (info: KlingRequestInfo) => void; now?: () => number } = {},
): Promise<KeyTestResult> {
  const provider = PROVIDERS[profile.provider];
  let host = '';
  try {
    const client = createKlingClient({
      provider: profile.provider,
      ...(profile.region ? { region: profile.region } : {}),
      // Only the profile's own host (issue 16.1): no caller can point the key elsewhere.
      ...(profile.baseUrl ? { baseUrl: profile.baseUrl } : {}),
      credentials: profile.credentials,
      timeoutMs: 15_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
    });
    host = new URL(client.baseUrl).host;
    const end = (opts.now ?? Date.now)();
    if (provider.supportsAccountCosts) {
      const packs = await client.accountCosts({ startTime: end - 30 * 86_400_000, endTime: end });
      const remaining = packs.reduce((s, p) => s + p.remaining, 0);
      return {
        ok: true,
        profile: profile.name,
        provider: profile.provider,
        host,
        code: null,
        message: `GET /account/costs on ${host} accepted the key: ${packs.length} resource pack(s), ${remaining} units remaining.`,
      };
    }
    await client.listTasks('text2video', { pageNum: 1, pageSize: 1 });
    return { ok: true, profile: profile.name, provider: profile.provider, host, code: null, message: `GET task list on ${host} accepted the key.` };
  } catch (err) {
    const info = toErrorInfo(err);
    return { ok: false, profile: profile.name, provider: profile.provider, host, code: info.code, message: info.message };
  }
}
