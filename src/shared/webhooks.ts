import { createHmac } from 'node:crypto';
import { KouanError } from './errors.js';

/** A URL Kouan may push to: http(s), no credentials in it (they would end up in logs). */
export function webhookUrl(url: string, path: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username !== '' || parsed.password !== '') {
    throw new KouanError('REQUEST_INVALID', { errors: [{ path, code: 'FIELD_FORMAT', params: { format: 'an http(s) URL without credentials' } }] });
  }
  return parsed;
}

/** The signature header of a push: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the agency's secret>`. */
export function signPush(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Seconds to wait after the n-th failed push: 2, 4, 8, ... capped at one hour. */
export function pushBackoffSeconds(attempts: number): number {
  return Math.min(2 ** attempts, 3600);
}
