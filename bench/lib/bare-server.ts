/**
 * Entry point of the baseline server child (`node --import tsx bench/lib/bare-server.ts '<json>'`): a bare
 * `node:http` server that answers every request with fixed bytes and headers — the fastest any Node server
 * can answer them, so the host's throughput is compared with what Node itself allows on this machine.
 * Prints `listening <port>` once ready; stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { listenAndAnnounce } from './bare-listen.js';
import type { BareServerOptions } from './bare.js';

const options = JSON.parse(process.argv[2] ?? '{}') as BareServerOptions;
const body = readFileSync(options.bodyFile);
const headers = { ...options.headers, 'content-length': String(body.length) };

const server = http.createServer((_request, response) => {
  response.writeHead(options.status, headers);
  response.end(body);
});
listenAndAnnounce(server);
