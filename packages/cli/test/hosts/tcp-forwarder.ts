// A TCP forwarder in the host network namespace: listens on an address of the virtual network (the host
// end of a veth pair) and pipes every connection to a server on 127.0.0.1, so a process in another
// namespace reaches the shared PostgreSQL and MariaDB without either server being restarted or
// reconfigured (they listen on 127.0.0.1 only, and see the forwarded connection as a local one).

import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A listening forwarder. */
export interface TcpForwarder {
  /** Where it listens, e.g. `10.213.7.1`, and on which port (the target's port). */
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far (a test can assert its traffic went through the virtual network). */
  accepted(): number;
  /** Stops listening and destroys every open connection (safe to call twice). */
  close(): Promise<void>;
}

/** Listens on `host:port` and forwards each connection to `127.0.0.1:targetPort` (default `port`). */
export async function startTcpForwarder(
  host: string,
  port: number,
  targetPort = port,
): Promise<TcpForwarder> {
  const open = new Set<Socket>();
  let accepted = 0;
  const track = (socket: Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server: Server = createServer((inbound) => {
    accepted += 1;
    const outbound = createConnection({ host: '127.0.0.1', port: targetPort });
    track(inbound);
    track(outbound);
    // Either side ending or failing ends the other: a killed worker's socket closes its server session.
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    host,
    port,
    accepted: () => accepted,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      });
      return closed;
    },
  };
}
