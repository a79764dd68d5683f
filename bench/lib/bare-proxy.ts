/**
 * Entry point of the baseline proxy child (`node --import tsx bench/lib/bare-proxy.ts <target origin>`): the least
 * a Node process can do to forward a request — `node:http` in, undici out on a keep-alive pool, the answer read
 * and written back whole — with no routing, access guard, credentials or path checks. The forwarding route is
 * measured against it, so what the host adds to a forward is told apart from what any Node hop costs on this
 * machine. Prints `listening <port>` once ready; stops on SIGTERM.
 */
import http from 'node:http';
import { listenAndAnnounce } from './bare-listen.js';
import { Agent, request } from 'undici';

const target = process.argv[2] ?? '';
const agent = new Agent({ keepAliveTimeout: 4_000 });

const server = http.createServer((incoming, response) => {
  request(`${target}${incoming.url ?? '/'}`, { dispatcher: agent, method: 'GET' })
    .then(async (answer) => {
      const body = Buffer.from(await answer.body.arrayBuffer());
      response.writeHead(answer.statusCode, {
        'content-type': String(answer.headers['content-type'] ?? 'application/octet-stream'),
        'content-length': String(body.length),
      });
      response.end(body);
    })
    .catch(() => response.destroy());
});
listenAndAnnounce(server);
