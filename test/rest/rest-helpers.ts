import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { lstat, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { snapshotTree } from '../support/data-snapshot.js';
import { TEST_ZIPS, fileUrl, type TestHost, type TestResponse } from '../support/host-harness.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';

/**
 * Go's `strconv.Quote` (eKuiper writes error messages with `%q`) as the host sends it: `<>&` and printable
 * runes literal, non-printable ones `\u…` — but where `%q` would write `\x01`, `\a`, `\v` or `\U…`, which no
 * JSON parser accepts, the JSON escape (`\u0001`, surrogate pairs). Written independently of the host's
 * encoder so the tests can catch it.
 */
export function goQuote(text: string): string {
  const named: Record<string, string> = {
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '"': '\\"',
    '\\': '\\\\',
  };
  const unit = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (named[ch] !== undefined) out += named[ch];
    else if (cp < 0x20 || cp === 0x7f) out += unit(cp);
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else
      out += ch
        .split('')
        .map((c) => unit(c.charCodeAt(0)))
        .join('');
  }
  return `${out}"`;
}

/** What the host answers for eKuiper's 0-byte `invalidZip.zip`: eKuiper's text, then what the file is. */
export const EMPTY_ZIP_MESSAGE =
  'zip: not a valid zip file: the file is empty (0 bytes): the download or copy produced nothing — fetch or ' +
  'build the zip again';

/** eKuiper's error body, byte for byte: `{"error":<code>,"message":<%q>}` and a newline. */
export function errorBody(code: number, message: string): string {
  return `{"error":${code},"message":${goQuote(message)}}\n`;
}

function expectErrorHeaders(response: TestResponse, status: 400 | 404): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

/** An error answer with its exact bytes: 404 carries code 1002, 400 code 1000. */
export function expectError(response: TestResponse, status: 400 | 404, message: string): void {
  expect({ status: response.status, text: response.text }).toEqual({
    status,
    text: errorBody(status === 404 ? 1002 : 1000, message),
  });
  expectErrorHeaders(response, status);
}

/**
 * An error answer whose message starts with `prefix` and contains every `parts` (for the host's long
 * teaching texts, where the start is what eKuiper clients match on). Also checks the byte-level shape.
 */
export function expectErrorStarting(
  response: TestResponse,
  status: 400 | 404,
  prefix: string,
  ...parts: string[]
): string {
  expectErrorHeaders(response, status);
  const body = JSON.parse(response.text) as { error: number; message: string };
  expect(Object.keys(body)).toEqual(['error', 'message']);
  expect(body.error).toBe(status === 404 ? 1002 : 1000);
  expect(body.message.startsWith(prefix), `"${body.message}" should start with "${prefix}"`).toBe(true);
  for (const part of parts) expect(body.message).toContain(part);
  expect(response.text).toBe(errorBody(body.error, body.message));
  return body.message;
}

/** A plain-text success: exact text, sniffed-text Content-Type, no trailing newline. */
export function expectText(response: TestResponse, status: number, text: string): void {
  expect({ status: response.status, text: response.text }).toEqual({ status, text });
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
}

/** A JSON success with its exact bytes: `application/json` (no charset), no trailing newline. */
export function expectJson(response: TestResponse, bytes: string): void {
  expect({ status: response.status, text: response.text }).toEqual({ status: 200, text: bytes });
  expect(response.headers.get('content-type')).toBe('application/json');
}

/** `file://` URL of a fixture under ekuiper-testzips/. */
export function testZip(relative: string): string {
  return fileUrl(join(TEST_ZIPS, relative));
}

/** A folder outside every host's data folder for the zips a test builds. */
export async function zipFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ekm-rest-zips-'));
}

/** Writes a zip built by zip-writer and returns its path. */
export async function writeZip(
  folder: string,
  name: string,
  entries: readonly TestZipEntry[],
): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, buildZip(entries));
  return path;
}

/**
 * Runs a request that must fail and checks that it changed nothing in the data folder: no file added,
 * removed or altered, no staging leftovers.
 */
export async function failsWithoutChange(
  t: TestHost,
  send: () => Promise<TestResponse>,
): Promise<TestResponse> {
  const before = await snapshotTree(t.dataDir);
  const response = await send();
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(await snapshotTree(t.dataDir)).toEqual(before);
  return response;
}

/** What a successful request added to the data folder (paths relative to it; folders end in `/`). */
export async function addedBy(
  t: TestHost,
  send: () => Promise<TestResponse>,
): Promise<{
  response: TestResponse;
  added: string[];
  removed: string[];
  after: Record<string, string>;
}> {
  const before = await snapshotTree(t.dataDir);
  const response = await send();
  const after = await snapshotTree(t.dataDir);
  const added = Object.keys(after)
    .filter((key) => !(key in before))
    .sort();
  const removed = Object.keys(before)
    .filter((key) => !(key in after))
    .sort();
  return { response, added, removed, after };
}

/** Only the files (not folders) of a list of snapshot keys. */
export function filesOf(keys: readonly string[]): string[] {
  return keys.filter((key) => !key.endsWith('/')).sort();
}

const unpacked = new Map<string, string>();

/**
 * The content of one entry of a zip, as Info-ZIP's `unzip` reads it (an implementation independent of the
 * host's). Each zip is unpacked once per test file, into a folder removed when the process exits.
 */
export function zipEntryContent(zip: string, entry: string): Buffer {
  let folder = unpacked.get(zip);
  if (folder === undefined) {
    folder = mkdtempSync(join(tmpdir(), 'ekm-unzipped-'));
    const made = folder;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    execFileSync('unzip', ['-q', '-o', zip, '-d', folder]);
    unpacked.set(zip, folder);
  }
  return readFileSync(join(folder, entry));
}

/** A file holds exactly the bytes of a zip entry (compared with Buffer.equals: fast for megabytes). */
export async function expectFileFromEntry(file: string, zip: string, entry: string): Promise<void> {
  const actual = await readFile(file);
  const expected = zipEntryContent(zip, entry);
  expect({ file, bytes: actual.length, same: actual.equals(expected) }).toEqual({
    file,
    bytes: expected.length,
    same: true,
  });
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every staging folder (plugins/.staging, and any other `.staging`) must be empty after every request. */
export async function expectNoStaging(t: TestHost): Promise<void> {
  const snapshot = await snapshotTree(t.dataDir);
  const leftovers = Object.keys(snapshot).filter((key) => /(^|\/)\.staging\/./.test(key));
  expect(leftovers).toEqual([]);
}
