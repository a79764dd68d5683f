import type { Method, Type } from 'protobufjs';
import { hostMessage } from '../../../shared/host-messages.js';
import { ServiceCallError, shown } from './call-failure.js';
import type { HttpRule } from '../service-schema.js';
import { applyHttpRule, compileHttpRule, type HttpMapping } from './http-rule.js';
import {
  argsToMessage,
  decodeJsonAnswer,
  decodeTextAnswer,
  fieldsUnderJsonNames,
  toProtoJson,
  typeName,
} from './proto-values.js';
import type { RestAnswer, RestRequest } from './rest-exchange.js';

/** The longest stretch of an error answer's body quoted in the message (the whole body is in the outcome). */
const QUOTED_BODY = 500;

/** How a REST call reads its answer: the result a rule receives, and notes on what eKuiper would skip. */
export interface RestReading {
  result: unknown;
  notes: string[];
}

/** One REST call: the request a rule sends and how it reads the answer. */
export interface RestPlan {
  request: RestRequest;
  read(answer: RestAnswer): RestReading;
}

/**
 * The request headers: eKuiper always sends `Content-Type: application/json` (also with no body), then sets each
 * header of the interface's options over it, whatever its case.
 */
export function requestHeaders(optionHeaders: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [name, value] of Object.entries(optionHeaders ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = String(value);
  }
  return headers;
}

/** eKuiper joins the address and the path as they are; a path without a leading `/` makes a broken URL. */
function joinUrl(address: string, uri: string): string {
  const url = address + uri;
  try {
    new URL(url);
  } catch {
    throw new ServiceCallError(hostMessage('svcCallBadUrl', { url }));
  }
  return url;
}

function contentTypeOf(answer: RestAnswer): string {
  const value = answer.headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Non-2xx answers fail the call with the body, as eKuiper's do. */
function checkStatus(answer: RestAnswer): void {
  if (answer.status >= 200 && answer.status <= 299) return;
  const text = answer.body.toString('utf8').trim();
  if (text === '')
    throw new ServiceCallError(hostMessage('svcCallHttpStatusEmpty', { status: answer.status }));
  const body = text.length > QUOTED_BODY ? `${text.slice(0, QUOTED_BODY)}...` : text;
  throw new ServiceCallError(hostMessage('svcCallHttpStatus', { status: answer.status, body }));
}

function parseJsonAnswer(answer: RestAnswer, contentType: string): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceCallError(hostMessage('svcCallAnswerNotJson', { type: contentType, reason }));
  }
}

/**
 * Reads an answer as eKuiper's `httpExecutor` does: 2xx only, then by `Content-Type` (`application/json…` or
 * `text/plain…`, compared as eKuiper compares them, case and all); anything else fails as it fails in a rule.
 */
function readAnswer(
  answer: RestAnswer,
  asJson: (value: unknown) => RestReading,
  asText: (text: string) => unknown,
): RestReading {
  checkStatus(answer);
  const contentType = contentTypeOf(answer);
  if (contentType.startsWith('application/json')) return asJson(parseJsonAnswer(answer, contentType));
  if (contentType.startsWith('text/plain'))
    return { result: asText(answer.body.toString('utf8')), notes: [] };
  throw new ServiceCallError(
    contentType === ''
      ? hostMessage('svcCallNoContentType')
      : hostMessage('svcCallContentType', { type: contentType }),
  );
}

/**
 * A schemaless call `iface("post", "/path", args…)` (eKuiper's `wrappedSchemalessDescriptor`): the method and the
 * path come first; no further argument sends no body, one sends it as JSON, more send a JSON array. A JSON answer
 * is the result; a text answer is read as JSON when it parses, else as the text.
 */
export function planSchemaless(
  name: string,
  address: string,
  headers: Record<string, string>,
  args: unknown[],
): RestPlan {
  if (args.length < 2)
    throw new ServiceCallError(hostMessage('svcCallSchemalessArgs', { name, count: args.length }));
  const [method, path, ...rest] = args;
  if (typeof method !== 'string') {
    throw new ServiceCallError(hostMessage('svcCallSchemalessMethod', { name, got: shown(method) }));
  }
  if (typeof path !== 'string')
    throw new ServiceCallError(hostMessage('svcCallSchemalessPath', { name, got: shown(path) }));
  const body = rest.length === 0 ? undefined : JSON.stringify(rest.length === 1 ? rest[0] : rest);
  const request: RestRequest = {
    method: method.toUpperCase(),
    url: joinUrl(address, path),
    headers,
    ...(body === undefined ? {} : { body }),
  };
  return {
    request,
    read: (answer) =>
      readAnswer(
        answer,
        (value) => ({ result: value, notes: [] }),
        (text) => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return text;
          }
        },
      ),
  };
}

/** The mapping of an rpc without a `google.api.http` rule: POST to `/<rpc>` with the request message as JSON. */
function defaultMapping(method: Method, request: Type, args: unknown[]): HttpMapping {
  if (typeName(request) === 'google.protobuf.StringValue' && args.length === 1) {
    // eKuiper sends a string argument of a StringValue rpc as it is: the text is the (already encoded) body.
    if (typeof args[0] !== 'string') {
      throw new ServiceCallError(
        hostMessage('svcCallStringValueArg', { rpc: method.name, got: shown(args[0]) }),
      );
    }
    return { method: 'POST', uri: `/${method.name}`, body: args[0] };
  }
  const message = argsToMessage(method.name, request, args);
  return { method: 'POST', uri: `/${method.name}`, body: JSON.stringify(toProtoJson(request, message)) };
}

/**
 * A REST call of an rpc from a proto (eKuiper's `wrappedProtoDescriptor`): the arguments become the request
 * message, sent as the rpc's `google.api.http` rule says or else POSTed as JSON to `<address>/<rpc>`; the answer
 * is read into the reply message's fields.
 */
export function planProtoRest(
  method: Method,
  httpRule: HttpRule | undefined,
  address: string,
  headers: Record<string, string>,
  args: unknown[],
): RestPlan {
  const requestType = method.resolvedRequestType!;
  const replyType = method.resolvedResponseType!;
  const mapping =
    httpRule === undefined
      ? defaultMapping(method, requestType, args)
      : applyHttpRule(
          method.name,
          compileHttpRule(method.name, httpRule, requestType),
          requestType,
          argsToMessage(method.name, requestType, args),
        );
  const request: RestRequest = {
    method: mapping.method,
    url: joinUrl(address, mapping.uri),
    headers,
    ...(mapping.body === undefined ? {} : { body: mapping.body }),
  };
  return {
    request,
    read: (answer) =>
      readAnswer(
        answer,
        (value) => {
          const skipped = fieldsUnderJsonNames(replyType, value);
          const notes =
            skipped.length === 0
              ? []
              : [
                  hostMessage('svcCallAnswerJsonNames', {
                    fields: skipped.join(', '),
                    message: typeName(replyType),
                  }),
                ];
          return { result: decodeJsonAnswer(replyType, value), notes };
        },
        (text) => decodeTextAnswer(method.name, replyType, text),
      ),
  };
}
