import { hostMessage } from './host-messages.js';
import { sizeText } from './size-text.js';

/**
 * Why a zip was refused. The install pipeline maps these to eKuiper's error bodies; the codes let callers
 * (and tests) branch without parsing the English text.
 */
export type ArchiveErrorCode =
  | 'not-a-zip'
  | 'climbs-out'
  | 'absolute-path'
  | 'symlink'
  | 'encrypted'
  | 'too-many-entries'
  | 'too-large'
  | 'unsupported-method'
  | 'duplicate-entry'
  | 'corrupt'
  | 'write-outside-root';

/** Every code, so the worker bridge can check a code that crossed a thread boundary. */
export const ARCHIVE_ERROR_CODES: readonly ArchiveErrorCode[] = [
  'not-a-zip',
  'climbs-out',
  'absolute-path',
  'symlink',
  'encrypted',
  'too-many-entries',
  'too-large',
  'unsupported-method',
  'duplicate-entry',
  'corrupt',
  'write-outside-root',
];

/**
 * eKuiper's own text for an archive it cannot open (Go's `zip.ErrFormat`). Clients written against eKuiper
 * match on it, so it is kept byte for byte instead of being made friendlier.
 */
export const NOT_A_ZIP_MESSAGE = 'zip: not a valid zip file';

/**
 * A zip that cannot be read or must not be extracted. The message is a full sentence for the engineer who
 * built the plugin: what is wrong and how to fix it; the code is for programs.
 */
export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }

  /**
   * The one refusal whose text is fixed by eKuiper's API: a 0-byte file, a text file, a truncated zip. The
   * readers throw it bare; `notAZipError` adds what the file is instead, after eKuiper's text.
   */
  static notAZip(): ArchiveError {
    return new ArchiveError('not-a-zip', NOT_A_ZIP_MESSAGE);
  }
}

/**
 * A zip entry whose data cannot be trusted, with what is wrong (one of the catalog's `damage…` texts) and
 * what to do; every reader — the window, the host, the extractor — words it the same.
 */
export function damagedEntryError(entryName: string, problem: string): ArchiveError {
  return new ArchiveError('corrupt', hostMessage('zipEntryDamaged', { entry: entryName, problem }));
}

/** An entry compressed with a method no reader here inflates (the safety checks normally refuse it first). */
export function unsupportedMethodError(entryName: string, method: number): ArchiveError {
  return new ArchiveError(
    'unsupported-method',
    hostMessage('zipEntryMethodNumber', { entry: entryName, method }),
  );
}

/** How many bytes of a file's start `describeNotAZip` looks at. */
export const NOT_A_ZIP_HEAD_BYTES = 512;

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  signature.every((byte, index) => bytes[at + index] === byte);

const ARCHIVE_SIGNATURES: ReadonlyArray<{ format: string; bytes: readonly number[]; at?: number }> = [
  { format: 'gzip (.gz, .tgz)', bytes: [0x1f, 0x8b] },
  { format: 'RAR', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { format: '7-Zip', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'Zstandard', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  // POSIX tar: "ustar" at offset 257 of the first header.
  { format: 'tar', bytes: [0x75, 0x73, 0x74, 0x61, 0x72], at: 257 },
];

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_END = [0x50, 0x4b, 0x05, 0x06];

/**
 * Text that reads as text: valid UTF-8 with hardly any control characters besides tabs and line breaks.
 * A cut in the middle of a multi-byte character at the end of the sample is allowed.
 */
function decodeText(head: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
    } catch {
      return undefined;
    }
  }
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  return controls === 0 ? text : undefined;
}

/** The start of a text file, safe to show in one line: whitespace folded, controls gone, at most 40 characters. */
function quoteStart(text: string): string {
  const line = text
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...line];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : line;
}

/**
 * Says what a file that is not a zip is instead — empty, an HTML page, text, another archive format, a
 * zip cut short, or unknown bytes — from its first bytes (`NOT_A_ZIP_HEAD_BYTES`) and its size. The host and
 * the window both explain a refused file with it.
 */
export function describeNotAZip(head: Uint8Array, size: number): string {
  if (size === 0) return hostMessage('notZipEmpty');
  if (startsWith(head, ZIP_LOCAL_HEADER) || startsWith(head, ZIP_EMPTY_END)) {
    return hostMessage('notZipTruncated', { size: sizeText(size) });
  }
  const archive = ARCHIVE_SIGNATURES.find((signature) => startsWith(head, signature.bytes, signature.at));
  if (archive !== undefined) return hostMessage('notZipOtherArchive', { format: archive.format });
  const text = decodeText(head);
  if (text !== undefined) {
    if (/^\s*(<!doctype html|<html|<head|<body)|<html[\s>]/i.test(text.replace(/^\uFEFF/, ''))) {
      return hostMessage('notZipHtml');
    }
    return hostMessage('notZipText', { start: quoteStart(text) });
  }
  return hostMessage('notZipUnknown', { size: sizeText(size) });
}

/** eKuiper's not-a-zip refusal, followed by what the file is instead. */
export function notAZipError(head: Uint8Array, size: number): ArchiveError {
  return new ArchiveError('not-a-zip', `${NOT_A_ZIP_MESSAGE}: ${describeNotAZip(head, size)}`);
}

/**
 * The error to throw for `error` from reading a zip's directory: a bare not-a-zip refusal becomes one that
 * says what the file is (`head` holds its first bytes); anything else stays as it is.
 */
export function explainNotAZip(error: unknown, head: Uint8Array, size: number): unknown {
  if (error instanceof ArchiveError && error.code === 'not-a-zip' && error.message === NOT_A_ZIP_MESSAGE) {
    return notAZipError(head, size);
  }
  return error;
}

/** Type guard that also works for errors rebuilt from another thread. */
export function isArchiveErrorCode(value: unknown): value is ArchiveErrorCode {
  return typeof value === 'string' && (ARCHIVE_ERROR_CODES as readonly string[]).includes(value);
}
