import {
  DEFAULT_SERVER_TIMEOUT_MS,
  MAX_SERVER_NAME_LENGTH,
  MAX_SERVER_TIMEOUT_MS,
  MIN_SERVER_TIMEOUT_MS,
  validateServerInput,
  type AuthType,
  type ServerAuthInput,
  type ServerInfo,
  type ServerInput,
  type ServerInputProblem,
  type ServerKind,
} from '../../../shared/server-dto';

/** What the Add/Edit server form holds: text as typed, the timeout in seconds. */
export interface ServerFormValues {
  name: string;
  kind: ServerKind;
  url: string;
  authType: AuthType;
  token: string;
  issuer: string;
  privateKey: string;
  username: string;
  password: string;
  insecureSkipVerify: boolean;
  caCert: string;
  timeoutSeconds: string;
}

export type ServerFormField = ServerInputProblem['field'];

/** A problem as the form shows it: an i18n key under `servers.problems` and its values, or the host's words. */
export interface FormProblem {
  key: string;
  values?: Record<string, string | number>;
  /** The words as given, when no key matches (a newer host's rule). */
  text?: string;
}

/** Each kind's usual port and sign-in, so choosing the kind fills in what the user most likely has. */
export const KIND_DEFAULTS: Record<ServerKind, { port: number; authType: AuthType; example: string }> = {
  ekuiper: { port: 9081, authType: 'none', example: 'http://192.168.1.10:9081' },
  neuronex: { port: 8085, authType: 'neuronex-login', example: 'http://192.168.1.10:8085' },
};

/** The form for a new server, or filled from a stored one (secrets are never answered: they stay empty). */
export function formFromServer(server?: ServerInfo): ServerFormValues {
  const values: ServerFormValues = {
    name: server?.name ?? '',
    kind: server?.kind ?? 'ekuiper',
    url: server?.url ?? '',
    authType: server?.auth.type ?? 'none',
    token: '',
    issuer: '',
    privateKey: '',
    username: '',
    password: '',
    insecureSkipVerify: server?.tls.insecureSkipVerify ?? false,
    caCert: server?.tls.caCert ?? '',
    timeoutSeconds: String((server?.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS) / 1000),
  };
  if (server?.auth.type === 'ekuiper-jwt') values.issuer = server.auth.issuer;
  if (server?.auth.type === 'neuronex-login') values.username = server.auth.username;
  return values;
}

/**
 * The form after the kind changed: the address's port follows when it was the other kind's default, and the
 * sign-in follows when it was the other kind's default and nothing secret has been typed.
 */
export function withKind(values: ServerFormValues, kind: ServerKind): ServerFormValues {
  if (kind === values.kind) return values;
  const before = KIND_DEFAULTS[values.kind];
  const after = KIND_DEFAULTS[kind];
  const url = values.url.replace(new RegExp(`:${before.port}(/*)$`), `:${after.port}$1`);
  const untouched =
    values.authType === before.authType &&
    values.token === '' &&
    values.password === '' &&
    values.privateKey === '';
  const next = { ...values, kind, url, authType: untouched ? after.authType : values.authType };
  if (untouched && after.authType === 'neuronex-login' && next.username === '') next.username = 'admin';
  return next;
}

function authInput(values: ServerFormValues): ServerAuthInput {
  const given = (text: string) => (text.trim() === '' ? undefined : text);
  switch (values.authType) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer', ...(given(values.token) === undefined ? {} : { token: values.token.trim() }) };
    case 'ekuiper-jwt':
      return {
        type: 'ekuiper-jwt',
        issuer: values.issuer.trim(),
        ...(given(values.privateKey) === undefined ? {} : { privateKey: values.privateKey.trim() }),
      };
    case 'neuronex-login':
      return {
        type: 'neuronex-login',
        username: values.username.trim(),
        ...(given(values.password) === undefined ? {} : { password: values.password }),
      };
  }
}

/** The timeout typed in seconds, in milliseconds; undefined when it is not a number. */
function timeoutMs(seconds: string): number | undefined {
  const text = seconds.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Math.round(Number(text) * 1000);
}

/** The messages `validateServerInput` (shared with the host) words, matched to the form's translated ones. */
const PATTERNS: Array<[RegExp, string, (match: RegExpMatchArray) => Record<string, string | number>]> = [
  [/^give the server a name$/, 'nameMissing', () => ({})],
  [/^a name has at most/, 'nameTooLong', () => ({ max: MAX_SERVER_NAME_LENGTH })],
  [/^kind must be one of/, 'kind', () => ({})],
  [/^give the server's address, such as (\S+)$/, 'urlMissing', (m) => ({ example: m[1] ?? '' })],
  [/ is not an address; write it as (\S+)$/, 'urlInvalid', (m) => ({ example: m[1] ?? '' })],
  [
    /^the address must start with http:\/\/ or https:\/\/, such as (\S+)$/,
    'urlScheme',
    (m) => ({ example: m[1] ?? '' }),
  ],
  [/^put credentials under Authentication/, 'urlCredentials', () => ({})],
  [/^the address takes no \?query/, 'urlQuery', () => ({})],
  [/^give NeuronEX's own address \((\S+)\)/, 'urlNeuronexPath', (m) => ({ example: m[1] ?? '' })],
  [/^auth\.type must be one of/, 'authType', () => ({})],
  [/^give the token$/, 'tokenMissing', () => ({})],
  [/^give the issuer/, 'issuerMissing', () => ({})],
  [/^the issuer is a file name only/, 'issuerFolder', () => ({})],
  [/^give the RSA private key/, 'privateKeyMissing', () => ({})],
  [/^the private key must be an RSA key/, 'privateKeyPem', () => ({})],
  [/^the private key is protected by a passphrase/, 'privateKeyEncrypted', () => ({})],
  [/^give the user name$/, 'usernameMissing', () => ({})],
  [/^give the password$/, 'passwordMissing', () => ({})],
  [/^the CA certificate must be in PEM form/, 'caCertPem', () => ({})],
  [
    /^the timeout is a whole number/,
    'timeout',
    () => ({ min: MIN_SERVER_TIMEOUT_MS / 1000, max: MAX_SERVER_TIMEOUT_MS / 1000 }),
  ],
];

/** A problem of the shared rules (or the host's answer) as the form shows it, in the window's language. */
export function formProblem(message: string): FormProblem {
  for (const [pattern, key, values] of PATTERNS) {
    const match = message.match(pattern);
    if (match !== null) return { key: `servers.problems.${key}`, values: values(match) };
  }
  return { key: '', text: message };
}

export type FormProblems = Partial<Record<ServerFormField, FormProblem>>;

/**
 * The form as the host takes it, checked with the host's own rules (`validateServerInput`) so each problem is
 * shown at its field before anything is sent. `existing`: the stored server on an edit (its secrets are kept
 * when the fields are left empty).
 */
export function inputFromForm(
  values: ServerFormValues,
  existing?: ServerInfo,
): { ok: true; input: ServerInput } | { ok: false; problems: FormProblems } {
  const timeout = timeoutMs(values.timeoutSeconds);
  const draft = {
    name: values.name,
    kind: values.kind,
    url: values.url,
    auth: authInput(values),
    tls: { insecureSkipVerify: values.insecureSkipVerify, caCert: values.caCert },
    // A text that is no number still goes through the shared rule, which words the problem.
    timeoutMs: timeout ?? Number.NaN,
  };
  const checked = validateServerInput(draft, existing);
  if (checked.ok) return { ok: true, input: checked.input };
  const problems: FormProblems = {};
  for (const problem of checked.problems) problems[problem.field] ??= formProblem(problem.message);
  return { ok: false, problems };
}

/** The fields of the server form as the host's messages name them. */
const FORM_FIELDS: readonly ServerFormField[] = [
  'name',
  'kind',
  'url',
  'auth',
  'auth.token',
  'auth.issuer',
  'auth.privateKey',
  'auth.username',
  'auth.password',
  'tls.caCert',
  'timeoutMs',
];

/**
 * The host's 400 answer (`invalid server: url: …; auth.password: …`) split into the fields it names; what names
 * no field is general. A problem's own words may hold `; ` too, so only `; field: ` starts the next one.
 */
export function hostProblems(message: string): { fields: FormProblems; general: string[] } {
  const fields: FormProblems = {};
  const general: string[] = [];
  const body = message.replace(/^invalid server:\s*/, '');
  const names = FORM_FIELDS.map((field) => field.replace('.', '\\.')).join('|');
  for (const part of body.split(new RegExp(`;\\s+(?=(?:${names}): )`))) {
    const match = new RegExp(`^(${names}): ([\\s\\S]*)$`).exec(part);
    const field = match?.[1] as ServerFormField | undefined;
    if (field !== undefined && match?.[2] !== undefined) fields[field] ??= formProblem(match[2]);
    else if (part.trim() !== '') general.push(part.trim());
  }
  return { fields, general };
}
