/**
 * nanomsg SP (REQ, REP, PUSH, PULL) over unix sockets and Windows named pipes, in TypeScript on `node:net`,
 * wire-compatible with nng, mangos and nanomsg — what eKuiper's portable plugins speak.
 */
export { SpError, isSpError, type SpErrorCode } from './errors.js';
export { ipcPath, maxUnixPathBytes } from './address.js';
export type { SocketOptions, DialOptions } from './socket-core.js';
export { RepSocket } from './rep-socket.js';
export { PullSocket } from './pull-socket.js';
export { PushSocket } from './push-socket.js';
export { ReqSocket } from './req-socket.js';
