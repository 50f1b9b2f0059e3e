import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KouanError } from './errors.js';
import { publicPushError, WebhookSender, type PushOutcome, type WebhookPolicy } from './webhooks.js';

const STRICT: WebhookPolicy = { allowHttp: false, allowPrivate: false };
const LAB: WebhookPolicy = { allowHttp: true, allowPrivate: true };
const HTTP_ONLY: WebhookPolicy = { allowHttp: true, allowPrivate: false };
const UNREACHABLE: PushOutcome = { delivered: false, httpStatus: null, error: 'unreachable' };

function refusal(sender: WebhookSender, url: string): { code: string; errors: readonly { path: string; code: string; params?: unknown }[] } | undefined {
  try {
    sender.target(url, '$.url');
    return undefined;
  } catch (error) {
    if (!(error instanceof KouanError)) throw error;
    return { code: error.code, errors: error.errors };
  }
}

describe('WebhookSender.target (registration)', () => {
  const strict = new WebhookSender({ policy: STRICT });

  it.each([
    // Loopback, in every spelling URL parsing accepts for it.
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.0.0.1./hook', 'loopback'],
    ['https://2130706433/hook', 'loopback'],
    ['https://0177.0.0.1/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
    ['https://0x7f000001/hook', 'loopback'],
    ['https://127.1/hook', 'loopback'],
    ['https://127.000.000.001/hook', 'loopback'],
    ['https://%31%32%37.0.0.1/hook', 'loopback'],
    ['https://127。0。0。1/hook', 'loopback'],
    ['https://１２７.０.０.１/hook', 'loopback'],
    ['https://[::ffff:0:127.0.0.1]/hook', 'reserved'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[0:0:0:0:0:0:0:1]/hook', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[::ffff:7f00:1]/hook', 'loopback'],
    ['https://[64:ff9b::127.0.0.1]/hook', 'loopback'],
    ['https://[::127.0.0.1]/hook', 'reserved'],
    // The cloud metadata service and the rest of link-local.
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://2852039166/latest/meta-data/', 'link-local'],
    ['https://[::ffff:169.254.169.254]/', 'link-local'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['https://[fe80::1]/', 'link-local'],
    // Private networks.
    ['https://10.0.0.5/', 'private'],
    ['https://012.0.0.5/', 'private'],
    ['https://172.16.3.4/', 'private'],
    ['https://172.31.255.1/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://100.64.0.1/', 'shared (carrier-grade NAT)'],
    ['https://[fd00::1]/', 'unique-local'],
    ['https://[fc00::1]/', 'unique-local'],
    ['https://[fec0::1]/', 'site-local'],
    // Nowhere in particular, or everywhere.
    ['https://0.0.0.0/', 'unspecified'],
    ['https://0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
    ['https://255.255.255.255/', 'broadcast'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://[ff02::1]/', 'multicast'],
    ['https://240.0.0.1/', 'reserved'],
    ['https://192.0.2.1/', 'documentation'],
    ['https://198.51.100.1/', 'documentation'],
    ['https://203.0.113.1/', 'documentation'],
    ['https://[2001:db8::1]/', 'documentation'],
    ['https://198.18.0.1/', 'benchmarking'],
    // Names that never leave the machine or the site.
    ['https://localhost/hook', 'local name'],
    ['https://LOCALHOST./hook', 'local name'],
    ['https://api.localhost/hook', 'local name'],
    ['https://printer.local/hook', 'local name'],
    ['https://db.internal/hook', 'local name'],
    ['https://router.home.arpa/hook', 'local name'],
    ['https://intranet/hook', 'local name'],
  ])('refuses %s (%s)', (url, range) => {
    expect(refusal(strict, url)).toEqual({ code: 'WEBHOOK_URL_FORBIDDEN', errors: [{ path: '$.url', code: 'WEBHOOK_TARGET_FORBIDDEN', params: { host: expect.any(String) as unknown, range } }] });
  });

  it.each(['http://hooks.example.org/kouan', 'http://8.8.8.8/kouan'])('refuses plain http: %s', (url) => {
    expect(refusal(strict, url)).toEqual({ code: 'WEBHOOK_URL_FORBIDDEN', errors: [{ path: '$.url', code: 'WEBHOOK_HTTPS_REQUIRED' }] });
  });

  it.each(['https://hooks.example.org:22/', 'https://hooks.example.org:25/', 'https://hooks.example.org:80/', 'https://hooks.example.org:0/', 'https://hooks.example.org:1023/'])('refuses a privileged port: %s', (url) => {
    expect(refusal(strict, url)?.errors[0]).toMatchObject({ path: '$.url', code: 'WEBHOOK_PORT_FORBIDDEN' });
  });

  it.each(['https://user:secret@hooks.example.org/', 'https://user@hooks.example.org/', 'ftp://hooks.example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:6379/_INFO', 'not a url', ''])(
    'refuses %j as malformed',
    (url) => {
      expect(refusal(strict, url)).toEqual({ code: 'REQUEST_INVALID', errors: [{ path: '$.url', code: 'FIELD_FORMAT', params: expect.any(Object) as unknown }] });
    },
  );

  it.each(['https://hooks.example.org/kouan', 'https://hooks.example.org:443/kouan', 'https://hooks.example.org:8443/kouan', 'https://8.8.8.8/kouan', 'https://[2606:4700:4700::1111]/kouan', 'https://[::ffff:8.8.8.8]/kouan', 'https://127.0.0.1.nip.io/kouan'])(
    'accepts %s (names are checked again at each push, after resolution)',
    (url) => {
      expect(refusal(strict, url)).toBeUndefined();
    },
  );

  it('normalises what it accepts, so the stored URL is the one checked', () => {
    expect(strict.target('https://Hooks.Example.ORG:443/a/../kouan?x=1', '$.url').toString()).toBe('https://hooks.example.org/kouan?x=1');
  });

  it('lets the operator allow plain http and private targets, each on its own', () => {
    const httpOnly = new WebhookSender({ policy: HTTP_ONLY });
    expect(refusal(httpOnly, 'http://hooks.example.org/kouan')).toBeUndefined();
    expect(refusal(httpOnly, 'http://127.0.0.1:8080/kouan')?.errors[0]?.code).toBe('WEBHOOK_TARGET_FORBIDDEN');
    const privateOnly = new WebhookSender({ policy: { allowHttp: false, allowPrivate: true } });
    expect(refusal(privateOnly, 'https://127.0.0.1:8443/kouan')).toBeUndefined();
    expect(refusal(privateOnly, 'http://127.0.0.1:8080/kouan')?.errors[0]?.code).toBe('WEBHOOK_HTTPS_REQUIRED');
    expect(refusal(new WebhookSender({ policy: LAB }), 'http://localhost:8080/kouan')).toBeUndefined();
  });
});

/** A local receiver whose answer each test sets. */
interface Receiver {
  readonly port: number;
  readonly received: { url: string; headers: IncomingHttpHeaders; body: string }[];
  answer: (response: ServerResponse) => void;
}

describe('WebhookSender.post (each push)', () => {
  let server: Server;
  const receiver: Receiver = { port: 0, received: [], answer: (response) => response.writeHead(204).end() };
  let closedPort: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        receiver.received.push({ url: request.url ?? '', headers: request.headers, body });
        receiver.answer(response);
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    (receiver as { port: number }).port = (server.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const fresh = (answer: Receiver['answer'] = (response) => response.writeHead(204).end()) => {
    receiver.received.length = 0;
    receiver.answer = answer;
  };
  const post = (sender: WebhookSender, url: string) => sender.post(url, { 'content-type': 'application/json', 'kouan-test': 'yes' }, '{"hello":"world"}');

  it('pushes to a name through exactly the address it resolved once, with the name as Host', async () => {
    fresh();
    const asked: string[] = [];
    // A rebinding resolver: a second question would be answered with another address.
    const answers = [['127.0.0.1'], ['10.9.9.9']];
    const sender = new WebhookSender({ policy: LAB, resolve: async (name) => (asked.push(name), answers.shift() ?? []) });
    expect(await post(sender, `http://hooks.example.test:${receiver.port}/kouan?x=1`)).toEqual({ delivered: true, httpStatus: 204, error: null });
    expect(asked).toEqual(['hooks.example.test']);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ url: '/kouan?x=1', body: '{"hello":"world"}' });
    expect(receiver.received[0]?.headers).toMatchObject({ host: `hooks.example.test:${receiver.port}`, 'kouan-test': 'yes', 'content-type': 'application/json' });
  });

  it('reuses a connection only for the same name, port and checked addresses, and not after a long answer', async () => {
    fresh();
    const answers = [['127.0.0.1'], ['127.0.0.1'], ['127.0.0.1', '127.0.0.2'], ['127.0.0.1'], ['127.0.0.1'], ['127.0.0.1'], ['127.0.0.1']];
    const sender = new WebhookSender({ policy: LAB, resolve: async () => answers.shift() ?? [] });
    const url = `http://hooks.example.test:${receiver.port}/kouan`;
    const opened = () => connections;
    const before = opened();
    expect(await post(sender, url)).toMatchObject({ delivered: true });
    expect(await post(sender, url)).toMatchObject({ delivered: true });
    expect(opened() - before).toBe(1);
    // The name now resolves to another set of addresses: a connection of its own, checked for that set.
    expect(await post(sender, url)).toMatchObject({ delivered: true });
    expect(opened() - before).toBe(2);
    // Back to the first set: its kept connection.
    fresh((response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    expect(await post(sender, url)).toMatchObject({ delivered: true, httpStatus: 200 });
    expect(opened() - before).toBe(2);
    // A short answer without a length (chunked) is drained too.
    fresh((response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('accepted'));
    expect(await post(sender, url)).toMatchObject({ delivered: true, httpStatus: 200 });
    expect(opened() - before).toBe(2);
    // A long one is not read on: its connection is closed, and the next push opens another.
    fresh((response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(64 * 1024)));
    expect(await post(sender, url)).toMatchObject({ delivered: true });
    fresh();
    expect(await post(sender, url)).toMatchObject({ delivered: true });
    expect(opened() - before).toBe(3);
    sender.close();
  });

  it.each([
    ['a loopback address', ['127.0.0.1']],
    ['a public and a loopback address', ['93.184.215.14', '127.0.0.1']],
    ['an IPv4-mapped loopback address', ['::ffff:127.0.0.1']],
    ['the metadata address', ['169.254.169.254']],
    ['something that is not an address', ['localhost']],
    ['no address', []],
  ])('does not push where the name resolves to %s, and says only "unreachable"', async (_what, addresses) => {
    fresh();
    const told: object[] = [];
    const sender = new WebhookSender({ policy: HTTP_ONLY, resolve: async () => addresses, logger: { error: (object) => told.push(object) } });
    expect(await post(sender, `http://hooks.example.test:${receiver.port}/kouan`)).toEqual(UNREACHABLE);
    expect(receiver.received).toHaveLength(0);
    // The operator is told what happened; the owner of the webhook is not.
    expect(told.length).toBe(addresses.length === 0 ? 0 : 1);
  });

  it('refuses a stored URL that the rules now refuse, without connecting', async () => {
    fresh();
    const sender = new WebhookSender({ policy: HTTP_ONLY });
    expect(await post(sender, `http://127.0.0.1:${receiver.port}/kouan`)).toEqual({ delivered: false, httpStatus: null, error: 'refused' });
    expect(await post(new WebhookSender({ policy: STRICT }), `http://hooks.example.org:${receiver.port}/kouan`)).toEqual({ delivered: false, httpStatus: null, error: 'refused' });
    expect(await post(sender, `http://user:pw@hooks.example.org:${receiver.port}/kouan`)).toEqual({ delivered: false, httpStatus: null, error: 'refused' });
    expect(receiver.received).toHaveLength(0);
  });

  it('does not follow a redirect: a 3xx is a failed push with its status', async () => {
    fresh((response) => response.writeHead(307, { location: `http://127.0.0.1:${receiver.port}/elsewhere` }).end());
    const sender = new WebhookSender({ policy: LAB });
    expect(await post(sender, `http://127.0.0.1:${receiver.port}/kouan`)).toEqual({ delivered: false, httpStatus: 307, error: 'HTTP 307' });
    expect(receiver.received.map((request) => request.url)).toEqual(['/kouan']);
  });

  it('keeps only the status of an answer, never its body', async () => {
    fresh((response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('FATAL: password authentication failed for user "postgres"'));
    expect(await post(new WebhookSender({ policy: LAB }), `http://127.0.0.1:${receiver.port}/kouan`)).toEqual({ delivered: false, httpStatus: 500, error: 'HTTP 500' });
  });

  it('does not read an endless answer', async () => {
    let closed: Promise<void> = Promise.resolve();
    fresh((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
      };
      closed = new Promise((resolve) => response.on('close', () => resolve()));
      response.on('drain', pump);
      pump();
    });
    expect(await post(new WebhookSender({ policy: LAB }), `http://127.0.0.1:${receiver.port}/kouan`)).toEqual({ delivered: true, httpStatus: 200, error: null });
    // Kouan hung up instead of reading on.
    await closed;
  });

  it('says "unreachable", and nothing more, for a closed port, a silent server, a TLS failure and a failed resolution', async () => {
    const lab = new WebhookSender({ policy: LAB, timeoutMs: 300 });
    expect(await post(lab, `http://127.0.0.1:${closedPort}/kouan`)).toEqual(UNREACHABLE);
    fresh(() => undefined);
    expect(await post(lab, `http://127.0.0.1:${receiver.port}/silent`)).toEqual(UNREACHABLE);
    fresh();
    expect(await post(lab, `https://127.0.0.1:${receiver.port}/plain-http-answers-tls`)).toEqual(UNREACHABLE);
    const failing = new WebhookSender({
      policy: LAB,
      resolve: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND db.corp.example'), { code: 'ENOTFOUND' })),
    });
    expect(await post(failing, `http://db.corp.example:${receiver.port}/kouan`)).toEqual(UNREACHABLE);
    const hanging = new WebhookSender({ policy: LAB, timeoutMs: 100, resolve: () => new Promise<never>(() => undefined) });
    expect(await post(hanging, `http://slow.example.test:${receiver.port}/kouan`)).toEqual(UNREACHABLE);
  });
});

describe('publicPushError', () => {
  it.each([
    [null, null],
    ['HTTP 503', 'HTTP 503'],
    ['HTTP 302', 'HTTP 302'],
    ['refused', 'refused'],
    ['unreachable', 'unreachable'],
    ['fetch failed', 'unreachable'],
    ['connect ECONNREFUSED 127.0.0.1:5432', 'unreachable'],
    ['The operation was aborted due to timeout', 'unreachable'],
    ['HTTP 503 from 10.0.0.1', 'unreachable'],
  ])('shows %j as %j', (stored, shown) => {
    expect(publicPushError(stored)).toBe(shown);
  });
});
