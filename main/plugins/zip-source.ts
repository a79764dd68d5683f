import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hostMessage } from '../../shared/host-messages.js';
import { sizeText } from '../../shared/size-text.js';
import { PRIVATE_NETWORK, explainConnectionError, explainStatus, timedOutText } from './download-errors.js';
import { PluginError, errorText } from './plugin-error.js';

/** A zip ready to inspect: a local file, its size, and its sha256 (computed while reading, once). */
export interface LocalZip {
  path: string;
  bytes: number;
  sha256: () => Promise<string>;
}

export interface ZipSourceOptions {
  uploadsDir: string;
  allowExternalFileAccess: boolean;
  allowPrivateNetwork: boolean;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  /** Download progress: bytes so far, and the size the server announced when it did. */
  onBytes?: (bytes: number, totalBytes: number | undefined) => void;
  /** The `pluginHosts` setting: a failure on one of these hosts says where the address comes from. */
  pluginHosts?: string;
}

/**
 * eKuiper's `httpx.IsValidUrl`: http(s) with a host, or `file:` with an empty host and a path. Services use it
 * as it is; plugins add the `.zip` suffix rule (`isValidPluginUrl`).
 */
export function isValidFileUrl(uri: string): boolean {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (scheme === 'http' || scheme === 'https') return /^[a-zA-Z]+:\/\/[^/]/.test(uri) && url.host !== '';
  if (scheme === 'file') return uri.toLowerCase().startsWith('file:///') && url.pathname.length > 1;
  return false;
}

/**
 * eKuiper's plugin URL rule: `isValidFileUrl` plus the `.zip` suffix, checked on the whole string as eKuiper
 * does, so scripts see the same verdicts.
 */
export function isValidPluginUrl(uri: string): boolean {
  return uri.endsWith('.zip') && isValidFileUrl(uri);
}

/** The local path a `file:` URL names; `/C:/x` becomes `C:/x` as eKuiper does for Windows paths. */
export function fileUrlPath(uri: string): string {
  let path = decodeURIComponent(new URL(uri).pathname);
  if (path.charAt(2) === ':') path = path.slice(1);
  return path;
}

/** How much of the zip one read hashes: large enough that a 50 MB zip takes a few dozen reads. */
const HASH_CHUNK_BYTES = 1024 * 1024;

/**
 * The zip's sha256, computed once when first asked (while the extraction worker inflates it). One buffer is
 * reused for every read: a read stream's fresh 64 KiB chunks made ~50 MB of garbage per large install, whose
 * collection cost the main thread more than the hashing.
 */
function sha256Of(path: string): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= (async () => {
      const hash = createHash('sha256');
      const file = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
        for (;;) {
          const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          hash.update(buffer.subarray(0, bytesRead));
        }
      } finally {
        await file.close();
      }
      return hash.digest('hex');
    })();
    return pending;
  };
}

async function localFile(uri: string, options: ZipSourceOptions): Promise<LocalZip> {
  const path = resolve(fileUrlPath(uri));
  let readPath = path;
  if (!options.allowExternalFileAccess) {
    const rel = relative(options.uploadsDir, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new PluginError(
        `file access denied: path must be under ${options.uploadsDir}: ${hostMessage('fileAccessDenied')}`,
      );
    }
    // A link inside uploads must not lead out of it: eKuiper opens the file through os.OpenRoot.
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) {
      const root = await realpath(options.uploadsDir).catch(() => options.uploadsDir);
      const realRel = relative(root, real);
      if (realRel === '' || realRel.startsWith('..') || isAbsolute(realRel)) {
        throw new PluginError(`openat ${rel}: path escapes from parent`);
      }
      readPath = real;
    }
  }
  let info;
  try {
    info = await stat(readPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : errorText(error);
    throw new PluginError(`stat ${path}: ${reason}`);
  }
  if (!info.isFile()) throw new PluginError(`${path} is not a regular file`);
  return { path: readPath, bytes: info.size, sha256: sha256Of(readPath) };
}

const PRIVATE_V4: Array<[number, number]> = [
  [0x0a000000, 8], // 10/8
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local
  [0x00000000, 8], // unspecified
  [0xe0000000, 4], // multicast
];

/** eKuiper's SSRF guard (`enablePrivateNet: false`): loopback, private, link-local, multicast, unspecified. */
export function isInternalAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const value = ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
    return PRIVATE_V4.some(([base, bits]) => value >>> (32 - bits) === base >>> (32 - bits));
  }
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:')) return isInternalAddress(lower.slice(7));
  return (
    lower === '::1' ||
    lower === '::' ||
    /^f[cd]/.test(lower) ||
    /^fe[89ab]/.test(lower) ||
    lower.startsWith('ff')
  );
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: false }, (error, address, family) => {
    if (error) return callback(error, '', 0);
    const ip = String(address);
    if (isInternalAddress(ip)) {
      // eKuiper's text, kept as it is: the download explanations leave errors with this code alone.
      const refused = Object.assign(new Error(`ip ${ip} is in internal network`), { code: PRIVATE_NETWORK });
      return callback(refused, '', 0);
    }
    callback(null, ip, family);
  });
};

function describeStatus(status: number, text: string | undefined): string {
  return `${status} ${text ?? http.STATUS_CODES[status] ?? ''}`.trim();
}

async function download(uri: string, target: string, options: ZipSourceOptions): Promise<LocalZip> {
  await mkdir(dirname(target), { recursive: true });
  const deadline = AbortSignal.timeout(options.downloadTimeoutMs);
  let url = new URL(uri);
  for (let redirects = 0; ; redirects++) {
    if (!options.allowPrivateNetwork && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      const ip = url.hostname.replace(/^\[|\]$/g, '');
      if (isInternalAddress(ip)) throw new PluginError(`ip ${ip} is in internal network`);
    }
    const client = url.protocol === 'https:' ? https : http;
    const response = await new Promise<http.IncomingMessage>((resolvePromise, reject) => {
      const request = client.get(url, {
        signal: deadline,
        ...(options.allowPrivateNetwork ? {} : { lookup: guardedLookup }),
      });
      request.on('response', resolvePromise).on('error', reject);
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location !== undefined) {
      response.resume();
      if (redirects >= 10) throw new PluginError(hostMessage('downloadTooManyRedirects'));
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new PluginError(hostMessage('downloadRedirectRefused', { protocol: url.protocol }));
      }
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new PluginError(
        explainStatus(status, describeStatus(status, response.statusMessage), url, options.pluginHosts),
      );
    }
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > options.maxDownloadBytes) {
      response.destroy();
      throw tooLarge(options.maxDownloadBytes);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > options.maxDownloadBytes) return callback(tooLarge(options.maxDownloadBytes));
        hash.update(chunk);
        options.onBytes?.(bytes, Number.isFinite(declared) ? declared : undefined);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, meter, createWriteStream(target));
    } catch (error) {
      // A server that stalls mid-body surfaces as a reset ('aborted'), not as the timeout it is.
      if (deadline.aborted && !(error instanceof PluginError)) {
        throw new PluginError(timedOutText(options.downloadTimeoutMs, url, options.pluginHosts));
      }
      throw error;
    }
    const digest = hash.digest('hex');
    return { path: target, bytes, sha256: () => Promise.resolve(digest) };
  }
}

function tooLarge(limit: number): PluginError {
  return new PluginError(hostMessage('downloadTooLarge', { limit: sizeText(limit) }));
}

/**
 * A failure before or while talking to the server, in eKuiper's shape (`Get "<uri>": …`) with the host's
 * explanation in place of Node's bare error code.
 */
function networkFailure(error: unknown, uri: string, options: ZipSourceOptions): PluginError {
  if (error instanceof PluginError) return error;
  const url = new URL(uri);
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PluginError(timedOutText(options.downloadTimeoutMs, url, options.pluginHosts));
  }
  return new PluginError(`Get "${uri}": ${explainConnectionError(error, url, options.pluginHosts)}`);
}

/**
 * Makes a plugin URL a local zip: `file:` URLs are read in place (no copy), http(s) downloads stream to
 * `downloadTarget` with a size cap and a timeout. Errors carry eKuiper's inner texts; the caller adds
 * `fail to download file <uri>: `.
 */
export async function obtainZip(
  uri: string,
  downloadTarget: string,
  options: ZipSourceOptions,
): Promise<LocalZip> {
  if (uri.toLowerCase().startsWith('file:')) return await localFile(uri, options);
  try {
    return await download(uri, downloadTarget, options);
  } catch (error) {
    throw networkFailure(error, uri, options);
  }
}

/**
 * Copies or downloads any file (not only zips) to `target`: eKuiper's JSON upload form `{name, file}` fetches
 * a URL into data/uploads.
 */
export async function obtainFile(uri: string, target: string, options: ZipSourceOptions): Promise<void> {
  if (!/^(https?|file):\/\//i.test(uri)) throw new PluginError(`invalid uri ${uri}`);
  if (uri.toLowerCase().startsWith('file:')) {
    const local = await localFile(uri, options);
    await copyFile(local.path, target);
    return;
  }
  try {
    await download(uri, target, options);
  } catch (error) {
    throw networkFailure(error, uri, options);
  }
}
