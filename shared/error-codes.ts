/**
 * eKuiper's error codes (pkg/errorx). Plugin routes only ever use these two: 1002 maps to HTTP 404,
 * everything else to 400, and scripts written for eKuiper branch on that.
 */
export const ErrorCode = {
  Undefined: 1000,
  NotFound: 1002,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JSON error body eKuiper sends: key order `error`, then `message`. */
export interface ErrorBody {
  error: number;
  message: string;
}
