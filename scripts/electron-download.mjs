// Fetches Electron's binary for `npm start` when it is missing, with Electron's own installer: @electron/get
// downloads it (mirrors, custom folders, the cache and checksums exactly as Electron reads them from the
// environment) while this shows progress, then the `electron` package's install.js unpacks it from the cache.
// Offline, it gives up within two seconds and says why, so `npm start` falls back to the headless host at once.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { electronPackageDir, installedElectron } from './electron-binary.mjs';

/** How long the download server has to answer before this machine counts as offline. */
export const PROBE_TIMEOUT_MS = 1500;
/** A download that receives nothing for this long is given up. */
export const STALL_TIMEOUT_MS = 30_000;

const GITHUB_RELEASES = 'https://github.com/electron/electron/releases/download/';

/** `ELECTRON_SKIP_BINARY_DOWNLOAD` as Electron's installers read it: set to anything but empty, 0 or false. */
export function skipsDownload(env) {
  const value = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function parseVersion(text) {
  const [major = 0, minor = 0, patch = 0] = String(text)
    .replace(/^[^\d]*/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

function atLeast(version, minimum) {
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i] > minimum[i];
  return true;
}

/**
 * Whether this Node.js can run Electron's installer: `supported` when it meets the installer's `engines`
 * (`>= 22.12.0` for Electron 45), `untested` when it is older but loads ES modules from CommonJS (Node.js
 * 20.19+: install.js `require`s @electron/get, an ES module, and works), `unsupported` when it cannot.
 */
export function nodeSupport(nodeVersion, engines, canRequireEsm) {
  const minimum = /(\d+\.\d+\.\d+)/.exec(engines ?? '')?.[1];
  if (minimum === undefined || atLeast(parseVersion(nodeVersion), parseVersion(minimum))) return 'supported';
  return canRequireEsm ? 'untested' : 'unsupported';
}

/** The first of the variables Electron's installer reads for a setting (`.npmrc`, package.json, environment). */
function electronConfig(env, name) {
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return (
    env[`npm_config_electron_${name.toLowerCase()}`] ||
    env[`NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`] ||
    env[`npm_config_electron_${snake}`] ||
    env[`npm_package_config_electron_${name}`] ||
    env[`npm_package_config_electron_${snake}`] ||
    env[`ELECTRON_${snake.toUpperCase()}`] ||
    undefined
  );
}

/** Where the binary comes from: the mirror Electron's installer would use, or GitHub's releases. */
export function downloadBase(env) {
  return electronConfig(env, 'mirror') ?? GITHUB_RELEASES;
}

/**
 * The arguments Electron's install.js gives @electron/get, read from the same variables, so the artifact this
 * downloads is the one install.js then finds in the cache.
 */
function artifactDetails(packageDir, env) {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const remoteChecksums = env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums;
  return {
    version,
    artifactName: 'electron',
    force: env.force_no_cache === 'true',
    cacheRoot: env.electron_config_cache,
    checksums: remoteChecksums
      ? undefined
      : JSON.parse(readFileSync(join(packageDir, 'checksums.json'), 'utf8')),
    platform: env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform,
    arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch,
  };
}

/** Node's error code behind a failed fetch (`fetch failed` carries it in `cause`). */
function networkCode(error) {
  const cause = error?.cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? error?.code;
}

/** Why a server did not answer, for the line `npm start` prints before it falls back. */
export function unreachableReason(error, host) {
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
    return `${host} did not answer within ${PROBE_TIMEOUT_MS / 1000} s: this machine seems to be offline, or ${host} cannot be reached from here`;
  }
  const code = networkCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the name ${host} cannot be resolved (DNS, ${code}): this machine seems to be offline`;
  }
  if (code === 'ECONNREFUSED') return `${host} refused the connection (ECONNREFUSED)`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return `${host} cannot be reached (${code}): this machine seems to be offline`;
  }
  return `${host} cannot be reached: ${error?.cause?.message ?? error?.message ?? error}`;
}

/**
 * Asks the download server for any answer within `PROBE_TIMEOUT_MS`: offline, a name that does not resolve, a
 * refused or unroutable address all fail fast here, rather than after the download's own long timeouts.
 */
async function probe(base, timeoutMs) {
  const host = new URL(base).host;
  try {
    const response = await fetch(base, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    return unreachableReason(error, host);
  }
}

/** Raised by the downloader `isCached` hands @electron/get: reaching it means the zip is not in the cache. */
class NotCached extends Error {}

/**
 * Whether Electron's cache already holds the zip (a checksum-verified copy from an earlier run), asked of
 * @electron/get itself: its downloader is only called when the cache has nothing.
 */
async function isCached(electronGet, details) {
  if (details.force) return false;
  try {
    await electronGet.downloadArtifact({
      ...details,
      downloader: {
        download: () => Promise.reject(new NotCached()),
      },
    });
    return true;
  } catch {
    return false;
  }
}

/** Download progress on one line (rewritten on a terminal, every tenth otherwise). */
function progressPrinter(out, label) {
  let shown = -1;
  const megabytes = (bytes) => (bytes / 1024 / 1024).toFixed(1);
  return {
    update({ transferred, total, percent }) {
      // The checksum file that may follow reports its own progress: the binary's 100% stays the last word.
      if (shown === 100) return;
      const whole = Math.floor(percent * 100);
      const step = out.isTTY ? whole : Math.floor(whole / 10) * 10;
      if (step === shown) return;
      shown = step;
      const size = total ? ` (${megabytes(transferred)} of ${megabytes(total)} MB)` : '';
      const line = `${label}: ${whole}%${size}`;
      out.write(out.isTTY ? `\r${line}` : `${line}\n`);
    },
    end() {
      if (out.isTTY && shown >= 0) out.write('\n');
    },
  };
}

/** Why @electron/get failed, in a line. */
function downloadFailure(error) {
  const message = error?.message ?? String(error);
  if (error?.name === 'HTTPError') return `the download server answered: ${message}`;
  if (/checksum/i.test(message))
    return `the download does not match Electron's published checksum (${message})`;
  return message;
}

/**
 * Installs Electron's binary into the project's `electron` package. Answers `{ ok: true, binary }`, or
 * `{ ok: false, reason }` (`skipped` when `ELECTRON_SKIP_BINARY_DOWNLOAD` asks not to download).
 */
export async function downloadElectron(projectDir, { env = process.env, out = process.stdout } = {}) {
  const packageDir = electronPackageDir(projectDir);
  if (packageDir === undefined)
    return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  if (skipsDownload(env)) return { ok: false, skipped: true, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };

  const base = downloadBase(env);
  out.write(
    `Electron's binary is not installed here: fetching it with Electron's installer from ${new URL(base).host}.\n`,
  );
  const electronPackage = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const engines = electronPackage.engines?.node;
  const support = nodeSupport(process.versions.node, engines, process.features.require_module === true);
  const nodeNote = `Electron ${electronPackage.version}'s installer asks for Node.js ${engines}; this is Node.js ${process.versions.node}`;
  if (support === 'unsupported') {
    return {
      ok: false,
      reason: `${nodeNote}, which cannot run it. Install Node.js 22.12 or newer for the desktop app (the headless host runs on Node.js 20)`,
    };
  }
  if (support === 'untested')
    out.write(`${nodeNote}: trying anyway (it works on Node.js 20.19 and newer).\n`);

  const details = artifactDetails(packageDir, env);
  const label = `Downloading Electron ${details.version} for ${details.platform}-${details.arch}`;
  // Loading @electron/get and asking the server run side by side: offline, the answer comes within the probe's time.
  const require = createRequire(join(packageDir, 'package.json'));
  const [electronGet, unreachable] = await Promise.all([
    import(pathToFileURL(require.resolve('@electron/get')).href),
    probe(base, PROBE_TIMEOUT_MS),
  ]);
  if (unreachable !== undefined && !(await isCached(electronGet, details))) {
    return { ok: false, reason: unreachable, offline: true };
  }

  // With force_no_cache, install.js downloads again whatever is cached: leave the download to it alone.
  // Offline with the zip in Electron's cache, install.js unpacks it from there.
  if (!details.force && unreachable === undefined) {
    const stop = new AbortController();
    let stall;
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(
        () => stop.abort(new Error(`no data for ${STALL_TIMEOUT_MS / 1000} s`)),
        STALL_TIMEOUT_MS,
      );
    };
    const printer = progressPrinter(out, label);
    watch();
    try {
      await electronGet.downloadArtifact({
        ...details,
        downloadOptions: {
          quiet: true,
          signal: stop.signal,
          getProgressCallback: (progress) => {
            watch();
            printer.update(progress);
          },
        },
      });
    } catch (error) {
      printer.end();
      const reason = stop.signal.aborted
        ? `the download stalled (${stop.signal.reason.message})`
        : downloadFailure(error);
      return { ok: false, reason };
    } finally {
      clearTimeout(stall);
    }
    printer.end();
  }

  out.write(`Unpacking Electron ${details.version} with its installer…\n`);
  const installed = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  const binary = installed.status === 0 ? installedElectron(projectDir, env) : undefined;
  if (binary === undefined) {
    return {
      ok: false,
      reason: `Electron's installer failed (exit status ${installed.status ?? installed.signal})`,
    };
  }
  return { ok: true, binary };
}
