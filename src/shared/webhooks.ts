/**
 * The delivery engine's sender (modules/delivery): the one way Kouan pushes to a URL someone gave it (agency
 * webhooks, tracking subscriptions); nothing else imports it. Anyone who may
 * register a URL could otherwise point Kouan at its own network (server-side request forgery) and read the
 * answers off the deliveries list, so:
 * - a URL must be https (plain http only when the operator allows it), without credentials, on the default port
 *   or an unprivileged one, and its host must not be a loopback, private, link-local, ... address or a local name;
 * - at each push the name is resolved once, every address is checked, and the connection goes to exactly the
 *   checked addresses (the request's `lookup` answers with them), so DNS rebinding cannot switch the target;
 *   TLS still verifies the certificate for the name (SNI and Host are the name);
 * - connections are kept alive and reused only for the same host, port and set of checked addresses, so a pooled
 *   connection always leads to an address checked for its name;
 * - no redirect is followed, nothing of the answer but its status is read (a short body is drained and dropped so
 *   that the connection can be reused; a longer one closes the connection), the whole push has a deadline;
 * - what the owner sees is the HTTP status of a real answer, or one word (`unreachable`, `refused`), never an
 *   error's text, which would tell a port scanner what answered.
 */
import { createHmac } from 'node:crypto';
import { lookup as systemLookup } from 'node:dns/promises';
import { once } from 'node:events';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { KouanError, type FieldError } from './errors.js';
import type { Logger } from './logger.js';
import { nonPublicRange } from './net-guard.js';

/** What the operator allows beyond public https targets; both off in production. */
export interface WebhookPolicy {
  readonly allowHttp: boolean;
  readonly allowPrivate: boolean;
}

/** Resolves a host name to all its addresses now; the system resolver unless a test injects its own. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export interface WebhookOptions {
  readonly policy?: WebhookPolicy | undefined;
  readonly resolve?: Resolver | undefined;
  /** The deadline of one push, resolution included. */
  readonly timeoutMs?: number | undefined;
  /** Told (the owner is not) when a name resolves to an address Kouan does not push to. */
  readonly logger?: Logger | undefined;
}

/** How one push went, as its owner may see it. */
export interface PushOutcome {
  readonly delivered: boolean;
  /** The status of a real HTTP answer; null when there was none. */
  readonly httpStatus: number | null;
  /** `HTTP <status>`, `unreachable` or `refused`; null when delivered. */
  readonly error: string | null;
}

export const PUSH_TIMEOUT_MS = 10_000;
/** Answers' headers beyond this are not read (the body is never read at all). */
const MAX_ANSWER_HEADER_BYTES = 16 * 1024;
const LOWEST_UNPRIVILEGED_PORT = 1024;
/** An answer's body up to this size is drained to keep its connection; a longer one closes it. */
const MAX_DRAINED_BODY_BYTES = 16 * 1024;
/** A kept connection left idle this long is closed. */
const IDLE_CONNECTION_MS = 5_000;
/** Connections kept per pool (host, port, checked addresses), and pools kept before the oldest is closed. */
const MAX_POOLED_SOCKETS = 64;
const MAX_POOLS = 256;
/** Names that never lead to the public Internet (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const LOCAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'home.arpa'];

/** Nothing connected, or no answer came: one word, whatever the reason (connection refused, timeout, TLS, DNS). */
const UNREACHABLE: PushOutcome = { delivered: false, httpStatus: null, error: 'unreachable' };
/** The URL itself is not one Kouan pushes to (it was stored before the rules, or the operator tightened them). */
const REFUSED: PushOutcome = { delivered: false, httpStatus: null, error: 'refused' };

const systemResolver: Resolver = async (hostname) => (await systemLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Checks webhook URLs and sends pushes to them; the delivery engine's, configured from the operator's policy. */
export class WebhookSender {
  private readonly policy: WebhookPolicy;
  private readonly resolve: Resolver;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly pools = new ConnectionPools();

  constructor(options: WebhookOptions = {}) {
    this.policy = options.policy ?? { allowHttp: false, allowPrivate: false };
    this.resolve = options.resolve ?? systemResolver;
    this.timeoutMs = options.timeoutMs ?? PUSH_TIMEOUT_MS;
    this.logger = options.logger;
  }

  /** The URL, normalised, if Kouan may push to it; otherwise a problem about the field at `path`. */
  target(url: string, path: string): URL {
    const parsed = parseWebhookUrl(url);
    if (parsed === undefined) {
      throw new KouanError('REQUEST_INVALID', { errors: [{ path, code: 'FIELD_FORMAT', params: { format: 'an http(s) URL without credentials' } }] });
    }
    const refusal = refusalOf(parsed, this.policy);
    if (refusal !== undefined) throw new KouanError('WEBHOOK_URL_FORBIDDEN', { errors: [{ path, ...refusal }] });
    return parsed;
  }

  /** POSTs the body once; never throws: every failure is an outcome. */
  async post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<PushOutcome> {
    const parsed = parseWebhookUrl(url);
    if (parsed === undefined || refusalOf(parsed, this.policy) !== undefined) return REFUSED;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const host = bareHost(parsed.hostname);
    let addresses: readonly string[];
    try {
      addresses = isIP(host) !== 0 ? [host] : await beforeDeadline(this.resolve(host), signal);
    } catch {
      return UNREACHABLE;
    }
    if (addresses.length === 0) return UNREACHABLE;
    if (!this.policy.allowPrivate) {
      const forbidden = addresses.find((address) => nonPublicRange(address) !== undefined);
      if (forbidden !== undefined) {
        // Said as "unreachable" to the owner: "refused" would tell them what an internal name resolves to.
        this.logger?.error({ host, address: forbidden, range: nonPublicRange(forbidden) }, 'webhook host resolves to a non-public address; not pushed');
        return UNREACHABLE;
      }
    }
    return send(parsed, host, addresses, headers, body, signal, this.pools.agent(parsed, host, addresses));
  }

  /** Closes the kept connections. */
  close(): void {
    this.pools.close();
  }
}

/**
 * Kept-alive connections, one pool per scheme, host, port and set of checked addresses: a connection is reused
 * only by a push whose name resolved, this time too, to exactly the addresses it was made for (and that the
 * guard checked), so a pooled connection never leads where a push's own check would not have let it.
 */
class ConnectionPools {
  private readonly agents = new Map<string, HttpAgent>();

  agent(url: URL, host: string, addresses: readonly string[]): HttpAgent {
    const key = `${url.protocol}//${host}:${url.port} ${[...addresses].sort().join(' ')}`;
    const known = this.agents.get(key);
    if (known !== undefined) {
      // Most recently used last, so that the oldest pool is the first closed.
      this.agents.delete(key);
      this.agents.set(key, known);
      return known;
    }
    const options = { keepAlive: true, maxSockets: MAX_POOLED_SOCKETS, maxFreeSockets: MAX_POOLED_SOCKETS, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' as const };
    const agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    this.agents.set(key, agent);
    for (const [oldest, pool] of this.agents) {
      if (this.agents.size <= MAX_POOLS) break;
      pool.destroy();
      this.agents.delete(oldest);
    }
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** What the owner may see of a stored push error; errors stored before these rules may hold an error's text. */
export function publicPushError(stored: string | null): string | null {
  if (stored === null) return null;
  return /^HTTP [1-5]\d\d$/.test(stored) || stored === 'refused' ? stored : 'unreachable';
}

/** The signature header of a push: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the agency's secret>`. */
export function signPush(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** An http(s) URL without credentials (they would end up in logs), or undefined. */
function parseWebhookUrl(url: string): URL | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed;
}

/**
 * Why Kouan does not push to this URL, judged on the URL alone. URL parsing has already turned every IPv4
 * spelling (2130706433, 0177.0.0.1, 0x7f.1, 127.1, %31...) into the dotted quad and IPv6 into its short form.
 */
function refusalOf(url: URL, policy: WebhookPolicy): Omit<FieldError, 'path'> | undefined {
  if (url.protocol !== 'https:' && !policy.allowHttp) return { code: 'WEBHOOK_HTTPS_REQUIRED' };
  // Privileged ports are other services' (SSH, SMTP, ...), never a webhook receiver's.
  if (url.port !== '' && Number(url.port) < LOWEST_UNPRIVILEGED_PORT) return { code: 'WEBHOOK_PORT_FORBIDDEN', params: { port: url.port } };
  if (policy.allowPrivate) return undefined;
  const host = bareHost(url.hostname);
  const range = isIP(host) !== 0 ? nonPublicRange(host) : localName(host);
  return range === undefined ? undefined : { code: 'WEBHOOK_TARGET_FORBIDDEN', params: { host: url.hostname, range } };
}

function localName(host: string): string | undefined {
  const name = host.replace(/\.$/, '');
  // A single label is completed by the resolver's search domains: an internal host.
  if (!name.includes('.') || LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))) return 'local name';
  return undefined;
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** `promise`, unless `signal` aborts first; an already aborted `signal` wins at once. */
function beforeDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const deadline = signal.aborted ? Promise.reject(new Error('deadline')) : once(signal, 'abort').then(() => Promise.reject(new Error('deadline')));
  return Promise.race([deadline, promise]);
}

function send(url: URL, host: string, addresses: readonly string[], headers: Readonly<Record<string, string>>, body: string, signal: AbortSignal, agent: HttpAgent): Promise<PushOutcome> {
  const checked = addresses.map((address) => ({ address, family: isIP(address) }));
  // The connection's only resolution: it answers with the addresses checked above, whatever DNS says by now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const [first] = checked;
    if (options.all === true) callback(null, checked);
    else if (first !== undefined) callback(null, first.address, first.family);
  };
  const https = url.protocol === 'https:';
  const options: RequestOptions & { servername?: string } = {
    method: 'POST',
    hostname: host,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
    // The pool of this host's checked addresses (ConnectionPools); a new connection is made through `pinned`.
    agent,
    lookup: pinned,
    signal,
    maxHeaderSize: MAX_ANSWER_HEADER_BYTES,
    ...(https && isIP(host) === 0 ? { servername: host } : {}),
  };
  return new Promise((resolve) => {
    let settled = false;
    const request = (https ? httpsRequest : httpRequest)(options);
    const finish = (outcome: PushOutcome, keep = false) => {
      if (!settled) resolve(outcome);
      settled = true;
      if (!keep) request.destroy();
    };
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      // The status is the answer; the body is not read. Up to MAX_DRAINED_BODY_BYTES of it are drained (and
      // dropped) so that the connection goes back to its pool; a longer one closes the connection instead.
      const length = Number(response.headers['content-length'] ?? 0);
      // A redirect is an answer like any other that is not 2xx: it is not followed.
      const outcome: PushOutcome = status >= 200 && status < 300 ? { delivered: true, httpStatus: status, error: null } : { delivered: false, httpStatus: status, error: `HTTP ${status}` };
      if (!(length <= MAX_DRAINED_BODY_BYTES)) {
        response.destroy();
        finish(outcome);
        return;
      }
      let drained = 0;
      response.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > MAX_DRAINED_BODY_BYTES) {
          response.destroy();
          finish(outcome);
        }
      });
      // Settled once drained, when the connection is back in its pool (Node frees it a tick after the end), or
      // gone: the status stands either way.
      response.once('end', () => setImmediate(() => finish(outcome, true)));
      response.once('close', () => finish(outcome, true));
    });
    request.on('error', () => finish(UNREACHABLE));
    request.end(body);
  });
}
