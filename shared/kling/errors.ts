/**
 * Kling business codes (kling-api.md §5.1) as data. `retryable` follows Kling's suggested
 * fixes (our classification, not an official field); `needsUser` means a person must act
 * (credentials, balance, permission, content) before the job can go on.
 * Classify by `code`, never by HTTP status: 429 carries both balance (1100-1102) and
 * throttling (1302/1303).
 */

export type KlingErrorCategory =
  'auth' | 'account' | 'permission' | 'params' | 'policy' | 'throttle' | 'server' | 'transport';

export interface KlingCodeInfo {
  code: number;
  httpStatus: number;
  category: KlingErrorCategory;
  retryable: boolean;
  needsUser: boolean;
  /** Kling's meaning. */
  meaning: string;
  /** What a person should do. */
  fix: string;
}

const row = (
  code: number,
  httpStatus: number,
  category: KlingErrorCategory,
  retryable: boolean,
  needsUser: boolean,
  meaning: string,
  fix: string,
): KlingCodeInfo => ({ code, httpStatus, category, retryable, needsUser, meaning, fix });

export const KLING_CODES: Record<number, KlingCodeInfo> = Object.fromEntries(
  [
    row(
      1000,
      401,
      'auth',
      false,
      true,
      'authentication failed',
      'check the access key and secret key (or API key) in Settings',
    ),
    row(
      1001,
      401,
      'auth',
      false,
      true,
      'Authorization header empty',
      'set an access key and secret key (or an API key) in Settings',
    ),
    row(
      1002,
      401,
      'auth',
      false,
      true,
      'Authorization invalid',
      'the key or its signature is wrong: re-enter the secret key in Settings',
    ),
    row(
      1003,
      401,
      'auth',
      true,
      false,
      'token not yet valid',
      "the computer's clock is ahead: the client re-signs with the server's time; fix the system clock if it persists",
    ),
    row(
      1004,
      401,
      'auth',
      true,
      false,
      'token expired',
      'the client re-signs the token; if it persists, fix the system clock',
    ),
    row(1100, 429, 'account', false, true, 'account exception', 'check the account status in the Kling console'),
    row(1101, 429, 'account', false, true, 'account in arrears', 'recharge the post-paid account in the Kling console'),
    row(
      1102,
      429,
      'account',
      false,
      true,
      'resource pack used up or expired',
      'buy or renew a resource pack in the Kling console, then resume',
    ),
    row(
      1103,
      403,
      'permission',
      false,
      true,
      'no permission for this API or model',
      'pick a model your account may use, or ask Kling to enable it',
    ),
    row(1200, 400, 'params', false, true, 'invalid request parameters', 'fix the shot named in the message'),
    row(1201, 400, 'params', false, true, 'invalid parameter', 'fix the field named in the message'),
    row(
      1202,
      404,
      'params',
      false,
      true,
      'invalid request method',
      'the provider does not offer this endpoint; pick another provider',
    ),
    row(1203, 404, 'params', false, true, 'requested resource does not exist', 'check the model name or the task id'),
    row(1300, 400, 'policy', false, true, 'platform policy triggered', 'change the prompt or images'),
    row(1301, 400, 'policy', false, true, 'content-safety policy triggered', 'change the prompt or images'),
    row(1302, 429, 'throttle', true, false, 'requests too fast', 'wait and retry with backoff'),
    row(
      1303,
      429,
      'throttle',
      true,
      false,
      'parallel task over resource pack limit',
      'wait for running tasks to finish, then retry',
    ),
    row(
      1304,
      429,
      'policy',
      false,
      true,
      'IP-whitelist policy',
      'add this machine to the IP whitelist in the Kling console',
    ),
    row(5000, 500, 'server', true, false, 'internal server error', 'retry later'),
    row(5001, 503, 'server', true, false, 'service temporarily unavailable', 'Kling is in maintenance; retry later'),
    row(5002, 504, 'server', true, false, 'internal timeout', 'Kling is backlogged; retry later'),
  ].map((r) => [r.code, r]),
);

/** Info for any code; unknown codes are classified by their thousand/hundred block. */
export function klingCodeInfo(code: number, httpStatus?: number): KlingCodeInfo {
  const known = KLING_CODES[code];
  if (known) return known;
  const status = httpStatus ?? 0;
  if (code >= 5000 || status >= 500)
    return row(code, status || 500, 'server', true, false, 'server error', 'retry later');
  if (code >= 1000 && code < 1100)
    return row(code, status || 401, 'auth', false, true, 'authentication error', 'check the keys in Settings');
  if (code >= 1100 && code < 1200)
    return row(code, status || 429, 'account', false, true, 'account error', 'check the account in the Kling console');
  if (code >= 1300 && code < 1400)
    return row(code, status || 400, 'policy', false, true, 'policy error', 'change the input');
  return row(code, status || 400, 'params', false, true, 'request refused', 'fix the request');
}

/** One sentence a person can act on, e.g. "Kling 1303 (parallel task over ...): wait ...". */
export function describeKlingCode(code: number, serverMessage?: string | null, httpStatus?: number): string {
  const info = klingCodeInfo(code, httpStatus);
  const said =
    serverMessage && serverMessage.toLowerCase() !== info.meaning.toLowerCase() ? `: "${serverMessage}"` : '';
  return `Kling ${code} (${info.meaning}${said}): ${info.fix}`;
}
