/**
 * Retry timing: exponential backoff with full jitter, and `Retry-After`.
 *
 * Pure: the caller owns the timer. It asks `decideRetry` whether and how long
 * to wait before retrying the same upstream model, then sleeps on its own.
 */
import type { Random } from '../clock.js';
import type { RetryPolicy } from '../config/route.js';

/**
 * Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniform delay in `[0, min(maxMs, baseMs * 2^retry))`. `retry` is 0 for
 * the first retry. Spreading retries uniformly keeps a fleet of sidecars from
 * retrying a struggling upstream in lock step.
 */
export function backoffDelayMs(
  policy: { baseMs: number; maxMs: number },
  retry: number,
  random: Random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry));
  return random() * ceiling;
}

type Headers = Record<string, string | string[] | undefined>;

/** A non-negative decimal: `3`, `1.5`, `.5`. No sign, no exponent, no junk. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function firstValue(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * How long the upstream asked us to wait, in milliseconds, or undefined when
 * it did not say (or said something unreadable).
 *
 * Order: `retry-after-ms` (OpenAI's, float milliseconds), then `retry-after`
 * as delta-seconds (integer or float) or an HTTP date, measured from `nowMs`;
 * a date in the past means "now" (0). An unreadable `retry-after-ms` falls
 * through to `retry-after`. Header names must be lower-case.
 */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = firstValue(headers, 'retry-after-ms');
  if (ms !== undefined && DECIMAL.test(ms)) return Number(ms);

  const after = firstValue(headers, 'retry-after');
  if (after === undefined) return undefined;
  if (DECIMAL.test(after)) return Number(after) * 1000;
  // An HTTP date always names a day or month; requiring a letter keeps
  // Date.parse's leniency ("-1", "2") from turning junk into a date.
  if (!/[a-z]/i.test(after)) return undefined;
  const at = Date.parse(after);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export type RetryDecision =
  | { retry: true; delayMs: number; cause: 'backoff' | 'retry-after' }
  | { retry: false; reason: 'attempts_exhausted' | 'retry_after_exceeds_max' };

/**
 * Whether to retry the same upstream model, and after how long.
 *
 * - `retriesDone >= policy.attempts`: no (`attempts_exhausted`); `attempts`
 *   counts retries after the first try, as Istio does.
 * - The upstream sent a Retry-After:
 *   - longer than `backoff.maxMs`: do NOT wait (`retry_after_exceeds_max`).
 *     A model that said "come back later" is not hammered, and the request is
 *     not parked for minutes either: the caller moves on along the chain (or
 *     to the official side) at once, and the breaker takes the failure.
 *   - otherwise wait exactly what it asked, no jitter: the server chose it.
 * - Otherwise: full-jitter exponential backoff, retry index `retriesDone`.
 */
export function decideRetry(
  policy: RetryPolicy,
  retriesDone: number,
  retryAfterMs: number | undefined,
  random: Random,
): RetryDecision {
  if (retriesDone >= policy.attempts) return { retry: false, reason: 'attempts_exhausted' };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.backoff.maxMs) return { retry: false, reason: 'retry_after_exceeds_max' };
    return { retry: true, delayMs: retryAfterMs, cause: 'retry-after' };
  }
  return { retry: true, delayMs: backoffDelayMs(policy.backoff, retriesDone, random), cause: 'backoff' };
}
