/**
 * eKuiper's `validate.ValidateID`, with its exact texts: scripts and UIs show these to users, and a name
 * that passes here is always a safe single path segment on every OS.
 * Returns the problem, or undefined when the id is valid.
 */
export function validateId(id: string): string | undefined {
  if (id === '') return 'id cannot be empty';
  if (id !== id.trim()) return `id '${id}' contains leading or trailing whitespace`;
  if (!/^[a-zA-Z0-9_-]+$/.test(id)) {
    return `id '${id}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed`;
  }
  return undefined;
}

/** eKuiper exports symbol `Random` for plugin `random`; its `.so` may be named either way. */
export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** eKuiper derives the plugin name from a `.so` file name by lower-casing the first letter. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
