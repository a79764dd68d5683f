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

  /** The one refusal whose text is fixed by eKuiper's API: a 0-byte file, a text file, a truncated zip. */
  static notAZip(): ArchiveError {
    return new ArchiveError('not-a-zip', NOT_A_ZIP_MESSAGE);
  }
}

/** Type guard that also works for errors rebuilt from another thread. */
export function isArchiveErrorCode(value: unknown): value is ArchiveErrorCode {
  return typeof value === 'string' && (ARCHIVE_ERROR_CODES as readonly string[]).includes(value);
}
