import { SpError } from './errors.js';

/** Windows maps `ipc://` addresses to named pipes; mangos and nng both use this prefix. */
export const windowsPipePrefix = '\\\\.\\pipe\\';

/**
 * Longest unix socket path in bytes (sun_path minus its closing NUL). Long rule or operator ids in eKuiper's
 * fixed `/tmp/{rule}_{op}_{instance}.ipc` names can exceed it, and the kernel's own error ("EINVAL") says nothing.
 */
export function maxUnixPathBytes(platform: NodeJS.Platform): number {
  return platform === 'linux' || platform === 'android' ? 107 : 103;
}

/**
 * Turns an `ipc://` URL into what `node:net` listens on or connects to: the path itself on unix, a named pipe
 * (`\\.\pipe\` + path) on Windows, as eKuiper's nanomsg libraries do, so both sides meet at the same place.
 * Throws `EINVAL` for other schemes, an empty path, or a unix path too long for a socket.
 */
export function ipcPath(url: string, platform: NodeJS.Platform = process.platform): string {
  const scheme = 'ipc://';
  if (!url.startsWith(scheme)) {
    throw new SpError('EINVAL', `Unsupported address "${url}": only ipc:// addresses are supported.`);
  }
  const path = url.slice(scheme.length);
  if (path === '' || path.includes('\0')) {
    throw new SpError('EINVAL', `The address "${url}" has no usable path.`);
  }
  if (platform === 'win32') return windowsPipePrefix + path;
  const bytes = Buffer.byteLength(path);
  const max = maxUnixPathBytes(platform);
  if (bytes > max) {
    throw new SpError(
      'EINVAL',
      `The socket path ${path} is ${bytes} bytes long, but this system allows at most ${max}. ` +
        'Use shorter rule, operator or plugin names.',
    );
  }
  return path;
}

/** True when the address is a file on disk (unix) rather than a named pipe, so it needs stale-file handling. */
export function isFileSocketPath(path: string): boolean {
  return !path.startsWith(windowsPipePrefix);
}
