import { lstat, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { isFileSocketPath } from './address.js';
import { SpError, addressInUseError } from './errors.js';

/** How long a probe of an existing socket file may take before we assume someone is there. */
const probeTimeoutMs = 1000;

/**
 * Listens on a unix socket path or named pipe. A leftover socket file from a crashed process is probed first
 * (sp-ipc-mapping §2): if nobody answers it is removed and reused; if someone answers the address is really in
 * use, which for eKuiper's fixed paths means another eKuiper or NeuronEX runs the same plugin (`EADDRINUSE`).
 */
export async function listenIpc(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  try {
    return await tryListen(path, onConnection);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw listenError(path, error);
  }
  if (await isSomeoneListening(path)) throw addressInUseError(path);
  if (isFileSocketPath(path)) await removeStaleSocketFile(path);
  try {
    return await tryListen(path, onConnection);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw addressInUseError(path);
    throw listenError(path, error);
  }
}

/** Stops listening and removes the socket file, so the next listener does not find a stale one. */
export function closeListener(server: Server, path: string): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Unlink in the same tick as the close: later, another process may already own a new file at this path.
  if (isFileSocketPath(path)) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone (Node removes it on close on most systems).
    }
  }
  return closed;
}

/** One connection attempt; the returned socket may still be connecting (writes are buffered until it is). */
export function connectIpc(path: string): Socket {
  return createConnection({ path });
}

function tryListen(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer({ pauseOnConnect: false }, onConnection);
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ path, exclusive: true }, () => {
      server.off('error', onError);
      // A server error after listening (rare: EMFILE on accept) must not crash the host.
      server.on('error', () => undefined);
      resolve(server);
    });
  });
}

/** True when a connect to `path` succeeds (or hangs: a busy listener is still a listener). */
function isSomeoneListening(path: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = createConnection({ path });
    const done = (answer: boolean): void => {
      clearTimeout(timer);
      probe.removeAllListeners();
      probe.on('error', () => undefined);
      probe.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(true), probeTimeoutMs);
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
}

async function removeStaleSocketFile(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch {
    return; // Gone meanwhile: fine.
  }
  if (!isSocket) {
    throw new SpError(
      'EADDRINUSE',
      `${path} exists and is not a socket, so it cannot be used as a plugin address. Move or delete that file.`,
    );
  }
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw listenError(path, error);
  }
}

function listenError(path: string, error: unknown): SpError {
  const reason = error instanceof Error ? error.message : String(error);
  return new SpError('EINVAL', `Cannot listen on ${path}: ${reason}`, { cause: error });
}
