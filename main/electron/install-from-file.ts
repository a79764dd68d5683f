import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import { inspectZip } from '../../shared/zip-inspect.js';
import { zipLimitsOf, type HostSettings } from '../settings/host-settings.js';

export type InstallOutcome = { ok: true; name: string } | { ok: false; message: string };

/** The host's error text: eKuiper answers `{"error_code":…,"message":…}`, or plain text for token errors. */
function hostMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Plain text: shown as it is.
  }
  return body.trim();
}

/**
 * Installs a zip chosen from the menu through the host's REST API, as a script would: the same checks as
 * the window (the zip's layout, the name it suggests) before anything is sent, then `POST /plugins/{kind}`
 * with a `file://` source. Answers the plugin's name, or a message to show the user.
 */
export async function installFromFile(options: {
  hostUrl: string;
  settings: HostSettings;
  kind: PluginKind;
  path: string;
}): Promise<InstallOutcome> {
  const { settings, kind, path } = options;
  const size = (await stat(path)).size;
  if (size > settings.maxDownloadBytes) {
    return {
      ok: false,
      message: `${basename(path)} is ${size} bytes, more than the ${settings.maxDownloadBytes} bytes allowed (maxDownloadBytes)`,
    };
  }
  const inspection = inspectZip(new Uint8Array(await readFile(path)), kind, undefined, {
    fileName: basename(path),
    limits: zipLimitsOf(settings),
  });
  if (inspection.problems.length > 0) {
    return { ok: false, message: inspection.problems.join('\n') };
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (settings.token !== '') headers.Authorization = `Bearer ${settings.token}`;
  const response = await fetch(`${options.hostUrl}/plugins/${kind}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: inspection.name, file: pathToFileURL(path).href }),
  });
  if (response.status === 201) return { ok: true, name: inspection.name };
  return { ok: false, message: hostMessage(await response.text()) };
}
