/**
 * The host's own minimal `google/api/http.proto` and `google/api/annotations.proto`: enough for a service's proto
 * to `import "google/api/annotations.proto"` and write `option (google.api.http) = { get: "/v1/…" }` without
 * shipping Google's files in its zip. eKuiper only finds them when the zip (or an earlier one) put them in
 * `schemas/google/api/`; here every service sees them, and a zip that brings its own copy uses that copy.
 *
 * Kept as text in the code rather than as files beside it, so the packaged app (everything in one archive) and
 * the tests read the same bytes without locating an assets folder. Only the fields eKuiper's REST mapping reads
 * (the five verbs and `body`) are used; `custom`, `response_body` and `additional_bindings` are declared so a
 * proto that sets them parses, and is then refused with eKuiper's `unsupported option` text.
 */

/** The `google.api.HttpRule` message: how one rpc maps onto an HTTP method, a path template and a body. */
export const GOOGLE_API_HTTP_PROTO = `syntax = "proto3";

// Minimal HttpRule for eKuiper Extension Manager: the fields a REST service's rpc may set.
package google.api;

message Http {
  repeated HttpRule rules = 1;
  bool fully_decode_reserved_expansion = 2;
}

message HttpRule {
  string selector = 1;
  oneof pattern {
    string get = 2;
    string put = 3;
    string post = 4;
    string delete = 5;
    string patch = 6;
    CustomHttpPattern custom = 8;
  }
  string body = 7;
  string response_body = 12;
  repeated HttpRule additional_bindings = 11;
}

message CustomHttpPattern {
  string kind = 1;
  string path = 2;
}
`;

/**
 * The `(google.api.http)` method option, extension number as Google assigned it. Written as lines joined rather
 * than one template, so no line of the built bundle starts with `import "…"` (the bundle check reads those as
 * module imports).
 */
export const GOOGLE_API_ANNOTATIONS_PROTO = [
  'syntax = "proto3";',
  '',
  '// Minimal annotations for eKuiper Extension Manager: the google.api.http method option.',
  'package google.api;',
  '',
  'import "google/api/http.proto";',
  'import "google/protobuf/descriptor.proto";',
  '',
  'extend google.protobuf.MethodOptions {',
  '  HttpRule http = 72295728;',
  '}',
  '',
].join('\n');

/** Import path → text of the files every service may import without bringing them. */
export const HOST_PROTOS: ReadonlyMap<string, string> = new Map([
  ['google/api/http.proto', GOOGLE_API_HTTP_PROTO],
  ['google/api/annotations.proto', GOOGLE_API_ANNOTATIONS_PROTO],
]);
