/**
 * The answer of Try it for a service function (`POST /manager/services/functions/{name}/call`), shared by the host
 * that calls the service and the window that shows the exchange, so the two cannot drift apart.
 */

/** What the host sent, as a rule would send it; secrets in headers (Authorization, tokens, cookies) are masked. */
export interface ServiceCallRequestView {
  /** The HTTP method; `POST` for gRPC (every gRPC call is an HTTP/2 POST). */
  method: string;
  /** The URL called; for gRPC `grpc://host:port/package.Service/Method`. */
  url: string;
  headers: Record<string, string>;
  /** The body sent, as text (for gRPC the request message in proto JSON); absent when there was none. */
  body?: string;
}

/** What the service answered. */
export interface ServiceCallResponseView {
  /** The HTTP status, or for gRPC the status code (0 is OK). */
  status: number;
  /** The HTTP reason (`Not Found`) or the gRPC status name (`UNAVAILABLE`). */
  statusText: string;
  headers: Record<string, string>;
  /** The body as text, cut to `SERVICE_CALL_BODY_LIMIT` characters; for gRPC the reply in proto JSON. */
  body: string;
  /** True when `body` was cut. */
  truncated: boolean;
  /** The body's full size in bytes. */
  bytes: number;
}

/**
 * One call of a service function. A failed call is still an answer (`ok: false` and `error` saying why): the call
 * ran, and the request and any response are shown so the user can see what went wrong.
 */
export interface ServiceCallOutcome {
  ok: boolean;
  /** What a rule would receive from the function (eKuiper's conversion of the answer applied). */
  result?: unknown;
  /** Why the call failed, in plain words. */
  error?: string;
  /** What the user should know about a call that worked: answer fields eKuiper would leave out, for example. */
  notes?: string[];
  /** The interface's protocol as its descriptor writes it (`rest`, `grpc`, `msgpack-rpc`). */
  protocol: string;
  /** The last request sent; absent when the arguments could not be turned into one. */
  request?: ServiceCallRequestView;
  /** The last answer; absent when none came (refused, timed out). */
  response?: ServiceCallResponseView;
  /** How many requests were sent: more than one when the interface's `retryCount` retried a failure. */
  attempts: number;
  /** The whole call, retries included. */
  ms: number;
}

/** `POST /manager/services/functions/{name}/call` body. */
export interface ServiceCallBody {
  args?: unknown[];
}

/** Answer bodies longer than this many characters are cut in the outcome (the result is not). */
export const SERVICE_CALL_BODY_LIMIT = 64 * 1024;
