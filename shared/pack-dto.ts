/**
 * What packaging a plugin folder answers (`POST /manager/authoring/check`, `POST /manager/authoring/pack`,
 * `npm run pack`), shared by host and window.
 */

/** Which mistake a problem is, so the window and scripts can tell them apart without reading the text. */
export type PackProblemCode =
  /** The path is not a readable folder. */
  | 'not-a-folder'
  /** The folder holds only one folder, which holds the manifest: the plugin folder is one level down. */
  | 'top-folder'
  /** No `<name>.json` manifest at the folder's root. */
  | 'no-manifest'
  /** The manifest is not valid (JSON, fields, language, symbols). */
  | 'manifest'
  /** The manifest's file name and its `name` differ. */
  | 'manifest-name'
  /** The plugin name breaks eKuiper's name rules. */
  | 'name'
  /** The manifest's executable is not in the folder. */
  | 'executable-missing'
  /** A declared source has no `sources/<s>.yaml`. */
  | 'source-config-missing'
  /** A file under `sources/`, `sinks/` or `functions/` for a symbol the manifest does not declare. */
  | 'foreign-symbol-file'
  /** The folder holds a native plugin (`.so`), which is not packaged here. */
  | 'native-plugin'
  /** Any other rule the host checks a zip against (sizes, names, entries). */
  | 'zip-rule';

/** A reason the folder cannot be packaged: the host's own words, and what to do in this folder. */
export interface PackProblem {
  code: PackProblemCode;
  /** As the host would answer on install (a `HOST_MESSAGES` text; the window localizes it). */
  message: string;
  /** What to change in the folder (a `HOST_MESSAGES` text). */
  fix: string;
}

export type PackWarningCode =
  /** The executable had no exec bit in the folder; the zip sets it. */
  | 'exec-bit-set'
  /** A Go executable whose header this app does not recognise as a program. */
  | 'binary-unknown'
  /** The Go executable was built for another OS or architecture than the chosen server runs. */
  | 'target-mismatch'
  /** The chosen server's OS and architecture are not known (it has not answered a check). */
  | 'target-unknown';

/** Something the user should know that does not stop packaging. */
export interface PackWarning {
  code: PackWarningCode;
  /** A `HOST_MESSAGES` text. */
  message: string;
}

/** Why a file was not put in the zip. */
export type LeftOutReason =
  | 'python-cache'
  | 'git'
  | 'virtualenv'
  | 'node-modules'
  | 'editor'
  | 'os-file'
  | 'built-zip'
  | 'folder-link'
  | 'special-file'
  | 'unreadable';

/** A file or folder left out of the zip (a folder is listed once, with a trailing `/`). */
export interface LeftOutFile {
  /** Relative to the plugin folder, forward slashes. */
  path: string;
  reason: LeftOutReason;
}

/** A file as it goes into the zip. */
export interface PackedFile {
  /** The zip entry name: relative to the plugin folder, forward slashes. */
  path: string;
  size: number;
  /** The unix mode written in the zip: 0o644, or 0o755 for the executable and files with an exec bit. */
  mode: number;
}

/** What a program's header says it was built for, in Go's names (`GOOS`/`GOARCH`). */
export interface BinaryTarget {
  format: 'elf' | 'pe' | 'macho';
  /** `linux`, `windows`, `darwin`, `freebsd`, … */
  os: string;
  /** `amd64`, `arm64`, `arm`, `386`, …; a universal Mach-O binary lists each (`amd64+arm64`). */
  arch: string;
}

/** The server the zip is meant for, as its last check described it. */
export interface PackTarget {
  server: string;
  name: string;
  /** Empty when the server has not answered a check. */
  os: string;
  arch: string;
  /**
   * False when a Go executable was built for another OS or architecture: Deploy to this server is refused
   * until the user overrides it. Undefined when nothing can be compared (Python, or unknown on either side).
   */
  matches: boolean | undefined;
}

/** What checking a folder found: the plugin, its files, what was left out, and every problem with its fix. */
export interface PackCheck {
  /** The folder as resolved on the host. */
  folder: string;
  /** The plugin name (the manifest's file name), when a manifest was found. */
  name: string | undefined;
  version: string | undefined;
  language: string | undefined;
  executable: string | undefined;
  files: PackedFile[];
  leftOut: LeftOutFile[];
  /** Empty when the folder packages into a zip the host installs. */
  problems: PackProblem[];
  warnings: PackWarning[];
  /** Go plugins: what the executable was built for; undefined for Python or an unrecognised file. */
  binary: BinaryTarget | undefined;
  target: PackTarget | undefined;
}

/** A packaged folder: the check, and the zip written. */
export interface PackResult extends PackCheck {
  /** Where the zip was written (absolute). */
  path: string;
  /** The zip's size in bytes. */
  size: number;
  /** Hex SHA-256 of the zip: the same folder gives the same bytes, so this identifies a build. */
  sha256: string;
}

/** `POST /manager/authoring/check`. */
export interface PackCheckRequest {
  folder: string;
  /** A server id: compare the Go executable with what that server runs. */
  server?: string;
}

/** `POST /manager/authoring/pack`. */
export interface PackRequest extends PackCheckRequest {
  /** Where to write the zip; default `dist/<name>-<version>.zip` in the host's data folder. */
  output?: string;
}

/** eKuiper names the OS as Go does; this app's own host reports Node's `win32` for Windows. */
export function goOsName(os: string): string {
  return os === 'win32' ? 'windows' : os;
}

/**
 * Whether a program built for `binary` runs on a server of `os`/`arch` (one slice of a universal binary is
 * enough). Shared so the host's check and the window's Deploy dialog judge every server alike.
 */
export function runsOn(binary: BinaryTarget, os: string, arch: string): boolean {
  return binary.os === goOsName(os) && binary.arch.split('+').includes(arch);
}
