import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago, for a child server told to listen on it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * The operator settings that let Kouan push to the tests' receivers on plain http://127.0.0.1; production keeps
 * both off (src/shared/webhooks.ts), and the tests that check the refusals start Kouan without them.
 */
export const LOCAL_WEBHOOKS = { KOUAN_WEBHOOK_ALLOW_HTTP: 'true', KOUAN_WEBHOOK_ALLOW_PRIVATE: 'true' } as const;

/** A webhook receiver on 127.0.0.1 that keeps what it is sent and answers as the test says (204 unless told). */
export interface Receiver {
  readonly port: number;
  readonly received: { readonly path: string; readonly headers: IncomingHttpHeaders; readonly body: string }[];
  answer: (response: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const state = { answer: (response: ServerResponse) => void response.writeHead(204).end() };
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      state.answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    get answer() {
      return state.answer;
    },
    set answer(answer) {
      state.answer = answer;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
