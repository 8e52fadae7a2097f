/**
 * Go-style duration strings (`250ms`, `30s`, `1h30m`, `1.5s`) as used in the
 * RelayRoute spec, parsed to milliseconds.
 *
 * The accepted grammar is the subset of Go's `time.ParseDuration` that the
 * CRD's `pattern` admits: one or more `<number><unit>` terms, no sign, no bare
 * `0`, units `ns`, `us`, `µs` (U+00B5), `ms`, `s`, `m`, `h`. The CRD's
 * duration fields use exactly `DURATION_PATTERN` (a test checks it), and CEL's
 * `duration()` accepts every string it admits.
 */

/** The CRD's `pattern` for duration fields, in the shared RE2/ECMAScript subset. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';

const DURATION = new RegExp(DURATION_PATTERN);
const TERM = /([0-9]+)(?:\.([0-9]+))?(ns|us|µs|ms|s|m|h)/g;

const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The human description used in error messages, here and in schema errors. */
export const DURATION_HINT = 'a Go duration such as 250ms, 30s, 15m or 1h30m (units ns, us, ms, s, m, h)';

/**
 * Parses a Go-style duration to milliseconds. Exact for whole milliseconds
 * (`1.1s` is 1100, not 1100.0000000000002); sub-millisecond units give a
 * fractional result (`1500us` is 1.5), and digits finer than a nanosecond are
 * truncated as Go does.
 *
 * @throws Error naming the input when it is not a duration.
 */
export function parseDuration(text: string): number {
  if (typeof text !== 'string' || !DURATION.test(text)) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: expected ${DURATION_HINT}`);
  }
  let nanos = 0n;
  for (const [, whole, fraction = '', unit] of text.matchAll(TERM)) {
    const perUnit = NANOS_PER_UNIT[unit as string] as bigint;
    nanos += BigInt(whole as string) * perUnit;
    if (fraction !== '') {
      nanos += (BigInt(fraction) * perUnit) / 10n ** BigInt(fraction.length);
    }
  }
  const ms = Number(nanos) / 1e6;
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: too long`);
  }
  return ms;
}
