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
 * The taps of a reply as one, or `undefined` when there are none. Taps only observe: one that
 * throws is reported to `onError` and hears nothing more but its `end(false)` (where it frees
 * what it holds); the reply and the other taps go on.
 */
export function tapAll(taps: readonly (ReplyTap | undefined)[], onError: (err: unknown) => void): ReplyTap | undefined {
  const live = taps.filter((t): t is ReplyTap => t !== undefined).map((t) => guarded(t, onError));
  if (live.length <= 1) return live[0];
  return {
    body(status, raw) {
      for (const t of live) t.body?.(status, raw);
    },
    event(raw) {
      for (const t of live) t.event?.(raw);
    },
    end(complete) {
      for (const t of live) t.end(complete);
    },
  };
}

function guarded(tap: ReplyTap, onError: (err: unknown) => void): ReplyTap {
  let failed = false;
  const report = (err: unknown): void => {
    try {
      onError(err);
    } catch {
      // A report that fails has nowhere left to go; the reply goes on.
    }
  };
  const fail = (err: unknown): void => {
    failed = true;
    report(err);
  };
  return {
    body(status, raw) {
      if (failed || !tap.body) return;
      try {
        tap.body(status, raw);
      } catch (err) {
        fail(err);
      }
    },
    event(raw) {
      if (failed || !tap.event) return;
      try {
        tap.event(raw);
      } catch (err) {
        fail(err);
      }
    },
    end(complete) {
      try {
        tap.end(complete && !failed);
      } catch (err) {
        report(err);
      }
    },
  };
}
