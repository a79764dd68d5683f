import type { InstallEvent, InstallOp } from '../../../shared/install-events';
import type { PluginKind } from '../../../shared/plugin-kinds';
import { apiBase, hostConnection } from './api-config';
import { openEventStream, readEventStream } from './event-stream';
import { HostUnreachableError, parseError, requestText } from './http';

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
 * Uploads a zip with `POST /config/uploads` (multipart field `uploadFile`) through XMLHttpRequest, which reports
 * upload progress (fetch does not). Answers the path the host stored it under.
 */
export function uploadZip(
  bytes: Uint8Array,
  fileName: string,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${apiBase()}/config/uploads`);
    const { token } = hostConnection();
    if (token !== '') xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(htmlUnescape(xhr.responseText.trim()));
      else reject(parseError(xhr.status, xhr.responseText));
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

export const installApi = {
  /** `POST /plugins/{kind}`; answers the host's message. */
  create: (kind: PluginKind, body: CreatePluginBody) =>
    requestText(`/plugins/${kind}`, { method: 'POST', body, timeoutMs: INSTALL_TIMEOUT_MS }).then((text) =>
      text.trim(),
    ),
  /**
   * `PUT /plugins/{kind}/{name}`: replaces an installed plugin (eKuiper's update). This host keeps the old
   * version when the new one fails; answers the host's message (natives: a restart loads the new library).
   */
  update: (kind: PluginKind, name: string, body: CreatePluginBody) =>
    requestText(`/plugins/${kind}/${encodeURIComponent(name)}`, {
      method: 'PUT',
      body,
      timeoutMs: INSTALL_TIMEOUT_MS,
    }).then((text) => text.trim()),
  /** `POST /plugins/functions/{name}/register`: replaces the function list a function plugin exports. */
  registerFunctions: (name: string, functions: string[]) =>
    requestText(`/plugins/functions/${encodeURIComponent(name)}/register`, {
      method: 'POST',
      body: { functions },
      timeoutMs: 60_000,
    }).then((text) => text.trim()),
  /** `DELETE /config/uploads/{name}`. */
  deleteUpload: (name: string) =>
    requestText(`/config/uploads/${encodeURIComponent(name)}`, { method: 'DELETE' }).then(() => undefined),
};

/**
 * Listens to `GET /manager/events` with fetch (so the token header can be sent) and calls `onEvent` for each
 * `data:` line. Resolves once the stream is open (the host has subscribed us), so a request made afterwards
 * reports its events; stops when `signal` aborts.
 */
export async function listenToInstallEvents(
  onEvent: (event: InstallEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await openEventStream('/manager/events', {}, signal);
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
): Promise<T> {
  const stop = new AbortController();
  const filtered = (event: InstallEvent) => {
    if (event.op === match.op && event.kind === match.kind && event.name === match.name) onEvent(event);
  };
  try {
    try {
      await Promise.race([
        listenToInstallEvents(filtered, stop.signal),
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
