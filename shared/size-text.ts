/**
 * A byte count for a message: megabytes, or bytes under one megabyte where "0 MB" would say nothing. The
 * host's refusals and the window's zip verdicts use the same wording.
 */
export function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}
