/** How a service function is called in SQL, as the drawer and the dialogs show it for copying. */

/** What decides a function's SQL call: schemaless REST takes method, path and body; a proto rpc its fields. */
export interface SqlCallShape {
  schemaless: boolean;
  /** The rpc's request message fields, in order, when the proto is at hand; undefined when unknown. */
  fields?: readonly string[] | undefined;
}

/** A SQL identifier as eKuiper's parser reads it: bare when it can be, else in backquotes. */
function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/**
 * The SQL that calls `fn`. Schemaless (NeuronEX's form): `fn("post", "/path", object_construct("a", a, …))` —
 * the method and path of the request, then the body, which eKuiper sends as a JSON object for one argument.
 * A proto rpc takes its request message's fields in order, each from a column of the same name; with the
 * fields unknown the call says only that its arguments are the fields.
 */
export function sqlCall(fn: string, shape: SqlCallShape): string {
  const name = identifier(fn);
  if (shape.schemaless) return `${name}("post", "/path", object_construct("a", a, "b", b))`;
  if (shape.fields === undefined) return `${name}(…)`;
  return `${name}(${shape.fields.map(identifier).join(', ')})`;
}

/** A whole statement around the call, ready to paste into a rule. */
export function sqlStatement(fn: string, shape: SqlCallShape, stream = 'demo'): string {
  return `SELECT ${sqlCall(fn, shape)} AS result FROM ${stream}`;
}
