import type { Server } from 'node:http';

/**
 * How a baseline child (bare-server.ts, bare-proxy.ts) serves: keep-alive longer than any load run, listening on a
 * free loopback port that it prints as `listening <port>` for `startBareChild`, and closing on SIGTERM.
 */
export function listenAndAnnounce(server: Server): void {
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
