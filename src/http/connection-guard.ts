/**
 * Guards of the HTTP server against clients that hold it up: Node's timeouts for slow headers and bodies and for
 * idle connections, and a cap on the connections one address may hold open.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionLimits } from '../config.js';

/** The options Fastify passes on to http.createServer, and its own timeouts, for these limits. */
export function serverTimeouts(limits: ConnectionLimits) {
  return {
    // Node looks for requests past their timeouts this often (30 s by default, far longer than a short timeout).
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
  };
}

/** Drops, as soon as it opens, each connection beyond `max` from one address (0: no cap). */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
