import { open, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { hostMessage } from '../../../shared/host-messages.js';
import {
  runsOn,
  type BinaryTarget,
  type PackCheck,
  type PackProblem,
  type PackTarget,
  type PackWarning,
  type PackedFile,
} from '../../../shared/pack-dto.js';
import { pluginNameProblem } from '../../../shared/plugin-names.js';
import {
  cleanRelativePath,
  findPortableManifest,
  parsePortableManifest,
  type PortableManifest,
} from '../../../shared/portable-manifest.js';
import { DEFAULT_ZIP_LIMITS, inspectZip } from '../../../shared/zip-inspect.js';
import { commonTopFolder, listNames, type ZipEntryInfo } from '../../../shared/zip-layout.js';
import type { ZipLimits } from '../../../shared/zip-safety.js';
import { BINARY_HEADER_BYTES, binaryTarget } from './binary-target.js';
import { sha256Hex } from '../../archive/sha256-hex.js';
import { deterministicZip } from './deterministic-zip.js';
import { leaveOutBuiltZips, walkPluginFolder, type FolderFile, type FolderWalk } from './folder-walk.js';
import { planProblems } from './plan-problems.js';

/** The server a zip is meant for, as its last check described it (empty `os`/`arch` when unknown). */
export interface PackTargetServer {
  id: string;
  name: string;
  os: string;
  arch: string;
}

export interface PackOptions {
  /** Compare a Go executable with what this server runs. */
  target?: PackTargetServer;
  /** The host's `maxZipEntries`/`maxZipInflatedBytes`; the defaults otherwise. */
  limits?: ZipLimits;
}

/** A packaged folder in memory: the check, and the zip with its SHA-256 when there was no problem. */
export interface PackedFolder extends PackCheck {
  zip: Uint8Array | undefined;
  sha256: string | undefined;
}

const EXAMPLE_MANIFEST =
  '{"version":"v1.0.0","language":"python","executable":"main.py","functions":["myfunc"]}';
const EXAMPLE_SOURCE_CONFIG = 'default: {}';

/** The manifest found at the folder's root: a JSON object that says how to run a plugin. */
interface FoundManifest {
  name: string;
  file: string;
  text: string;
}

function looksLikeManifest(text: string): boolean {
  try {
    const raw = JSON.parse(text) as unknown;
    return (
      typeof raw === 'object' &&
      raw !== null &&
      !Array.isArray(raw) &&
      ['executable', 'language'].some((field) => field in raw)
    );
  } catch {
    return false;
  }
}

/** Root JSON files that are manifests, the one named after the folder first. */
async function findManifest(
  folder: string,
  files: readonly FolderFile[],
  under = '',
): Promise<FoundManifest | undefined> {
  const prefix = under === '' ? '' : `${under}/`;
  const candidates: FoundManifest[] = [];
  for (const file of files) {
    const rest = file.path.slice(prefix.length);
    if (!file.path.startsWith(prefix) || rest.includes('/') || !rest.endsWith('.json')) continue;
    if (file.size > 1024 * 1024) continue;
    const text = await readFile(file.absolute, 'utf8');
    if (looksLikeManifest(text)) candidates.push({ name: rest.slice(0, -'.json'.length), file: rest, text });
  }
  const folderName = under === '' ? basename(folder) : under;
  return candidates.find((candidate) => candidate.name === folderName) ?? candidates[0];
}

const infosOf = (files: readonly FolderFile[]): ZipEntryInfo[] =>
  files.map((file) => ({ name: file.path, isDirectory: false, size: file.size }));

/** The problems when the folder holds no manifest at its root: a folder one level too high, a native plugin, or none. */
async function noManifestProblems(folder: string, walk: FolderWalk): Promise<PackProblem[]> {
  const infos = infosOf(walk.files);
  const top = commonTopFolder(infos);
  if (top !== undefined) {
    const inner = await findManifest(folder, walk.files, top);
    if (inner !== undefined) {
      const found = findPortableManifest(inner.name, infos);
      return [
        {
          code: 'top-folder',
          message: found.ok ? '' : found.problem,
          fix: hostMessage('packFixTopFolder', { inner: resolve(folder, top), manifest: inner.file }),
        },
      ];
    }
  }
  const libraries = walk.files.filter((file) => !file.path.includes('/') && file.path.endsWith('.so'));
  if (libraries.length > 0) {
    return [
      {
        code: 'native-plugin',
        message: hostMessage('packNativePlugin', { files: listNames(libraries.map((file) => file.path)) }),
        fix: hostMessage('packFixNativePlugin'),
      },
    ];
  }
  const wanted = `${basename(folder)}.json`;
  const found = findPortableManifest(basename(folder), infos);
  return [
    {
      code: 'no-manifest',
      message: found.ok ? '' : found.problem,
      fix: hostMessage('packFixNoManifest', { wanted, example: EXAMPLE_MANIFEST }),
    },
  ];
}

/** The manifest's own problems: its name against the plugin name rules and the file name, then its fields. */
function manifestProblems(found: FoundManifest): PackProblem[] | PortableManifest {
  const nameProblem = pluginNameProblem('portables', found.name);
  if (nameProblem !== undefined) {
    return [
      { code: 'name', message: nameProblem.message, fix: hostMessage('packFixName', { file: found.file }) },
    ];
  }
  const parsed = parsePortableManifest(found.name, found.text);
  if (parsed.ok) return parsed.plan;
  if (parsed.problem.startsWith('invalid plugin, expect name')) {
    const declared = (JSON.parse(found.text) as { name: string }).name;
    return [
      {
        code: 'manifest-name',
        message: parsed.problem,
        fix: hostMessage('packFixManifestName', { file: found.file, declared, name: found.name }),
      },
    ];
  }
  return [
    { code: 'manifest', message: parsed.problem, fix: hostMessage('packFixManifest', { file: found.file }) },
  ];
}

/** Reads what a Go executable was built for from its first bytes. */
async function readBinaryTarget(path: string): Promise<BinaryTarget | undefined> {
  const handle = await open(path, 'r');
  try {
    const header = new Uint8Array(BINARY_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    return binaryTarget(header.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Compares the executable with the chosen server; a mismatch or an unknown server is a warning. */
function compareTarget(
  binary: BinaryTarget | undefined,
  server: PackTargetServer | undefined,
  warnings: PackWarning[],
): PackTarget | undefined {
  if (server === undefined) return undefined;
  const target: PackTarget = {
    server: server.id,
    name: server.name,
    os: server.os,
    arch: server.arch,
    matches: undefined,
  };
  if (binary === undefined) return target;
  if (server.os === '' || server.arch === '') {
    warnings.push({
      code: 'target-unknown',
      message: hostMessage('packTargetUnknown', { server: server.name }),
    });
    return target;
  }
  target.matches = runsOn(binary, server.os, server.arch);
  if (!target.matches) {
    warnings.push({
      code: 'target-mismatch',
      message: hostMessage('packTargetMismatch', {
        built: `${binary.os}/${binary.arch}`,
        server: server.name,
        os: server.os,
        arch: server.arch,
      }),
    });
  }
  return target;
}

const modeOf = (file: FolderFile, executable: string | undefined): number =>
  file.executable || file.path === executable ? 0o755 : 0o644;

interface Analysis {
  check: PackCheck;
  walk: FolderWalk;
}

async function analyse(folderPath: string, options: PackOptions): Promise<Analysis> {
  const folder = resolve(folderPath);
  const check: PackCheck = {
    folder,
    name: undefined,
    version: undefined,
    language: undefined,
    executable: undefined,
    files: [],
    leftOut: [],
    problems: [],
    warnings: [],
    binary: undefined,
    target: undefined,
  };
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    check.problems.push({
      code: 'not-a-folder',
      message: hostMessage(info === undefined ? 'packFolderMissing' : 'packNotFolder', { folder }),
      fix: hostMessage('packFixFolder'),
    });
    return { check, walk: { files: [], leftOut: [] } };
  }
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  let walk: FolderWalk;
  try {
    walk = await walkPluginFolder(folder, limits.maxEntries);
  } catch {
    check.problems.push({
      code: 'not-a-folder',
      message: hostMessage('packFolderMissing', { folder }),
      fix: hostMessage('packFixFolder'),
    });
    return { check, walk: { files: [], leftOut: [] } };
  }
  if (walk.stoppedAt !== undefined) {
    // Not the plugin folder (a home or a source tree far above it): say so before reading any of it.
    check.problems.push({
      code: 'zip-rule',
      message: hostMessage('zipTooManyEntries', { count: `${walk.stoppedAt}+`, max: limits.maxEntries }),
      fix: hostMessage('packFixFolder'),
    });
    return { check, walk: { files: [], leftOut: [] } };
  }
  const found = await findManifest(folder, walk.files);
  if (found === undefined) {
    check.problems.push(...(await noManifestProblems(folder, walk)));
  } else {
    check.name = found.name;
    walk = leaveOutBuiltZips(walk, found.name);
    const manifest = manifestProblems(found);
    if (Array.isArray(manifest)) {
      check.problems.push(...manifest);
    } else {
      check.version = manifest.version;
      check.language = manifest.language;
      check.executable = cleanRelativePath(manifest.executable);
      check.problems.push(
        ...planProblems(manifest, infosOf(walk.files), {
          file: found.file,
          example: EXAMPLE_SOURCE_CONFIG,
          target: options.target,
        }),
      );
      const executable = walk.files.find((file) => file.path === check.executable);
      if (manifest.language === 'go' && executable !== undefined) {
        if (!executable.executable) {
          check.warnings.push({
            code: 'exec-bit-set',
            message: hostMessage('packExecBitSet', { executable: executable.path }),
          });
        }
        check.binary = await readBinaryTarget(executable.absolute);
        if (check.binary === undefined) {
          check.warnings.push({
            code: 'binary-unknown',
            message: hostMessage('packBinaryUnknown', { executable: executable.path }),
          });
        }
      }
    }
  }
  check.target = compareTarget(check.binary, options.target, check.warnings);
  check.files = walk.files.map((file): PackedFile => ({
    path: file.path,
    size: file.size,
    mode: modeOf(file, check.executable),
  }));
  check.leftOut = walk.leftOut;
  return { check, walk };
}

/** Zips the walked files, and adds whatever the host's own reading of that zip still refuses. */
async function zipAndInspect(
  analysis: Analysis,
  options: PackOptions,
  level: 0 | 6,
): Promise<Uint8Array | undefined> {
  const { check, walk } = analysis;
  if (check.problems.length > 0 || check.name === undefined) return undefined;
  const inputs = await Promise.all(
    walk.files.map(async (file) => ({
      path: file.path,
      data: await readFile(file.absolute),
      mode: modeOf(file, check.executable),
    })),
  );
  const zip = deterministicZip(inputs, level);
  const inspection = inspectZip(zip, 'portables', check.name, {
    limits: options.limits ?? DEFAULT_ZIP_LIMITS,
  });
  for (const message of inspection.problems) {
    check.problems.push({ code: 'zip-rule', message, fix: hostMessage('packFixZipRule') });
  }
  return check.problems.length > 0 ? undefined : zip;
}

/**
 * Checks a plugin folder with the rules the host applies to a zip on install — the same shared functions, so
 * every problem is in the host's words — and says what to change in the folder for each, which files would be
 * packaged and which were left out. A Go executable's header is compared with the `target` server's OS and
 * architecture. Nothing is written.
 */
export async function checkFolder(folder: string, options: PackOptions = {}): Promise<PackCheck> {
  const analysis = await analyse(folder, options);
  // Stored, not compressed: the host's rules read the zip's directory, which compression does not change.
  await zipAndInspect(analysis, options, 0);
  return analysis.check;
}

/**
 * Checks a plugin folder (see `checkFolder`) and, when it has no problem, zips it the way eKuiper accepts it
 * and deterministically: the same files give the same bytes, so the SHA-256 identifies a build. Caches,
 * version control, virtualenvs, editor files and earlier builds are left out; the executable and every file
 * with an exec bit get mode 0755. The zip stays in memory; `writePackedZip` writes it.
 */
export async function packFolder(folder: string, options: PackOptions = {}): Promise<PackedFolder> {
  const analysis = await analyse(folder, options);
  const zip = await zipAndInspect(analysis, options, 6);
  return { ...analysis.check, zip, sha256: zip === undefined ? undefined : sha256Hex(zip) };
}
