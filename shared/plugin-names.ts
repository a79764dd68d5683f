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

/**
 * eKuiper finds a native plugin by its `.so` file and lower-cases the file name's first letter, so a plugin
 * created as `Foo` comes back as `foo` after a restart, its config orphaned. Such names are refused up front.
 */
export function nativeNameProblem(name: string): string | undefined {
  if (!/^[A-Z]/.test(name)) return undefined;
  return (
    `invalid name ${name}: native plugin names start with a lower-case letter, because eKuiper derives the ` +
    `name from the .so file (${upperFirst(name)}.so is the plugin '${lowerFirst(name)}'); use '${lowerFirst(name)}'`
  );
}
