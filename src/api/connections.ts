/**
 * 连接上限 — open connections per client address. One address holding hundreds of slow connections used
 * up the process's file limit and every other request failed (issue 15, finding 4); past the cap a new
 * connection from that address is closed at once, before anything is read. The address is the socket's
 * (behind a reverse proxy that is the proxy's: give it its own cap there, or raise this one).
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function limitConnectionsPerAddress(app: FastifyInstance, cap: number): void {
  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = open.get(address) ?? 0;
    if (n >= cap) {
      app.log.warn({ address, open: n }, 'connection refused: too many open connections from this address');
      socket.destroy();
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
