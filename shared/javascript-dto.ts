/**
 * eKuiper's JavaScript function (`js.Script`): the body of `POST /udf/javascript` and `PUT /udf/javascript/{id}`
 * and the answer of `GET /udf/javascript/{id}`. Clients must send `isAgg` (eKuiper's own test posts `is_agg`,
 * which its decoder ignores).
 */
export interface JsFunction {
  id: string;
  description: string;
  script: string;
  isAgg: boolean;
}

/** What this app's Try it (`POST /manager/udf/javascript/{id}/call`) answers: the result and the call's time. */
export interface JsCallResult {
  /** The function's result as JSON (`undefined` becomes null). */
  result: unknown;
  ms: number;
}
