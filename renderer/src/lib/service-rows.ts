import type { ServiceInfo, ServiceInterfaceInfo } from '../../../shared/service-dto';
import type { ServiceEntry } from '../stores/services-store';

/** One service as a row of the list: what eKuiper's describe answer says, flattened for columns and the filter. */
export interface ServiceRow {
  name: string;
  interfaces: string[];
  /** Each protocol once, in the interfaces' order. */
  protocols: string[];
  /** Each address once. */
  addresses: string[];
  /** The SQL functions of all its interfaces. */
  functions: string[];
  /** Why the describe answer could not be read (the row still shows, with its name). */
  error: string | undefined;
  /** Lower-case text the filter looks in. */
  haystack: string;
}

const unique = (values: readonly string[]) => [...new Set(values.filter((value) => value !== ''))];

/** A service's interfaces in a stable order (by name), as the drawer and the rows show them. */
export function interfacesOf(info: ServiceInfo | undefined): [string, ServiceInterfaceInfo][] {
  return Object.entries(info?.Interfaces ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** The rows of the list, sorted by name as eKuiper's store order means nothing to users. */
export function buildServiceRows(entries: readonly ServiceEntry[]): ServiceRow[] {
  return entries
    .map(({ name, info, error }) => {
      const interfaces = interfacesOf(info);
      const row = {
        name,
        interfaces: interfaces.map(([iface]) => iface),
        protocols: unique(interfaces.map(([, binding]) => binding.Protocol)),
        addresses: unique(interfaces.map(([, binding]) => binding.Addr)),
        functions: interfaces.flatMap(([, binding]) => binding.Functions ?? []),
        error,
      };
      const haystack = [row.name, ...row.interfaces, ...row.protocols, ...row.addresses, ...row.functions]
        .join('\n')
        .toLowerCase();
      return { ...row, haystack };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The rows whose name, interfaces, protocol, address or functions contain every word of `filter`. */
export function filterServiceRows(rows: readonly ServiceRow[], filter: string): ServiceRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => words.every((word) => row.haystack.includes(word)));
}
