import type { InstallEvent, InstallOp } from '../../../shared/install-events';
import type { PluginKind } from '../../../shared/plugin-kinds';
import { openEventStream, readEventStream } from './event-stream';
import { authHeaders, HostUnreachableError, parseError, requestText, requestUrl } from './http';
import { currentServer } from './server-scope';

/** What `POST /plugins/{kind}` takes: the plugin's name, a zip URL, and (functions) the names it exports. */
export interface CreatePluginBody {
  name: string;
  file: string;
  functions?: string[];
}

/** Installing can download, extract and run install.sh: give it as long as the host's own timeouts. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/**
 * The host answers the stored path HTML-escaped, as eKuiper does with Go's `template.HTMLEscapeString`
 * (`&#34;` for a double quote, `&#39;` for an apostrophe).
 */
export function htmlUnescape(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&(#34|quot);/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The `file://` address eKuiper installs an uploaded zip from, given the path the server answered: a POSIX path
 * as it is, a Windows path (`C:\…`) with forward slashes behind three slashes, as eKuiper's URL parsing expects.
 */
export function fileUrlOfStoredPath(stored: string): string {
  if (/^[A-Za-z]:[\\/]/.test(stored)) return `file:///${stored.replace(/\\/g, '/')}`;
  return `file://${stored}`;
}

/**
 * Uploads a zip to the server's `POST /config/uploads` (multipart field `uploadFile`) through XMLHttpRequest,
 * which reports upload progress (fetch does not). Answers the path the server stored it under, on its own disk:
 * installing from `file://<that path>` then works even where the server cannot reach this computer.
 */
export function uploadZip(
  bytes: Uint8Array,
  fileName: string,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
  server: string = currentServer(),
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', requestUrl('/config/uploads', server));
    for (const [header, value] of Object.entries(authHeaders())) xhr.setRequestHeader(header, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(htmlUnescape(xhr.responseText.trim()));
      else reject(parseError(xhr.status, xhr.responseText, server));
    };
    xhr.onerror = () => reject(new HostUnreachableError('upload failed', false));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    form.append('uploadFile', new Blob([copy.buffer], { type: 'application/zip' }), fileName);
    xhr.send(form);
  });
}

/**
 * The install routes. Each takes the server it is for (the current one when absent): an install is several
 * requests (upload, install, removing the upload), and all of them must reach the server it began on.
 */
export const installApi = {
  /**
   * `POST /plugins/{kind}`; answers the server's message. Aborting `signal` hangs up, which makes this app's
   * host abandon the install and roll it back.
   */
  create: (kind: PluginKind, body: CreatePluginBody, server?: string, signal?: AbortSignal) =>
    requestText(`/plugins/${kind}`, {
      method: 'POST',
      body,
      timeoutMs: INSTALL_TIMEOUT_MS,
      server,
      signal,
    }).then((text) => text.trim()),
  /**
   * `PUT /plugins/{kind}/{name}`: replaces an installed plugin (eKuiper's update). This app's host keeps the old
   * version when the new one fails or `signal` aborts first; answers the server's message (natives: a restart
   * loads the new library).
   */
  update: (kind: PluginKind, name: string, body: CreatePluginBody, server?: string, signal?: AbortSignal) =>
    requestText(`/plugins/${kind}/${encodeURIComponent(name)}`, {
      method: 'PUT',
      body,
      timeoutMs: INSTALL_TIMEOUT_MS,
      server,
      signal,
    }).then((text) => text.trim()),
  /** `POST /plugins/functions/{name}/register`: replaces the function list a function plugin exports. */
  registerFunctions: (name: string, functions: string[], server?: string) =>
    requestText(`/plugins/functions/${encodeURIComponent(name)}/register`, {
      method: 'POST',
      body: { functions },
      timeoutMs: 60_000,
      server,
    }).then((text) => text.trim()),
  /** `DELETE /config/uploads/{name}`. */
  deleteUpload: (name: string, server?: string) =>
    requestText(`/config/uploads/${encodeURIComponent(name)}`, { method: 'DELETE', server }).then(
      () => undefined,
    ),
};

/**
 * Listens to `GET /manager/events` with fetch (so the token header can be sent) and calls `onEvent` for each
 * `data:` line. Resolves once the stream is open (the host has subscribed us), so a request made afterwards
 * reports its events; stops when `signal` aborts.
 */
export async function listenToInstallEvents(
  onEvent: (event: InstallEvent) => void,
  signal: AbortSignal,
  server: string = currentServer(),
): Promise<void> {
  const response = await openEventStream('/manager/events', {}, signal, server);
  readEventStream(response.body as NonNullable<Response['body']>, ({ data }) => {
    try {
      onEvent(JSON.parse(data) as InstallEvent);
    } catch {
      // not an event: ignore
    }
  }).catch(() => {
    // aborted or dropped: progress is a nicety, the REST answer is the outcome
  });
}

/** Which operation's progress to follow: the host reports every create, update and delete on one stream. */
export interface InstallMatch {
  op: InstallOp;
  kind: PluginKind;
  name: string;
}

/** How long to wait for the event stream to open before installing without progress. */
const EVENTS_OPEN_WAIT_MS = 2_000;

/**
 * Runs `action` (the REST call that installs) while following its progress on `GET /manager/events`. The stream
 * is opened first, so the host has subscribed us before the request starts; if it cannot be opened soon, the
 * install goes ahead without progress, because the REST answer, not the events, is the outcome.
 */
export async function withInstallEvents<T>(
  match: InstallMatch,
  onEvent: (event: InstallEvent) => void,
  action: () => Promise<T>,
  server: string = currentServer(),
): Promise<T> {
  const stop = new AbortController();
  const filtered = (event: InstallEvent) => {
    if (event.op === match.op && event.kind === match.kind && event.name === match.name) onEvent(event);
  };
  try {
    try {
      await Promise.race([
        listenToInstallEvents(filtered, stop.signal, server),
        new Promise((resolve) => setTimeout(resolve, EVENTS_OPEN_WAIT_MS)),
      ]);
    } catch {
      // no progress events: install anyway
    }
    return await action();
  } finally {
    stop.abort();
  }
}
