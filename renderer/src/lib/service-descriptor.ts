import { zipSync } from 'fflate';
import type { ServiceDescriptor, ServiceInterfaceDescriptor } from '../../../shared/service-dto';

/** One row of the Headers list of the simple form, as typed. */
export interface HeaderRow {
  key: string;
  value: string;
}

/** Why an address cannot be a schemaless service's: the form says it next to the field. */
export type AddressProblem = 'empty' | 'notUrl' | 'scheme' | 'noHost' | 'port' | 'path';

/**
 * Checks the Address of NeuronEX's simple form: `http(s)://host[:port]` and nothing after it, because the path
 * (and query) of each call is written in the SQL (`svc("post", "/api/x", …)`) and eKuiper appends it to the
 * address; a path here would be added in front of every call's path, which users rarely mean.
 */
export function serviceAddressProblem(address: string): AddressProblem | undefined {
  const text = address.trim();
  if (text === '') return 'empty';
  // `10.0.0.1:8080` reads as a URL of scheme `10.0.0.1`: without `://` the scheme is what is missing.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return 'scheme';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'notUrl';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (url.hostname === '') return 'noHost';
  // `new URL` drops a port it considers the default and refuses one out of range; a port of 0 is nobody's.
  if (/:0+$/.test(url.host)) return 'port';
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') return 'path';
  return undefined;
}

/** The address as eKuiper should store it: trimmed, without a trailing slash (calls add `/path`). */
export function normaliseServiceAddress(address: string): string {
  return address.trim().replace(/\/+$/, '');
}

/** Why a header row cannot be sent: a name HTTP refuses, or a name given twice. */
export type HeaderProblem = 'noName' | 'badName' | 'duplicate' | 'badValue';

/** RFC 9110 `token`: the characters a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The problem of each header row (undefined where it is fine). A row with neither name nor value is simply
 * left out; names compare case-insensitively, as HTTP does, so `Authorization` and `authorization` clash.
 */
export function headerProblems(rows: readonly HeaderRow[]): (HeaderProblem | undefined)[] {
  const seen = new Set<string>();
  return rows.map(({ key, value }) => {
    const name = key.trim();
    if (name === '' && value.trim() === '') return undefined;
    if (name === '') return 'noName';
    if (!HEADER_NAME.test(name)) return 'badName';
    if (/[\r\n\0]/.test(value)) return 'badValue';
    const lower = name.toLowerCase();
    if (seen.has(lower)) return 'duplicate';
    seen.add(lower);
    return undefined;
  });
}

/** The filled header rows as eKuiper's `options.headers` object. */
export function headersObject(rows: readonly HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, value } of rows) {
    if (key.trim() !== '') headers[key.trim()] = value.trim();
  }
  return headers;
}

/**
 * The descriptor NeuronEX's "Add external service" form stands for: one schemaless REST interface named like
 * the service, so the SQL function is the service's name (`name("post", "/path", body)`), with the headers as
 * eKuiper's `restOption.headers`. `schemaType` stays empty, as eKuiper requires with `schemaless`.
 */
export function schemalessDescriptor(
  name: string,
  address: string,
  headers: Record<string, string> = {},
): ServiceDescriptor {
  const binding: ServiceInterfaceDescriptor = {
    address: normaliseServiceAddress(address),
    protocol: 'rest',
    schemaType: '',
    schemaless: true,
  };
  if (Object.keys(headers).length > 0) binding.options = { headers };
  return { interfaces: { [name]: binding } };
}

/** A service zip holding only `<name>.json` at its root: all eKuiper needs for a schemaless service. */
export function descriptorZip(name: string, descriptor: ServiceDescriptor): Uint8Array {
  const json = new TextEncoder().encode(`${JSON.stringify(descriptor, null, 2)}\n`);
  return zipSync({ [`${name}.json`]: json }, { level: 6 });
}

/** Header names whose values are secrets: shown masked in the drawer (the rest are shown as they are). */
export function isSecretHeader(name: string): boolean {
  return /authori[sz]ation|token|secret|api[-_]?key|password|cookie|credential/i.test(name);
}

/** A secret header's value as the drawer shows it: its scheme word (`Bearer`) kept, the rest hidden. */
export function maskHeaderValue(value: string): string {
  const scheme = /^(\w+)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} ••••••` : '••••••';
}
