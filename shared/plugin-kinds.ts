/** The three kinds of native (Go `.so`) plugins, spelled as eKuiper's REST paths spell them. */
export const NATIVE_KINDS = ['sources', 'sinks', 'functions'] as const;
export type NativeKind = (typeof NATIVE_KINDS)[number];

/** Every kind the host manages; `portables` are eKuiper's portable (process-based) plugins. */
export const PLUGIN_KINDS = [...NATIVE_KINDS, 'portables'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** The symbol folders of a portable plugin zip, also the config folders under `etc/` and `data/`. */
export const SYMBOL_FOLDERS = ['sources', 'sinks', 'functions'] as const;
export type SymbolFolder = (typeof SYMBOL_FOLDERS)[number];

/** Narrows a route segment to a native kind, so handlers never trust raw strings. */
export function isNativeKind(value: string): value is NativeKind {
  return (NATIVE_KINDS as readonly string[]).includes(value);
}

/** Singular wording for messages ("source", "sink", "function"). */
export function kindSingular(kind: NativeKind): string {
  return kind.slice(0, -1);
}
