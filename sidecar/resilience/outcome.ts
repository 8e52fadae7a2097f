/**
 * The outcome classifier: one pure function that decides, for one upstream
 * attempt, what the request does next — and, separately, what the circuit
 * breaker records (Envoy keeps `retry_on` apart from outlier detection; so do
 * we). The attempt loop only carries the decision out.
 *
 * Three roles, because the sidecar's promise differs by role:
 * - `relay`: a relay chain model. The relay must earn every byte it sends the
 *   app: anything that is not a well-formed success or the app's own error is
 *   a relay failure, retried when `retryOn` lists it and fallen back from
 *   either way (retryOn governs retries, never whether the relay may hurt
 *   production).
 * - `official_fallback`: the official API after the relay chain. `retryOn`
 *   applies; what it leaves out is passed on as the official API's answer.
 * - `official_first`: the official API in front of the relay chain
 *   (`spec.canary.mode: fallbackOnly`, "the relay as last resort"). Its
 *   answer is the app's unless the official API failed: 429 and 5xx
 *   (retried when `retryOn` lists them, then the relay chain), connection
 *   errors, resets and timeouts (likewise), and a stream that broke before
 *   its first data event. Everything else — a success, the app's own 4xx
 *   (400, 401, 404 …), a malformed 2xx — is the official API's answer and
 *   passed on: the relay is never asked to second-guess it. No breaker.
 * - `official_primary`: the official API when the relay is not involved (the
 *   official side was picked, weight 0, or no rule matched). The sidecar is
 *   invisible here: one attempt, the official API's answer passed on as is,
 *   so the app's SDK backs off and retries exactly as it would without
 *   bellwether. Only a failure to get any answer becomes the sidecar's own
 *   502/504 — which the SDK retries too.
 *
 * An error inside the sidecar (`local`: undici refusing a request the
 * sidecar built, a bug) is never charged to an upstream: no retry, no
 * breaker verdict, no window sample; the app gets a 500.
 */

export type Role = 'relay' | 'official_first' | 'official_fallback' | 'official_primary';

/** Why an attempt produced no reply. */
export type ErrorKind =
  /** The sidecar failed before or while sending (not the upstream's fault). */
  | 'local'
  /** TCP/TLS failure, refused, reset, DNS, the connection closed before a response. */
  | 'connect'
  | 'connect_timeout'
  | 'first_byte_timeout'
  /** The reply stalled before anything was committed to the app. */
  | 'idle_timeout'
  /** The reply broke off before anything was committed to the app. */
  | 'cut';

/** As much of a reply's body as deciding needs (read by the I/O shell). */
export type BodyShape =
  /** A whole JSON object (non-streamed). */
  | 'json'
  /** Larger than the buffer cap: streamed through unchecked. */
  | 'large'
  /** Not a JSON object: an HTML page, plain text, a truncated body. */
  | 'not_json'
  /** The first data event of a stream, well-formed and not an error. */
  | 'sse_data'
  /** The first data event is an error event. */
  | 'sse_error'
  /** The first data event is not JSON. */
  | 'sse_malformed'
  /** An event over the size cap arrived before the first data event. */
  | 'sse_too_large'
  /** The stream ended (cleanly) before its first data event. */
  | 'sse_empty'
  /** A success whose content type is neither JSON nor an event stream (streamed requests: not SSE). */
  | 'wrong_type'
  /** Content encoded in a way the sidecar cannot decode (e.g. zstd); not read. */
  | 'undecodable'
  /** An error status: the body was read only to pass it on and to find `error.code`. */
  | 'error_body';

export type Observation =
  | { kind: 'error'; error: ErrorKind }
  | { kind: 'reply'; status: number; body: BodyShape; /** `error.code` of an error body, if any. */ errorCode?: string };

export interface RetryOn {
  statuses: ReadonlySet<number>;
  connectError: boolean;
  timeout: boolean;
}

export type Action =
  /** A good reply: commit it to the app. */
  | 'commit'
  /** Give the app this reply as it is, though it is not a success (its own 4xx, the official API's answer). */
  | 'pass_on'
  /** Try the same model again if attempts remain, else the next candidate. */
  | 'retry'
  /** The next candidate, without retrying this one. */
  | 'next_model'
  /** Leave the relay (its account, not the model, failed): the official fallback, if any. */
  | 'skip_relay'
  /** No answer from the official API: the sidecar answers 502/504 itself, no retry. */
  | 'give_up'
  /** The sidecar itself failed: answer 500, charge nobody. */
  | 'local_error';

export interface Decision {
  action: Action;
  /** What the relay model's circuit breaker records. The official side has none. */
  breaker: 'success' | 'failure' | 'none';
  /** `bellwether_upstream_attempts_total{result}`: bounded. */
  result: string;
  /**
   * When this attempt's reply ends up with the app: did the side serve the
   * request? A relay reply the app gets that is not `served` counts as the
   * relay failing a relay-routed request in the rollback window.
   */
  served: boolean;
}

/** Relay statuses that mean the relay account cannot serve anything: leave the relay at once (ADR 0002). */
const RELAY_ACCOUNT = new Set([401, 402, 403]);
/** Relay statuses that mean this model or endpoint is not there: the next chain model may be. */
const RELAY_MISSING = new Set([404, 405, 410]);
/** Relay statuses about limits of the relay, not faults of the request: the next candidate may take it. */
const RELAY_LIMIT = new Set([408, 413]);
/** Error codes in a relay's 4xx body that name the model, not the request. */
const RELAY_MODEL_CODES = new Set(['model_not_found', 'context_length_exceeded', 'unsupported_model', 'model_not_available']);

/** Body shapes of a 2xx that are not a usable reply. */
const BAD_SUCCESS: Record<Exclude<BodyShape, 'json' | 'large' | 'sse_data' | 'error_body'>, string> = {
  not_json: 'malformed',
  wrong_type: 'malformed',
  sse_error: 'error_event',
  sse_malformed: 'malformed',
  sse_too_large: 'event_too_large',
  sse_empty: 'cut',
  undecodable: 'undecodable',
};

export function classify(role: Role, o: Observation, retryOn: RetryOn): Decision {
  if (o.kind === 'error') return classifyError(role, o.error, retryOn);
  const { status, body } = o;

  if (role === 'official_primary') {
    // The official API's answer, whatever it is, except a stream that said nothing at all.
    if (body === 'sse_empty') return d('give_up', 'none', 'cut', false);
    return status < 400 ? d('commit', 'none', 'ok', true) : d('pass_on', 'none', status === 429 || status >= 500 ? `http_${status}` : 'app_error', status < 500 && status !== 429);
  }

  if (role === 'official_first') {
    // Failed: 429, 5xx, a stream that died before its first data event. Then the relay chain.
    const failed = status === 429 || status >= 500 ? `http_${status}` : body === 'sse_empty' || body === 'sse_too_large' ? BAD_SUCCESS[body] : undefined;
    if (failed !== undefined) {
      const listed = status >= 400 ? retryOn.statuses.has(status) : retryOn.connectError;
      return d(listed ? 'retry' : 'next_model', 'none', failed, false);
    }
    if (status >= 200 && status < 300) return d('commit', 'none', 'ok', true);
    return d('pass_on', 'none', status < 400 ? `http_${status}` : 'app_error', true);
  }

  if (status >= 200 && status < 300) {
    if (body === 'json' || body === 'large' || body === 'sse_data') return d('commit', role === 'relay' ? 'success' : 'none', 'ok', true);
    const result = BAD_SUCCESS[body as keyof typeof BAD_SUCCESS] ?? 'malformed';
    if (role === 'official_fallback') {
      // The official API's own answer is the last word, except for streams that broke before any data.
      if (body === 'sse_empty' || body === 'sse_too_large') return d(retryOn.connectError ? 'retry' : 'give_up', 'none', result, false);
      return d('commit', 'none', 'ok', true);
    }
    // A relay "success" that is not a reply (a CDN page, an error event, a stream of pings that dies).
    return d(retryOn.connectError && body !== 'undecodable' && body !== 'wrong_type' ? 'retry' : 'next_model', 'failure', result, false);
  }

  if (role === 'official_fallback') {
    if (status < 400) return d('pass_on', 'none', `http_${status}`, true);
    if (retryOn.statuses.has(status)) return d('retry', 'none', `http_${status}`, false);
    return d('pass_on', 'none', status === 429 || status >= 500 ? `http_${status}` : 'app_error', status < 500 && status !== 429);
  }

  // The relay, anything but a 2xx.
  if (status < 400) return d('next_model', 'failure', `http_${status}`, false); // redirects are not followed
  if (RELAY_ACCOUNT.has(status)) return d('skip_relay', 'failure', status === 402 ? 'relay_billing' : 'relay_auth', false);
  if (status === 429 || status >= 500) return d(retryOn.statuses.has(status) ? 'retry' : 'next_model', 'failure', `http_${status}`, false);
  if (RELAY_MISSING.has(status) || (o.errorCode !== undefined && RELAY_MODEL_CODES.has(o.errorCode))) {
    return d('next_model', 'failure', o.errorCode === 'context_length_exceeded' ? 'context_length' : `http_${status}`, false);
  }
  if (RELAY_LIMIT.has(status)) return d('next_model', 'none', `http_${status}`, false);
  // The app's own error (400, 409, 415, 422 …): the relay is healthy and said no to the request.
  return d('pass_on', 'success', 'app_error', true);
}

function classifyError(role: Role, e: ErrorKind, retryOn: RetryOn): Decision {
  if (e === 'local') return d('local_error', 'none', 'local_error', false);
  const timeout = e === 'connect_timeout' || e === 'first_byte_timeout' || e === 'idle_timeout';
  const result = timeout ? 'timeout' : e === 'cut' ? 'cut' : 'connect_error';
  const listed = timeout ? retryOn.timeout : retryOn.connectError;
  switch (role) {
    case 'official_primary':
      return d('give_up', 'none', result, false);
    case 'official_fallback':
      return d(listed ? 'retry' : 'give_up', 'none', result, false);
    case 'official_first':
      return d(listed ? 'retry' : 'next_model', 'none', result, false);
    case 'relay':
      return d(listed ? 'retry' : 'next_model', 'failure', result, false);
  }
}

function d(action: Action, breaker: Decision['breaker'], result: string, served: boolean): Decision {
  return { action, breaker, result, served };
}
