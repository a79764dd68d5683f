import { hostMessage } from '../../shared/host-messages.js';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import { inspectZipFile } from '../archive/zip-file-inspect.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { obtainFile } from '../plugins/zip-source.js';
import { zipLimitsOf, type HostSettings } from '../settings/host-settings.js';

/** The zip of a fleet install, read once on this computer and sent from here to every server. */
export interface FleetZip {
  /** The copy on this computer, in a temp folder of its own. */
  path: string;
  bytes: number;
  sha256: string;
  /** The plugin's version as the zip declares it (`Name@v1.0.0.so`, the manifest's), when it does. */
  version: string | undefined;
  /**
   * The name it is uploaded under: the plugin, its content and this run, so runs never collide. Each upload to a
   * server takes a fresh one (`freshUploadName`): two entries of the list can be the same server.
   */
  uploadName: string;
  /** Removes the temp folder. */
  dispose(): Promise<void>;
}

/**
 * Gets the zip of a fleet install once, whatever the number of servers: a `file://` path is copied (so a rebuild
 * during the run cannot send different bytes to different servers), an http(s) URL downloaded, both with this
 * host's rules (`allowExternalFileAccess`, `allowPrivateNetwork`, `maxDownloadBytes`, `downloadTimeoutMs`). It is
 * then checked with the window's zip rules for `kind` and `name`, so a zip no server would accept fails here
 * with a `PluginError` before any server is touched.
 */
export function obtainFleetZip(
  file: string,
  kind: PluginKind,
  name: string,
  settings: HostSettings,
  uploadsDir: string,
): Promise<FleetZip> {
  return obtainZipOnce(file, name, settings, uploadsDir, async (path) => {
    const inspection = await inspectZipFile(path, kind, name, {
      limits: zipLimitsOf(settings),
    });
    const problem = inspection.problems[0];
    if (problem !== undefined) {
      throw new PluginError(hostMessage('fleetZipRejected', { file, kind, name, problem }));
    }
    return inspection.version;
  });
}

/**
 * Gets a zip once for any fleet action (a plugin, a service): copied or downloaded with this host's rules into a
 * temp folder of its own, then `check`ed — which throws a `PluginError` for a zip no server would accept and
 * answers the version the zip declares, if any — before any server is touched.
 */
export async function obtainZipOnce(
  file: string,
  name: string,
  settings: HostSettings,
  uploadsDir: string,
  check: (path: string) => Promise<string | undefined>,
): Promise<FleetZip> {
  const folder = await mkdtemp(join(tmpdir(), 'ekuiper-fleet-'));
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    const path = join(folder, `${name}.zip`);
    try {
      await obtainFile(file, path, {
        uploadsDir,
        allowExternalFileAccess: settings.allowExternalFileAccess,
        allowPrivateNetwork: settings.allowPrivateNetwork,
        maxDownloadBytes: settings.maxDownloadBytes,
        downloadTimeoutMs: settings.downloadTimeoutMs,
      });
    } catch (error) {
      throw new PluginError(`fail to download file ${file}: ${errorText(error)}`);
    }
    const version = await check(path);
    const [sha256, info] = await Promise.all([sha256Of(path), stat(path)]);
    return {
      path,
      bytes: info.size,
      sha256,
      version,
      uploadName: uploadNameOf(name, sha256),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** `<name>-<sha256 prefix>-<random>.zip`: whose zip, which content, and which upload. */
export function uploadNameOf(name: string, sha256: string): string {
  return `${name}-${sha256.slice(0, 12)}-${randomBytes(3).toString('hex')}.zip`;
}

/** The zip under a name of its own for one more upload: the same name and content, another random part. */
export function freshUploadName(zip: FleetZip): FleetZip {
  const name = zip.uploadName.replace(/-[0-9a-f]{12}-[0-9a-f]{6}\.zip$/, '');
  return { ...zip, uploadName: uploadNameOf(name, zip.sha256) };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
