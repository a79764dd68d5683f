import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { ekuiperApiBase, type ServerKind, type ServerTls } from '../../shared/server-dto.js';
import { scrubSecrets } from './scrub-secrets.js';

/**
 * A request body the client may have to send twice (once more after logging in again on a 401): bytes or text are
 * kept; a stream factory opens a fresh stream each time (a file read from disk). A one-shot stream is sent once
 * and never retried.
 */
export type ServerRequestBody = Uint8Array | string | (() => Readable) | Readable;

export interface ServerRequest {
  method: string;
  /** An eKuiper API path with its query (`/plugins/portables?x=1`), or with `root` a path on the server itself. */
  path: string;
  /** `root`: NeuronEX's own routes (`/api/login`), not under `/api/ekuiper`. */
  root?: boolean;
  headers?: Record<string, string>;
  body?: ServerRequestBody;
  /** How long to wait for the answer's headers; the server's own timeout when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ServerResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The answer's body, streamed; read it (or `text()`/`json()`) once, or `dump()` it. */
  body: Readable;
  text(): Promise<string>;
  json<T>(): Promise<T>;
  /** Discards the body so the connection can be reused. */
  dump(): Promise<void>;
  /**
   * Text quoted from this answer with the credentials the request carried masked: a server or proxy that echoes
   * `Authorization` in its error must not make the host repeat it.
   */
  scrub(text: string): string;
}

/**
 * Adds a server's credentials to requests. `authorization` is the header value to send (eKuiper's raw JWT,
 * `Bearer …`), or undefined for none. `refresh` runs after a 401: it answers whether new credentials were obtained,
 * in which case the request is sent once more.
 */
export interface Authorizer {
  authorization(): Promise<string | undefined>;
  refresh?(): Promise<boolean>;
}

/** Sends a request to the server with its TLS settings but no credentials (logins use it). */
export type RawSend = (request: ServerRequest) => Promise<ServerResponse>;

export interface ServerClientOptions {
  id: string;
  kind: ServerKind;
  url: string;
  tls: ServerTls;
  timeoutMs: number;
  /** Builds the server's authorizer; it may use `send` for a login. */
  authorizer: (send: RawSend) => Authorizer;
}

/** The longest an answer's body may pause between chunks before the request counts as stalled. */
const BODY_IDLE_MS = 5 * 60_000;

/**
 * HTTP to one eKuiper or NeuronEX server: its own connection pool with its TLS settings (a CA, or no verification),
 * its credentials on every request, and one retry after a 401 when the credentials could be renewed (NeuronEX
 * tokens die when it restarts). Forwarding, connection checks and fleet actions all go through this.
 */
export class ServerClient {
  readonly id: string;
  readonly kind: ServerKind;
  readonly url: string;
  /** Where eKuiper's API lives on this server (NeuronEX: `…/api/ekuiper`). */
  readonly apiBase: string;
  readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly authorizer: Authorizer;

  constructor(options: ServerClientOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.url = options.url.replace(/\/+$/, '');
    this.apiBase = ekuiperApiBase(options.kind, this.url);
    this.timeoutMs = options.timeoutMs;
    this.dispatcher = new Agent({
      connect: {
        timeout: options.timeoutMs,
        rejectUnauthorized: !options.tls.insecureSkipVerify,
        ...(options.tls.caCert !== '' && !options.tls.insecureSkipVerify
          ? { ca: [...rootCertificates, options.tls.caCert] }
          : {}),
      },
      // eKuiper turns keep-alive off; NeuronEX keeps it. Idle sockets are dropped quickly either way.
      keepAliveTimeout: 4_000,
    });
    this.authorizer = options.authorizer((req) => this.send(req, undefined));
  }

  /** Sends `request` with the server's credentials; after a 401, renews them once and sends it again if it can. */
  async request(req: ServerRequest): Promise<ServerResponse> {
    const first = await this.send(req, await this.authorizer.authorization());
    if (first.status !== 401 || this.authorizer.refresh === undefined || !replayable(req.body)) return first;
    if (!(await this.authorizer.refresh())) return first;
    await first.dump();
    return this.send(req, await this.authorizer.authorization());
  }

  /** The full URL of an API path (for messages and logs; never carries credentials). */
  urlOf(path: string, root = false): string {
    return `${root ? this.url : this.apiBase}${path}`;
  }

  private async send(req: ServerRequest, authorization: string | undefined): Promise<ServerResponse> {
    const headers: Record<string, string> = { ...req.headers };
    if (authorization !== undefined) headers.authorization = authorization;
    const answer = await request(this.urlOf(req.path, req.root === true), {
      dispatcher: this.dispatcher,
      method: req.method,
      headers,
      body: bodyOf(req.body),
      headersTimeout: req.timeoutMs ?? this.timeoutMs,
      bodyTimeout: BODY_IDLE_MS,
      ...(req.signal === undefined ? {} : { signal: req.signal }),
    });
    const body = answer.body;
    // What this request showed the server: the header as sent and its bare token (after `Bearer `). Not the
    // authorizer's other secrets: a NeuronEX password goes only to the login (which masks it itself), and
    // masking NeuronEX's default `0000` everywhere would turn a quoted `port 10000` into `port 1•••`.
    const sent = authorization === undefined ? [] : [authorization, authorization.replace(/^\S+\s+/, '')];
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body,
      text: () => body.text(),
      json: <T>() => body.json() as Promise<T>,
      dump: async () => {
        await body.dump();
      },
      scrub: (text) => scrubSecrets(text, sent),
    };
  }

  /** Closes the server's connections (the server was edited or removed, or the host stops). */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * Drops the server's connections at once, failing requests still waiting (the host is stopping: a check of a
   * server that never answers must not hold it for the whole timeout).
   */
  async destroy(): Promise<void> {
    await this.dispatcher.destroy();
  }
}

function replayable(body: ServerRequestBody | undefined): boolean {
  return (
    body === undefined || typeof body === 'string' || body instanceof Uint8Array || typeof body === 'function'
  );
}

function bodyOf(body: ServerRequestBody | undefined): string | Uint8Array | Readable | null {
  if (body === undefined) return null;
  return typeof body === 'function' ? body() : body;
}
