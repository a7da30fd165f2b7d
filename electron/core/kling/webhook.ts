/**
 * Kling callback signatures (Standard Webhooks scheme, kling-api.md §4.5):
 * `webhook-signature: v1,<base64 HMAC-SHA256(base64decode(secret without "whsec_"), "{id}.{ts}.{body}")>`,
 * several space-separated while secrets rotate; timestamps within +-5 minutes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const key = (secret: string): Buffer => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  return `v1,${createHmac('sha256', key(secret)).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

export interface WebhookHeaders {
  'webhook-id'?: string | undefined;
  'webhook-timestamp'?: string | undefined;
  'webhook-signature'?: string | undefined;
}

/** True when one of the signatures matches one of the secrets and the timestamp is fresh. */
export function verifyWebhook(
  secrets: string | string[],
  headers: WebhookHeaders,
  body: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const id = headers['webhook-id'];
  const ts = Number(headers['webhook-timestamp']);
  const sigs = (headers['webhook-signature'] ?? '').split(' ').filter(Boolean);
  if (!id || !Number.isFinite(ts) || Math.abs(nowSec - ts) > toleranceSec || sigs.length === 0) return false;
  for (const secret of Array.isArray(secrets) ? secrets : [secrets]) {
    const want = Buffer.from(signWebhook(secret, id, ts, body));
    for (const s of sigs) {
      const got = Buffer.from(s);
      if (got.length === want.length && timingSafeEqual(got, want)) return true;
    }
  }
  return false;
}
