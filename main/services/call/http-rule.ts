import protobuf from 'protobufjs';
import type { Field, Type } from 'protobufjs';
import { hostMessage } from '../../../shared/host-messages.js';
import type { HttpRule } from '../service-schema.js';
import { ServiceCallError, shown } from './call-failure.js';
import { toProtoJson, typeName, type MessageValue } from './proto-values.js';

/** A field the path or the query takes its value from: a dotted proto name, and the prefix `{f=prefix*}` demands. */
interface UriField {
  name: string;
  prefix: string;
  /** Where the value goes: a path segment or a query parameter. */
  place: 'path' | 'query';
}

/** An rpc's `google.api.http` rule made ready to fill, as eKuiper's `convertUri` prepares it. */
export interface CompiledHttpRule {
  method: string;
  /** The path around each `{field}`: one more part than there are path fields. */
  pathParts: string[];
  fields: UriField[];
  /** `*` for the whole message, a field's proto name, or empty for no body. */
  body: string;
}

/** The HTTP request a rule sends for one call. */
export interface HttpMapping {
  method: string;
  /** Path and query, appended as they are to the interface's address. */
  uri: string;
  /** The body as sent, absent when the rule sends none. */
  body?: string;
}

/**
 * Prepares a rule the services manager read and checked at install (`HttpRule`) as eKuiper's `convertUri` does:
 * path fields are top-level fields of the request; without `body: "*"`, every other field (and each field of a
 * message field, dotted) becomes a query parameter, in declaration order.
 */
export function compileHttpRule(rpc: string, rule: HttpRule, request: Type): CompiledHttpRule {
  const unused = new Map(request.fieldsArray.map((field) => [field.protoName, true]));
  const fields: UriField[] = [];
  const pathParts: string[] = [];
  let rest = rule.path;
  for (let found = /\{(.*?)\}/.exec(rest); found !== null; found = /\{(.*?)\}/.exec(rest)) {
    pathParts.push(rest.slice(0, found.index));
    rest = rest.slice(found.index + found[0].length);
    const [name = '', pattern, ...extra] = found[1]!.split('=');
    if (extra.length > 0 || (pattern !== undefined && !pattern.endsWith('*'))) {
      throw new ServiceCallError(hostMessage('svcCallHttpRulePath', { rpc, path: rule.path }));
    }
    if (!unused.has(name)) {
      throw new ServiceCallError(
        hostMessage('svcCallHttpRuleField', {
          rpc,
          path: rule.path,
          field: name,
          message: typeName(request),
        }),
      );
    }
    unused.set(name, false);
    fields.push({ name, prefix: pattern === undefined ? '' : pattern.slice(0, -1), place: 'path' });
  }
  pathParts.push(rest);

  if (rule.body !== '*') {
    if (rule.body !== '') {
      if (!unused.has(rule.body)) {
        throw new ServiceCallError(
          hostMessage('svcCallHttpRuleField', {
            rpc,
            path: rule.path,
            field: rule.body,
            message: typeName(request),
          }),
        );
      }
      unused.set(rule.body, false);
    }
    addQueryFields(request, '', unused, fields);
  }
  return { method: rule.method, pathParts, fields, body: rule.body };
}

/** eKuiper's `updateUriParams`: the unused top-level fields, message fields expanded into dotted names. */
function addQueryFields(type: Type, prefix: string, unused: Map<string, boolean>, fields: UriField[]): void {
  for (const field of type.fieldsArray) {
    if (prefix === '' && unused.get(field.protoName) !== true) continue;
    if (field.resolvedType instanceof protobuf.Type) {
      addQueryFields(field.resolvedType, `${prefix}${field.protoName}.`, unused, fields);
      continue;
    }
    fields.push({ name: `${prefix}${field.protoName}`, prefix: '', place: 'query' });
  }
}

function fieldByProtoName(type: Type, name: string): Field | undefined {
  return type.fieldsArray.find((field) => field.protoName === name);
}

/** A field's value as text (eKuiper's `cast.ToString` with `CONVERT_ALL`); an unset field gives its default. */
function fieldText(rpc: string, field: Field, name: string, value: unknown): string {
  if (field.repeated || field.map || field.resolvedType instanceof protobuf.Type) {
    throw new ServiceCallError(hostMessage('svcCallHttpRuleValue', { rpc, field: name, got: shown(value) }));
  }
  if (value === undefined || value === null) {
    if (field.type === 'string' || field.type === 'bytes') return '';
    return field.type === 'bool' ? 'false' : '0';
  }
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? value.toString()
        : JSON.stringify(value);
  return field.type === 'bytes' ? Buffer.from(text, 'base64').toString('utf8') : text;
}

/** The value a dotted name points at in the message, and its field (eKuiper's `getMessageFieldWithDots`). */
function lookup(rpc: string, type: Type, message: MessageValue, dotted: string): string {
  const names = dotted.split('.');
  let currentType = type;
  let current: MessageValue | undefined = message;
  for (const [index, name] of names.entries()) {
    const field = fieldByProtoName(currentType, name);
    if (field === undefined) {
      throw new ServiceCallError(
        hostMessage('svcCallHttpRuleField', {
          rpc,
          path: dotted,
          field: name,
          message: typeName(currentType),
        }),
      );
    }
    const value = current?.[field.name];
    if (index === names.length - 1) return fieldText(rpc, field, dotted, value);
    currentType = field.resolvedType as Type;
    current = value as MessageValue | undefined;
  }
  return '';
}

/**
 * The request an rpc with a `google.api.http` rule sends (eKuiper's `ConvertHttpMapping`): path and query fields
 * take their values from the message (defaults when unset) and leave it; the body is then the rest of the
 * message, one message field, or nothing. Unlike eKuiper, which pastes values in as they are, values are
 * URL-encoded (a `/` in a `{name=prefix/*}` field stays a `/`), so a space or `&` cannot break the request.
 */
export function applyHttpRule(
  rpc: string,
  rule: CompiledHttpRule,
  request: Type,
  message: MessageValue,
): HttpMapping {
  const remaining: MessageValue = { ...message };
  let path = rule.pathParts[0] ?? '';
  const query: string[] = [];
  let slot = 0;
  for (const uriField of rule.fields) {
    const text = lookup(rpc, request, message, uriField.name);
    const top = fieldByProtoName(request, uriField.name.split('.')[0]!);
    if (top !== undefined) delete remaining[top.name];
    if (uriField.prefix !== '' && !text.startsWith(uriField.prefix)) {
      throw new ServiceCallError(
        hostMessage('svcCallHttpRulePrefix', {
          rpc,
          field: uriField.name,
          prefix: uriField.prefix,
          got: shown(text),
        }),
      );
    }
    if (uriField.place === 'path') {
      const encoded = encodeURIComponent(text);
      path +=
        (uriField.prefix === '' ? encoded : encoded.replaceAll('%2F', '/')) +
        (rule.pathParts[slot + 1] ?? '');
      slot += 1;
    } else {
      query.push(`${uriField.name}=${encodeURIComponent(text)}`);
    }
  }
  const uri = query.length === 0 ? path : `${path}${path.includes('?') ? '&' : '?'}${query.join('&')}`;
  if (rule.body === '') return { method: rule.method, uri };
  if (rule.body === '*')
    return { method: rule.method, uri, body: JSON.stringify(toProtoJson(request, remaining)) };
  const bodyField = fieldByProtoName(request, rule.body)!;
  if (!(bodyField.resolvedType instanceof protobuf.Type) || bodyField.repeated) {
    throw new ServiceCallError(hostMessage('svcCallHttpRuleBody', { rpc, field: rule.body }));
  }
  const bodyValue = (message[bodyField.name] as MessageValue | undefined) ?? {};
  return { method: rule.method, uri, body: JSON.stringify(toProtoJson(bodyField.resolvedType, bodyValue)) };
}
