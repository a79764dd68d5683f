import protobuf from 'protobufjs';
import type { Field, Type } from 'protobufjs';
import { hostMessage } from '../../../shared/host-messages.js';
import { ServiceCallError, shown } from './call-failure.js';

/**
 * A message's value in protobufjs's object form, keyed by protobufjs field names: 64-bit integers as decimal
 * strings (exact), bytes as base64 strings, enums as numbers, nested messages as objects, repeated fields as arrays.
 * `Type.fromObject` reads it for gRPC, `toProtoJson` for REST.
 */
export type MessageValue = Record<string, unknown>;

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', ...LONG_TYPES]);
const UNSIGNED_TYPES = new Set(['uint32', 'fixed32', 'uint64', 'fixed64']);
const FLOAT_TYPES = new Set(['double', 'float']);

/** google.protobuf's wrappers: eKuiper reads and writes them as their bare value. */
const WRAPPER_TYPES = new Set(
  ['Bool', 'Bytes', 'Double', 'Float', 'Int32', 'Int64', 'String', 'UInt32', 'UInt64'].map(
    (kind) => `google.protobuf.${kind}Value`,
  ),
);

/** A type's full name without protobufjs's leading dot. */
export function typeName(type: { fullName: string }): string {
  return type.fullName.replace(/^\./, '');
}

export function isWrapperType(type: Type): boolean {
  return WRAPPER_TYPES.has(typeName(type));
}

export function isEmptyType(type: Type): boolean {
  return typeName(type) === 'google.protobuf.Empty';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function messageType(field: Field): Type | undefined {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
}

function isEnum(field: Field): boolean {
  return field.resolvedType instanceof protobuf.Enum;
}

/** The type as the proto spells it, for messages (`int64`, `string`, `message shop.Book`). */
function fieldTypeText(field: Field): string {
  const nested = messageType(field);
  if (nested !== undefined) return `message ${typeName(nested)}`;
  if (isEnum(field)) return `enum ${field.type}`;
  return field.repeated ? `repeated ${field.type}` : field.type;
}

function fieldList(type: Type): string {
  return type.fieldsArray.map((field) => field.protoName).join(', ');
}

// ---- SQL arguments -> request message (eKuiper's convertParams and FieldConverter.EncodeField) ----------------

function argTypeError(field: Field, owner: Type, value: unknown): ServiceCallError {
  return new ServiceCallError(
    hostMessage('svcCallArgType', {
      field: field.protoName,
      message: typeName(owner),
      type: fieldTypeText(field),
      got: shown(value),
    }),
  );
}

function isIntegral(field: Field): boolean {
  return INT_TYPES.has(field.type) || isEnum(field);
}

/**
 * Whether a value has a scalar field's kind, as eKuiper's `CONVERT_SAMEKIND` casts accept it: a number for
 * integer, enum and float fields (floats are cut for integers), a boolean for `bool`, a string for `string` and
 * `bytes`; never a string for a number or the other way round.
 */
function sameKind(field: Field, value: unknown): boolean {
  if (isIntegral(field)) return typeof value === 'number' && Number.isFinite(value);
  if (FLOAT_TYPES.has(field.type)) return typeof value === 'number';
  if (field.type === 'bool') return typeof value === 'boolean';
  return typeof value === 'string';
}

/** One scalar of the request, in the object form (64-bit integers as strings, bytes in base64). */
function encodeScalar(field: Field, owner: Type, value: unknown): unknown {
  if (!sameKind(field, value)) throw argTypeError(field, owner, value);
  if (isIntegral(field)) {
    const whole = Math.trunc(value as number);
    if (UNSIGNED_TYPES.has(field.type) && whole < 0) throw argTypeError(field, owner, value);
    return LONG_TYPES.has(field.type) ? BigInt(whole).toString() : whole;
  }
  return field.type === 'bytes' ? Buffer.from(value as string, 'utf8').toString('base64') : value;
}

/** A nested message from an object: its fields by their proto names, missing ones left unset (`encodeMap`). */
function encodeObject(type: Type, value: unknown, field: Field, owner: Type): MessageValue {
  if (!isPlainObject(value)) throw argTypeError(field, owner, value);
  return unfold(type, value);
}

/** One field's value from a SQL value, as eKuiper's `EncodeField` casts it. */
export function encodeField(field: Field, owner: Type, value: unknown): unknown {
  if (field.map) {
    throw new ServiceCallError(
      hostMessage('svcCallArgMapField', { field: field.protoName, message: typeName(owner) }),
    );
  }
  const nested = messageType(field);
  const one = (item: unknown): unknown =>
    nested === undefined ? encodeScalar(field, owner, item) : encodeObject(nested, item, field, owner);
  if (field.repeated) {
    if (!Array.isArray(value)) throw argTypeError(field, owner, value);
    return value.map(one);
  }
  return one(value);
}

/** eKuiper's `unfoldMap`: an object argument read as the message's fields by their proto names. */
function unfold(type: Type, value: Record<string, unknown>): MessageValue {
  const message: MessageValue = {};
  for (const field of type.fieldsArray) {
    const fieldValue = value[field.protoName];
    if (fieldValue === undefined || fieldValue === null) continue;
    message[field.name] = encodeField(field, type, fieldValue);
  }
  return message;
}

/**
 * The request message of an rpc from a function's SQL arguments, with eKuiper's rules (`convertParams`): no
 * argument for a message without fields; one object argument holding the fields by their proto names; one plain
 * argument for a message of one field; otherwise exactly one argument per field, in the order the proto declares
 * them. eKuiper sets positional arguments by field number (1, 2, 3…) and crashes on numbers with gaps; they are
 * set here by declaration order, which is what eKuiper means and does for protos numbered 1…n.
 */
export function argsToMessage(rpc: string, type: Type, args: unknown[]): MessageValue {
  const fields = type.fieldsArray;
  const countError = (): ServiceCallError =>
    new ServiceCallError(
      args.length === 0
        ? hostMessage('svcCallArgsNone', {
            rpc,
            count: fields.length,
            message: typeName(type),
            fields: fieldList(type),
          })
        : hostMessage('svcCallArgsCount', {
            rpc,
            count: fields.length,
            message: typeName(type),
            fields: fieldList(type),
            got: args.length,
          }),
    );
  if (args.length === 0) {
    if (fields.length === 0) return {};
    throw countError();
  }
  if (args.length === 1) {
    const [arg] = args;
    let unfoldError: ServiceCallError | undefined;
    if (isPlainObject(arg)) {
      try {
        const message = unfold(type, arg);
        if (Object.keys(message).length > 0) return message;
      } catch (error) {
        if (!(error instanceof ServiceCallError)) throw error;
        unfoldError = error;
      }
    }
    if (fields.length === 1) return { [fields[0]!.name]: encodeField(fields[0]!, type, arg) };
    if (unfoldError !== undefined) throw unfoldError;
    if (isPlainObject(arg) && fields.length > 0) {
      throw new ServiceCallError(
        hostMessage('svcCallArgObjectNoField', { rpc, message: typeName(type), fields: fieldList(type) }),
      );
    }
    throw countError();
  }
  if (args.length !== fields.length) throw countError();
  const message: MessageValue = {};
  fields.forEach((field, index) => (message[field.name] = encodeField(field, type, args[index])));
  return message;
}

// ---- message -> proto JSON (what jsonpb sends: JSON names, 64-bit integers as strings, defaults left out) -----

function isDefault(field: Field, value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (field.map) return isPlainObject(value) && Object.keys(value).length === 0;
  if (value === undefined || value === null) return true;
  if (messageType(field) !== undefined) return false;
  return value === 0 || value === '0' || value === '' || value === false;
}

function scalarJson(field: Field, value: unknown): unknown {
  const enumType = field.resolvedType;
  if (enumType instanceof protobuf.Enum && typeof value === 'number')
    return enumType.valuesById[value] ?? value;
  if (FLOAT_TYPES.has(field.type) && typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  return value;
}

function fieldJson(field: Field, value: unknown): unknown {
  const nested = messageType(field);
  const one = (item: unknown): unknown =>
    nested === undefined ? scalarJson(field, item) : toProtoJson(nested, item as MessageValue);
  if (field.map && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, one(item)]));
  }
  return Array.isArray(value) ? value.map(one) : one(value);
}

/**
 * A message as eKuiper's REST calls send it (jhump's `MarshalJSON`, i.e. jsonpb): fields under their JSON names
 * (lowerCamelCase unless `json_name` says otherwise) in field-number order, 64-bit integers as strings, enums by
 * name, bytes in base64, fields that hold their default value left out, wrappers as their bare value.
 */
export function toProtoJson(type: Type, value: MessageValue): unknown {
  if (isWrapperType(type)) {
    const field = type.fieldsArray[0]!;
    return fieldJson(field, value[field.name] ?? field.typeDefault);
  }
  const out: Record<string, unknown> = {};
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  for (const field of fields) {
    const fieldValue = value[field.name];
    if (!field.hasPresence && isDefault(field, fieldValue)) continue;
    if (fieldValue === undefined || fieldValue === null) continue;
    out[field.jsonName] = fieldJson(field, fieldValue);
  }
  return out;
}

// ---- answers -> what a rule receives (eKuiper's FieldConverter.DecodeMap / DecodeMessage / DecodeField) ---------

function answerTypeError(field: Field, owner: Type, value: unknown): ServiceCallError {
  return new ServiceCallError(
    hostMessage('svcCallAnswerType', {
      field: field.protoName,
      message: typeName(owner),
      type: fieldTypeText(field),
      got: shown(value),
    }),
  );
}

/** One scalar of an answer with `CONVERT_SAMEKIND`: integers (enums too) as whole numbers. */
function decodeScalar(field: Field, owner: Type, value: unknown): unknown {
  if (!sameKind(field, value)) throw answerTypeError(field, owner, value);
  return isIntegral(field) ? Math.trunc(value as number) : value;
}

function decodeAnswerField(field: Field, owner: Type, value: unknown): unknown {
  // eKuiper reads a map field as a list of entries, which a JSON object is not: the call fails.
  if (field.map) throw answerTypeError(field, owner, value);
  const nested = messageType(field);
  const one = (item: unknown): unknown => {
    if (nested === undefined) return decodeScalar(field, owner, item);
    if (!isPlainObject(item)) throw answerTypeError(field, owner, item);
    return decodeJsonAnswer(nested, item);
  };
  if (field.repeated) {
    if (!Array.isArray(value)) throw answerTypeError(field, owner, value);
    return value.map(one);
  }
  return one(value);
}

/**
 * A REST answer in JSON as a rule receives it (eKuiper's `ConvertReturnJson` then `DecodeMap`): the answer must be
 * an object, and only the fields found under their **proto** names are read (eKuiper does not look for JSON
 * names); each must have its field's kind (a 64-bit integer sent as a string fails, as it does in eKuiper).
 */
export function decodeJsonAnswer(type: Type, answer: unknown): Record<string, unknown> {
  if (!isPlainObject(answer)) {
    throw new ServiceCallError(hostMessage('svcCallAnswerNotObject', { message: typeName(type) }));
  }
  const result: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!(field.protoName in answer)) continue;
    result[field.protoName] = decodeAnswerField(field, type, answer[field.protoName]);
  }
  return result;
}

/** The fields of a JSON answer that eKuiper skips because they are sent under their JSON name only. */
export function fieldsUnderJsonNames(type: Type, answer: unknown): string[] {
  if (!isPlainObject(answer)) return [];
  return type.fieldsArray
    .filter(
      (field) =>
        field.jsonName !== field.protoName && !(field.protoName in answer) && field.jsonName in answer,
    )
    .map((field) => field.jsonName);
}

/**
 * A REST answer in plain text (eKuiper's `ConvertReturnText`): read only when the rpc returns a wrapper type, the
 * text converted to the wrapper's kind the way eKuiper's `CONVERT_ALL` converts it.
 */
export function decodeTextAnswer(rpc: string, type: Type, text: string): unknown {
  if (!isWrapperType(type)) {
    throw new ServiceCallError(hostMessage('svcCallTextAnswerNotWrapper', { rpc, message: typeName(type) }));
  }
  const field = type.fieldsArray[0]!;
  if (INT_TYPES.has(field.type)) {
    if (!/^\s*[-+]?\d+\s*$/.test(text)) throw answerTypeError(field, type, text);
    return Number.parseInt(text, 10);
  }
  if (FLOAT_TYPES.has(field.type)) {
    const number = Number(text);
    if (text.trim() === '' || Number.isNaN(number)) throw answerTypeError(field, type, text);
    return number;
  }
  if (field.type === 'bool') {
    const truth = { true: true, false: false, '1': true, '0': false } as Record<string, boolean>;
    const value = truth[text.trim().toLowerCase()];
    if (value === undefined) throw answerTypeError(field, type, text);
    return value;
  }
  return text;
}

/** A 64-bit integer (decimal string) as a number when it fits exactly, else the string. */
function wholeNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/**
 * A gRPC reply as a rule receives it (eKuiper's `DecodeMessage`): wrappers as their bare value, Empty as null,
 * otherwise every field under its proto name with its default when unset (unset messages, oneof members that
 * are not set and map fields are left out), enums as numbers, bytes in base64.
 */
export function decodeReply(type: Type, reply: MessageValue): unknown {
  if (isEmptyType(type)) return null;
  if (isWrapperType(type)) {
    const field = type.fieldsArray[0]!;
    return replyField(field, reply[field.name]);
  }
  const result: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = reply[field.name];
    // eKuiper cannot convert a map field and leaves it out of the result.
    if (value === undefined || value === null || field.map) continue;
    result[field.protoName] = replyField(field, value);
  }
  return result;
}

function replyField(field: Field, value: unknown): unknown {
  const nested = messageType(field);
  const one = (item: unknown): unknown =>
    nested !== undefined
      ? decodeReply(nested, item as MessageValue)
      : LONG_TYPES.has(field.type)
        ? wholeNumber(item)
        : item;
  return Array.isArray(value) ? value.map(one) : one(value);
}
