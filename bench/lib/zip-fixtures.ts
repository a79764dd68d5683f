import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { run } from './command.js';
import { SeededRandom } from './random.js';

/** A fixed modification time for every fixture file, so `zip` writes the same bytes on every run. */
const FIXED_TIME = new Date('2024-01-01T00:00:00Z');

/** Shape of a generated plugin tree: one big library plus many middle-sized files in a few folders. */
export interface PluginTreeOptions {
  seed: string;
  /** Root file standing for the compiled plugin (`big.so`, or a portable plugin's `run`). */
  libraryName: string;
  libraryBytes: number;
  files: number;
  folders: number;
  /** How many of the folders sit under `etc/` (installed to etc/ and data/ by native plugins). */
  etcFolders: number;
  minFileBytes: number;
  maxFileBytes: number;
  /** Extra root files such as a portable plugin's manifest and executable. */
  extraRootFiles?: Record<string, string | Uint8Array>;
}

/** What was generated, for the report and for checks after an install. */
export interface PluginTree {
  /** Every path written, relative to the tree's root, folders (ending in `/`) included. */
  paths: string[];
  fileCount: number;
  /** Bytes of file content (what an extraction writes). */
  bytes: number;
  /** Files under `etc/`. */
  etcFiles: number;
}

/** A zip on disk with its size and sha256. */
export interface ZipFixture {
  path: string;
  bytes: number;
  sha256: string;
  entries: number;
  /** Sum of the entries' inflated sizes. */
  inflatedBytes: number;
}

/**
 * "Incompressible-ish" content: seeded random bytes with the top bit cleared. Deflate can only save about
 * 1/8 with Huffman coding (7 bits of entropy per byte), so `zip` really deflates every entry, as it does real
 * plugin binaries, instead of falling back to storing them — both sides of the comparison must inflate.
 */
function contentBytes(random: SeededRandom, length: number): Buffer {
  const data = random.bytes(length);
  const words = new Uint32Array(data.buffer, data.byteOffset, Math.floor(length / 4));
  for (let i = 0; i < words.length; i++) words[i]! &= 0x7f7f7f7f;
  for (let i = words.length * 4; i < length; i++) data[i]! &= 0x7f;
  return data;
}

/** Writes a deterministic plugin tree under `root` (which must be empty). */
export async function writePluginTree(root: string, options: PluginTreeOptions): Promise<PluginTree> {
  const random = new SeededRandom(options.seed);
  const paths: string[] = [];
  let bytes = 0;
  let etcFiles = 0;
  const writeOne = async (relative: string, data: Uint8Array | string): Promise<void> => {
    const absolute = join(root, relative);
    await writeFile(absolute, data);
    await utimes(absolute, FIXED_TIME, FIXED_TIME);
    paths.push(relative);
    bytes += Buffer.byteLength(data);
  };
  await writeOne(options.libraryName, contentBytes(random, options.libraryBytes));
  for (const [name, text] of Object.entries(options.extraRootFiles ?? {})) await writeOne(name, text);

  const folders: string[] = [];
  for (let i = 0; i < options.folders; i++) {
    const parent = i < options.etcFolders ? 'etc' : 'files';
    folders.push(`${parent}/d${String(i).padStart(2, '0')}`);
  }
  for (const folder of new Set(folders.flatMap((f) => [dirname(f), f]))) {
    await mkdir(join(root, folder), { recursive: true });
    paths.push(`${folder}/`);
  }
  for (let i = 0; i < options.files; i++) {
    const folder = folders[i % folders.length]!;
    const size = random.int(options.minFileBytes, options.maxFileBytes);
    await writeOne(`${folder}/file-${String(i).padStart(4, '0')}.bin`, contentBytes(random, size));
    if (folder.startsWith('etc/')) etcFiles++;
  }
  for (const folder of new Set(folders.flatMap((f) => [dirname(f), f]))) {
    await utimes(join(root, folder), FIXED_TIME, FIXED_TIME);
  }
  return {
    paths,
    fileCount: options.files + 1 + Object.keys(options.extraRootFiles ?? {}).length,
    bytes,
    etcFiles,
  };
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Zips `paths` (relative to `root`; folders end in `/`) with the system `zip`, in sorted order and without
 * extra attributes (`-X`), so the archive is byte-for-byte the same on every run. The names are fed on stdin
 * (`-@`) rather than letting `zip -r` walk the folders, whose order depends on the file system.
 */
export async function zipTree(
  root: string,
  paths: readonly string[],
  zipPath: string,
  level?: number,
): Promise<ZipFixture> {
  const sorted = [...paths].sort();
  const args = ['-q', '-X', ...(level === undefined ? [] : [`-${level}`]), zipPath, '-@'];
  await run(
    'zip',
    args.map((a) => (a === zipPath ? resolve(zipPath) : a)),
    { cwd: root, input: `${sorted.join('\n')}\n` },
  );
  let inflatedBytes = 0;
  for (const path of sorted) if (!path.endsWith('/')) inflatedBytes += (await stat(join(root, path))).size;
  return {
    path: zipPath,
    bytes: (await stat(zipPath)).size,
    sha256: await sha256File(zipPath),
    entries: sorted.length,
    inflatedBytes,
  };
}

/** Generates a plugin tree in `workDir/tree`, zips it to `zipPath`, and removes the tree. */
export async function makePluginZip(
  workDir: string,
  zipPath: string,
  options: PluginTreeOptions,
): Promise<ZipFixture & { tree: Omit<PluginTree, 'paths'> }> {
  const root = join(workDir, 'tree');
  await mkdir(root, { recursive: true });
  const tree = await writePluginTree(root, options);
  const fixture = await zipTree(root, tree.paths, zipPath);
  await rm(root, { recursive: true, force: true });
  return { ...fixture, tree: { fileCount: tree.fileCount, bytes: tree.bytes, etcFiles: tree.etcFiles } };
}

/**
 * A stored (`zip -0`) zip holding one file (`entryName`) of seeded random bytes, written in 8 MiB chunks so
 * neither the payload nor the zip is ever held in memory. Named `{name}.so`, it is a native sink plugin.
 */
export async function makeLargeZip(
  workDir: string,
  zipPath: string,
  payloadBytes: number,
  seed: string,
  entryName = 'payload.bin',
): Promise<ZipFixture> {
  const random = new SeededRandom(seed);
  const payload = join(workDir, entryName);
  const out = createWriteStream(payload);
  const chunk = 8 * 1024 * 1024;
  for (let written = 0; written < payloadBytes; written += chunk) {
    if (!out.write(random.bytes(Math.min(chunk, payloadBytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  await utimes(payload, FIXED_TIME, FIXED_TIME);
  const fixture = await zipTree(workDir, [entryName], zipPath, 0);
  await rm(payload, { force: true });
  return fixture;
}
