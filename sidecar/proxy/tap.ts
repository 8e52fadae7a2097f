/**
 * A reply tap: sees a committed reply as the app receives it, for the
 * features that keep or judge replies (the response cache, the shadow
 * comparison). A tap never changes or delays what the app gets: its calls are
 * synchronous and must be cheap (keep references, no parsing on the hot path).
 *
 * What a tap sees:
 * - JSON: the whole body, once, already scrubbed of the relay key;
 * - SSE: every event as it goes out (whole, with its blank line; comments
 *   too), scrubbed, and including the usage-only chunk the sidecar asked for
 *   on the app's behalf even when that chunk is stripped for the app;
 * - replies streamed through unparsed (too large to buffer, or in an
 *   encoding the sidecar cannot read): nothing but `end(false)`.
 *
 * `end(complete)` is called exactly once: `complete` is true only for a 2xx
 * reply that reached the app whole (the terminal event for a stream).
 */
export interface ReplyTap {
  body?(status: number, raw: Buffer): void;
  event?(raw: Buffer): void;
  end(complete: boolean): void;
}

/**
 * One tap that feeds several, or `undefined` when there are none. Every tap hears every call
 * though another throws (so each gets its `end`); the first error is rethrown after.
 */
export function tapAll(taps: readonly (ReplyTap | undefined)[]): ReplyTap | undefined {
  const live = taps.filter((t): t is ReplyTap => t !== undefined);
  if (live.length <= 1) return live[0];
  const each = (call: (t: ReplyTap) => void): void => {
    let failed: { err: unknown } | undefined;
    for (const t of live) {
      try {
        call(t);
      } catch (err) {
        failed ??= { err };
      }
    }
    if (failed) throw failed.err;
  };
  return {
    body: (status, raw) => each((t) => t.body?.(status, raw)),
    event: (raw) => each((t) => t.event?.(raw)),
    end: (complete) => each((t) => t.end(complete)),
  };
}
