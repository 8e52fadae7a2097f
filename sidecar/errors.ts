/**
 * Every error the sidecar itself makes, in one catalogue (fastify's FST_ERR_*
 * pattern). On the wire each is the OpenAI shape
 * `{"error":{"message","type","param","code"}}` with `x-bellwether-error: <code>`,
 * so the app's OpenAI SDK raises its usual typed exceptions.
 *
 * Messages never include keys or request bodies.
 */

export type ErrorType = 'invalid_request_error' | 'rate_limit_error' | 'insufficient_quota' | 'server_error';

export interface ErrorDef {
  code: string;
  status: number;
  type: ErrorType;
  param?: string;
}

function def(code: string, status: number, type: ErrorType, param?: string): ErrorDef {
  return param === undefined ? { code, status, type } : { code, status, type, param };
}

export const ERR = {
  /** The body is larger than spec.limits.maxRequestBytes. */
  REQUEST_TOO_LARGE: def('request_too_large', 413, 'invalid_request_error'),
  /** The body of a JSON endpoint is not a JSON object (or is nested deeper than the sidecar reads). */
  INVALID_JSON: def('invalid_json', 400, 'invalid_request_error'),
  /** A JSON endpoint without a string `model`. */
  MISSING_MODEL: def('missing_model', 400, 'invalid_request_error', 'model'),
  /** The request fits no relay model's context window and may not go to the official API. */
  CONTEXT_LENGTH_EXCEEDED: def('context_length_exceeded', 400, 'invalid_request_error', 'messages'),
  /** Not under /v1/. */
  UNKNOWN_PATH: def('unknown_path', 404, 'invalid_request_error'),
  /** More than spec.limits.maxConcurrent requests in flight in this sidecar. */
  TOO_MANY_CONCURRENT: def('too_many_concurrent_requests', 429, 'rate_limit_error'),
  /** Every upstream candidate failed with a connect error, reset or bad reply. */
  UPSTREAM_UNAVAILABLE: def('upstream_unavailable', 502, 'server_error'),
  /** Every upstream candidate timed out, or spec.timeouts.total elapsed. */
  UPSTREAM_TIMEOUT: def('upstream_timeout', 504, 'server_error'),
  /** Every candidate was skipped because its circuit breaker is open. */
  CIRCUIT_OPEN: def('circuit_open', 503, 'server_error'),
  /** The upstream stream broke after bytes had reached the app (sent as a final SSE event). */
  STREAM_INTERRUPTED: def('upstream_stream_interrupted', 502, 'server_error'),
  /** The request path is malformed: encoded slashes or backslashes, bad escapes, control characters. */
  INVALID_PATH: def('invalid_path', 400, 'invalid_request_error'),
  /** The sidecar's memory budget for in-flight requests is used up (--max-buffered-bytes). */
  OVERLOADED: def('sidecar_overloaded', 503, 'server_error'),
  /** The pod is terminating and the request was still open at the shutdown deadline. */
  SHUTTING_DOWN: def('sidecar_shutting_down', 503, 'server_error'),
  /** The sidecar has no valid route loaded. */
  NOT_READY: def('sidecar_not_ready', 503, 'server_error'),
  /**
   * spec.budget with action block: the route's daily cap is reached, or every model the request
   * could use is over its cap. Typed like OpenAI's own quota error (429 insufficient_quota).
   */
  BUDGET_EXCEEDED: def('budget_exceeded', 429, 'insufficient_quota'),
  /** A bug in the sidecar. */
  INTERNAL: def('internal_error', 500, 'server_error'),
} as const;

export interface OpenAIErrorBody {
  error: { message: string; type: ErrorType; param: string | null; code: string };
}

export function errorBody(e: ErrorDef, message: string): OpenAIErrorBody {
  return { error: { message, type: e.type, param: e.param ?? null, code: e.code } };
}
