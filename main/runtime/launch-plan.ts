import { chmod, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PortableManifest } from '../../shared/portable-manifest.js';

/** How to start a plugin process: eKuiper's command line, with our interpreter setting. */
export interface LaunchPlan {
  command: string;
  args: string[];
  cwd: string;
  /** How the plan reads to a person, for the log and error messages. */
  display: string;
}

/** eKuiper passes this JSON (its hard-coded `PortableConfig`) as the plugin's first argument. */
export const PLUGIN_ARGUMENT = JSON.stringify({ sendTimeout: 1000 });

/** A plugin that cannot be started at all; the message says what to fix. */
export class LaunchError extends Error {
  override name = 'LaunchError';
}

/**
 * eKuiper's `GetOrStartProcess` command lines: Go executables run directly; Python runs `{pythonBin} -u
 * {executable} {json}`, or `conda run -n {env} {pythonBin} {executable} {json}` for a conda environment. The
 * working folder is the executable's.
 */
export function launchPlan(
  manifest: PortableManifest,
  executable: string,
  pythonBin: string,
  argument = PLUGIN_ARGUMENT,
): LaunchPlan {
  const cwd = dirname(executable);
  let command: string;
  let args: string[];
  if (manifest.language === 'python') {
    if (manifest.virtualEnvType === 'conda') {
      if (manifest.env === undefined || manifest.env === '') {
        throw new LaunchError(`the manifest sets virtualEnvType "conda" but names no "env" to run in`);
      }
      command = 'conda';
      args = ['run', '-n', manifest.env, pythonBin, executable, argument];
    } else if (manifest.virtualEnvType !== undefined && manifest.virtualEnvType !== '') {
      throw new LaunchError(
        `virtualEnvType "${manifest.virtualEnvType}" is not supported: eKuiper only runs "conda" environments`,
      );
    } else {
      command = pythonBin;
      args = ['-u', executable, argument];
    }
  } else {
    command = executable;
    args = [argument];
  }
  return { command, args, cwd, display: [command, ...args.map((arg) => JSON.stringify(arg))].join(' ') };
}

const ELF_MACHINES: Record<number, string> = {
  3: '386',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
  21: 'ppc64le',
  22: 's390x',
  8: 'mips64le',
  258: 'loong64',
};

const NODE_TO_GO: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  riscv64: 'riscv64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  mips64el: 'mips64le',
  loong64: 'loong64',
};

/** What kind of program the first bytes of a file are, or undefined for a script or an unknown format. */
function programFormat(head: Buffer): { os: string; arch?: string } | undefined {
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = head[5] === 1;
    const machine = littleEndian ? head.readUInt16LE(18) : head.readUInt16BE(18);
    const arch = ELF_MACHINES[machine];
    return arch === undefined ? { os: 'linux' } : { os: 'linux', arch };
  }
  if (head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a) return { os: 'win32' };
  if (head.length >= 4) {
    const magic = head.readUInt32BE(0);
    if ([0xcffaedfe, 0xcefaedfe, 0xfeedfacf, 0xfeedface, 0xcafebabe].includes(magic)) return { os: 'darwin' };
  }
  return undefined;
}

/**
 * Checks a Go plugin's executable before it runs, so the user reads "built for Windows" rather than
 * "exec format error", and restores the exec bit that zips made on Windows lose (eKuiper's sample
 * `mirror.zip` is one).
 */
export async function prepareExecutable(executable: string): Promise<void> {
  let head: Buffer;
  try {
    const file = await open(executable, 'r');
    try {
      head = Buffer.alloc(64);
      const { bytesRead } = await file.read(head, 0, 64, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new LaunchError(`cannot read the executable ${executable}: ${(error as Error).message}`);
  }
  const format = programFormat(head);
  if (format !== undefined) {
    const names: Record<string, string> = { linux: 'Linux', win32: 'Windows', darwin: 'macOS' };
    const goos: Record<string, string> = { linux: 'linux', win32: 'windows', darwin: 'darwin' };
    const here = process.platform;
    if (format.os !== here && names[here] !== undefined) {
      throw new LaunchError(
        `the executable is a ${names[format.os]} program and cannot run on ${names[here]}: build the plugin ` +
          `with GOOS=${goos[here]}`,
      );
    }
    const hostArch = NODE_TO_GO[process.arch];
    if (format.arch !== undefined && hostArch !== undefined && format.arch !== hostArch) {
      throw new LaunchError(
        `the executable is built for ${format.arch} and this machine is ${hostArch}: build it with GOARCH=${hostArch}`,
      );
    }
  }
  if (process.platform !== 'win32') {
    const mode = (await stat(executable)).mode;
    if ((mode & 0o111) === 0) await chmod(executable, mode | 0o755);
  }
}
