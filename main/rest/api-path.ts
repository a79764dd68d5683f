import { LOCAL_SERVER_ID } from '../../shared/server-dto.js';

/** `/manager/servers/{id}/api{path}{?query}` split into its parts, the path and query exactly as sent. */
export interface ForwardTarget {
  id: string;
  /** The eKuiper API path, still percent-encoded as the client sent it; `/` when none was given. */
  path: string;
  /** `?…` or empty. */
  query: string;
}

const FORWARD_URL = /^\/manager\/servers\/([^/?#]+)\/api(?=[/?]|$)([^?#]*)(\?[^#]*)?/;

/** Reads a raw request URL as a forwarding request, or undefined when it is not one. */
export function parseForwardUrl(rawUrl: string): ForwardTarget | undefined {
  const match = FORWARD_URL.exec(rawUrl);
  if (match === null) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return { id, path: match[2] === '' ? '/' : match[2]!, query: match[3] ?? '' };
}

/** Routes of this host that forwarding must not reach on another host: forwarding does not chain. */
const NOT_FORWARDED = ['/manager/servers', '/manager/fleet'];

/** How many times a segment is decoded looking for a hidden `/`, `\`, `..` or NUL (`%252F` is `%2F` twice). */
const DECODE_ROUNDS = 4;

/**
 * Why a path may not be forwarded, or undefined when it may: only paths that stay under the server's API base
 * pass. Refused: `.`, `..` and empty (`//`) segments, backslashes, and a slash, backslash, dot segment or
 * control character hidden by percent-encoding, once or several times (`%2e%2e`, `%2F`, `%252F`, `%5C`, `%00`),
 * which a server or a proxy in front of it could decode into a way out; and this host's own server and fleet
 * routes.
 */
export function apiPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'it does not start with /';
  if (path.includes('\\')) return 'it contains a backslash';
  const segments = path.slice(1).split('/');
  // An empty segment (`//`) is no eKuiper path: a server or proxy may read `//name/…` as another host, or
  // clean it into a redirect that leads the caller past this host.
  if (segments.slice(0, -1).includes('')) return 'it has an empty segment (//)';
  for (const raw of segments) {
    let segment = raw;
    for (let round = 0; ; round++) {
      if (segment === '.' || segment === '..') {
        return round === 0
          ? `it has a '${segment}' segment`
          : `it has an encoded '${segment}' segment (${raw})`;
      }
      if (round > 0) {
        if (segment.includes('/')) return `it has an encoded slash (${raw})`;
        if (segment.includes('\\')) return `it has an encoded backslash (${raw})`;
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(segment)) return `it has an encoded control character (${raw})`;
      }
      if (!/%[0-9a-fA-F]{2}/.test(segment)) break;
      if (round === DECODE_ROUNDS) return `it is encoded more times than any API path is (${raw})`;
      try {
        segment = decodeURIComponent(segment);
      } catch {
        return `it has a broken percent-encoding (${raw})`;
      }
    }
  }
  const lower = decodeLoosely(path).toLowerCase();
  const own = NOT_FORWARDED.find((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
  if (own !== undefined) {
    return `${own} is this host's own route and is not forwarded: ask each host for its servers directly`;
  }
  return undefined;
}

function decodeLoosely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Fastify's `rewriteUrl`: `/manager/servers/local/api/{path}` is the host's own `{path}`, served without a network
 * hop by routing it as if it had been asked directly (the access guard still runs on it). A path that may not
 * be forwarded is left alone, so it reaches the forwarding route, which refuses it with the reason.
 */
export function rewriteLocalForward(url: string): string {
  if (!url.startsWith('/manager/servers/')) return url;
  const target = parseForwardUrl(url);
  if (target === undefined || target.id !== LOCAL_SERVER_ID) return url;
  if (apiPathProblem(target.path) !== undefined) return url;
  return `${target.path}${target.query}`;
}
