// A counting TCP proxy for the sync benchmark: the benchmark's clients connect to it instead of the
// database, and it counts the bytes the server sends back (what a client reads over the wire), so a
// phase's traffic is measured per database without the server-wide counters other sessions also move.

import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A running proxy to one server. */
export interface ByteProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** Bytes the server sent to clients since the start (or the last `take`). */
  take(): number;
  close(): Promise<void>;
}

/** Starts a proxy to `host:port` on a random local port. */
export async function startByteProxy(host: string, port: number): Promise<ByteProxy> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => (received += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    take: () => {
      const bytes = received;
      received = 0;
      return bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `url` pointed at the proxy (same user, database and options). */
export function viaProxy(url: string, proxy: ByteProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}
