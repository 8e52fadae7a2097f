/**
 * Log aggregation for lines that repeat during an outage (a fallback per
 * request, a breaker transition per probe): the first line of each kind in
 * an interval is logged as is; the rest are counted, and when the interval
 * has passed one summary line per kind says how many were left out:
 *
 *   circuit opened for relay model kimi-k2 (212 more in the last 10s)   {suppressed: 212}
 *
 * Intervals are shared by all keys and start at the first line after the
 * previous one ended. A summary goes out on the next `log` call after the
 * interval, or from an unref'd timer when no call comes (it never keeps the
 * process alive). At most `maxKeys` kinds are tracked per interval; lines of
 * further kinds are aggregated under one `other` key, so the memory bound
 * holds however many distinct keys an outage produces.
 */
import type { Clock } from './clock.js';
import type { Logger } from './log.js';

export type ThrottledLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogThrottleOptions {
  /** Default 10 s. */
  intervalMs?: number;
  /** Distinct keys tracked per interval; default 1000. */
  maxKeys?: number;
}

interface Entry {
  level: ThrottledLevel;
  fields: Record<string, unknown>;
  msg: string;
  suppressed: number;
}

/** The key that lines of kinds beyond `maxKeys` share. */
export const OTHER_KEY = 'other';

export class LogThrottle {
  private readonly intervalMs: number;
  private readonly maxKeys: number;
  private readonly entries = new Map<string, Entry>();
  private windowStart: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    opts: LogThrottleOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.maxKeys = opts.maxKeys ?? 1000;
  }

  /** Log `msg` unless a line with the same key was logged in this interval; then count it. */
  log(key: string, level: ThrottledLevel, fields: Record<string, unknown>, msg: string): void {
    this.flush();
    const now = this.clock.now();
    this.windowStart ??= now;
    let k = key;
    if (!this.entries.has(k) && this.entries.size >= this.maxKeys) k = OTHER_KEY;
    const entry = this.entries.get(k);
    if (entry) {
      entry.suppressed++;
      // The summary carries the latest line's fields and message.
      entry.level = level;
      entry.fields = k === OTHER_KEY ? {} : fields;
      entry.msg = k === OTHER_KEY ? 'log lines of kinds beyond the tracked limit' : msg;
      this.arm();
      return;
    }
    this.entries.set(k, { level, fields, msg, suppressed: 0 });
    this.logger[level](fields, msg);
  }

  /** Emit the summaries if the interval has passed (also called on every `log`). */
  flush(): void {
    if (this.windowStart === undefined || this.clock.now() - this.windowStart < this.intervalMs) return;
    const secs = `${Math.round(this.intervalMs / 1000)}s`;
    for (const e of this.entries.values()) {
      if (e.suppressed > 0) this.logger[e.level]({ ...e.fields, suppressed: e.suppressed }, `${e.msg} (${e.suppressed} more in the last ${secs})`);
    }
    this.entries.clear();
    this.windowStart = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Emit what is pending now, whatever the interval (shutdown). */
  close(): void {
    if (this.windowStart !== undefined) this.windowStart = this.clock.now() - this.intervalMs;
    this.flush();
  }

  /** Keys tracked in the current interval (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private arm(): void {
    if (this.timer || this.windowStart === undefined) return;
    const left = Math.max(10, this.windowStart + this.intervalMs - this.clock.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
      // A clock that has not moved (a test's manual clock): check again later.
      if (this.windowStart !== undefined && [...this.entries.values()].some((e) => e.suppressed > 0)) this.arm();
    }, left);
    this.timer.unref();
  }
}
