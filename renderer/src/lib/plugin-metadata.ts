/** Text in eKuiper's metadata languages. */
export type LocalizedText = Partial<Record<'en_US' | 'zh_CN', string>>;

/** One configurable property in eKuiper's UI metadata (`properties`, `libs`, `outputs` entries). */
export interface MetadataField {
  name: string;
  default?: unknown;
  optional?: boolean;
  control?: string;
  type?: string;
  hint?: LocalizedText;
  label?: LocalizedText;
  values?: unknown[];
}

/** A function entry of a function plugin's metadata. */
export interface MetadataFunction {
  name: string;
  example?: string;
  hint?: LocalizedText;
}

/** eKuiper's UI metadata JSON for one source, sink or function plugin (`{name}.json`). */
export interface MetadataDoc {
  about?: {
    trial?: boolean;
    author?: { name?: string; email?: string; company?: string; website?: string };
    helpUrl?: LocalizedText;
    description?: LocalizedText;
  };
  /** Sinks: a list; sources: groups by config key (`default`, …) or a list. */
  properties?: MetadataField[] | Record<string, MetadataField[]>;
  functions?: MetadataFunction[];
  libs?: unknown[];
  outputs?: unknown[];
}

/** One readable page: a plugin's own metadata, or one symbol's for portable plugins. */
export interface MetadataSection {
  kind?: 'sources' | 'sinks' | 'functions';
  symbol?: string;
  doc: MetadataDoc;
}

const SYMBOL_KINDS = ['sources', 'sinks', 'functions'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeDoc(value: unknown): value is MetadataDoc {
  return (
    isObject(value) &&
    ('about' in value || 'properties' in value || ('functions' in value && Array.isArray(value.functions)))
  );
}

/**
 * Turns the host's metadata answer into pages. Accepts one document (natives), a map by symbol kind and name
 * (`{sources: {random: doc}, …}`, for portables), or a list of `{kind, name, metadata}`; anything else yields
 * nothing, so an unexpected shape shows "no metadata" instead of breaking the drawer.
 */
export function metadataSections(raw: unknown): MetadataSection[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.flatMap((entry): MetadataSection[] => {
      if (!isObject(entry)) return [];
      const doc = entry.metadata ?? entry.doc ?? entry.content;
      if (!looksLikeDoc(doc)) return [];
      const kind = SYMBOL_KINDS.find((k) => k === entry.kind);
      const symbol =
        typeof entry.name === 'string'
          ? entry.name
          : typeof entry.symbol === 'string'
            ? entry.symbol
            : undefined;
      return [{ ...(kind ? { kind } : {}), ...(symbol ? { symbol } : {}), doc }];
    });
  }
  if (!isObject(raw)) return [];
  const byKind = SYMBOL_KINDS.flatMap((kind): MetadataSection[] => {
    const group = raw[kind];
    if (!isObject(group)) return [];
    return Object.entries(group)
      .filter((entry): entry is [string, MetadataDoc] => looksLikeDoc(entry[1]))
      .map(([symbol, doc]) => ({ kind, symbol, doc }));
  });
  if (byKind.length > 0) return byKind;
  return looksLikeDoc(raw) ? [{ doc: raw }] : [];
}

/** The text in the user's language, else the other one, else `undefined` (empty strings count as missing). */
export function localized(
  text: LocalizedText | string | undefined,
  locale: 'en_US' | 'zh_CN',
): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'string') return text === '' ? undefined : text;
  const other = locale === 'en_US' ? 'zh_CN' : 'en_US';
  const value = text[locale] || text[other];
  return value === '' ? undefined : value;
}

/** Property groups to show: one unnamed group for a list, one per config key for sources' grouped form. */
export function propertyGroups(doc: MetadataDoc): { group: string | undefined; fields: MetadataField[] }[] {
  const properties = doc.properties;
  if (properties === undefined) return [];
  if (Array.isArray(properties))
    return properties.length > 0 ? [{ group: undefined, fields: properties }] : [];
  return Object.entries(properties)
    .filter(([, fields]) => Array.isArray(fields) && fields.length > 0)
    .map(([group, fields]) => ({ group, fields }));
}

/** Whether a field's default is itself a list of fields (eKuiper's `list_object` control). */
export function nestedFields(field: MetadataField): MetadataField[] | undefined {
  const value = field.default;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => isObject(item) && typeof item.name === 'string')
  ) {
    return value as MetadataField[];
  }
  return undefined;
}

/** A default value as short text (`1000`, `""`, `["a","b"]`). */
export function formatDefault(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}
