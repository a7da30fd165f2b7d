/**
 * `keys test`: one free authenticated call with a profile's key, to the profile's own provider
 * and host only (its region's official host, or the custom host stored with the profile; never
 * a host the caller names, so a key cannot be sent somewhere to be caught). The standard the
 * key speaks decides the call (kling-api.md §4.2): an API key on the new standard asks
 * `GET /tasks?task_ids=0` (free; an unknown id is simply absent), AK/SK or a gateway asks
 * for a one-item legacy task list. The answer is described in words; the key never appears.
 */
import type { KeyTestResult } from '../../../shared/contract/secrets';
import { DEFAULT_MODEL } from '../../../shared/kling/capabilities';
import { toErrorInfo } from '../../../shared/result';
import { createKlingClient, type KlingRequestInfo } from '../kling';
import { legacyPathOf } from '../kling/legacy';
import type { StoredProfile } from './store';

export async function testProfile(
  profile: StoredProfile,
  opts: { fetch?: typeof fetch; onRequest?: (info: KlingRequestInfo) => void; now?: () => number } = {},
): Promise<KeyTestResult> {
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
      ...(opts.now ? { now: opts.now } : {}),
    });
    host = new URL(client.baseUrl).host;
    const ref = { model: DEFAULT_MODEL, kind: 'text2video' as const };
    const ok = (message: string): KeyTestResult => ({
      ok: true,
      profile: profile.name,
      provider: profile.provider,
      host,
      code: null,
      message,
    });
    if (client.standard === 'new') {
      await client.getTasks([{ ref, taskId: '0' }]);
      return ok(`GET /tasks?task_ids=0 on ${host} accepted the API key (Kling's new API; free, nothing created).`);
    }
    await client.listTasks(ref, { pageNum: 1, pageSize: 1 });
    return ok(
      `GET ${legacyPathOf(ref)} on ${host} accepted the ${profile.credentials.kind === 'aksk' ? 'access key + secret key' : 'API key'} (Kling's legacy /v1 API; free, nothing created).`,
    );
  } catch (err) {
    const info = toErrorInfo(err);
    return {
      ok: false,
      profile: profile.name,
      provider: profile.provider,
      host,
      code: info.code,
      message: info.message,
    };
  }
}
