/**
 * How the demo prints: colour (off when stdout is not a terminal or NO_COLOR
 * is set), sections, aligned tables and the number formats every phase uses.
 */
import type { RecordedRequest } from '../../test/fakes/upstream.js';

const tty = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');

export const say = (s = ''): void => void process.stdout.write(`${s}\n`);
export const section = (title: string, detail: string): void => say(`\n${bold(title)} ${dim('·')} ${detail}`);
export const ms = (v: number): string => (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
export const pct = (part: number, whole: number): string => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);
export const usd = (v: number): string => `$${v.toFixed(v >= 1 ? 2 : 4)}`;
export const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** Rows of cells → aligned lines; `align` has one letter per column, `l` or `r`; the first row is a header unless `header` is false. */
export function table(rows: Array<Array<string | number>>, align: string, opts: { indent?: string; header?: boolean } = {}): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  cells.forEach((r, n) => {
    const line = r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    say((opts.indent ?? '  ') + (n === 0 && opts.header !== false ? dim(line) : line));
  });
}

/** `a, a, b` → `a ×2, b ×1`; a single distinct value is shown bare; nothing is `—`. */
export function countBy(values: string[]): string {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([k, n]) => (m.size === 1 ? k : `${k} ×${n}`)).join(', ') || '—';
}

/** What the relay fake was asked and how it answered, e.g. `kimi-k2 429 ×2 · gemini-2.5-flash reset ×2`. */
export function relayAttempts(records: RecordedRequest[]): string {
  const outcome = (r: RecordedRequest): string =>
    `${String(r.body?.model)} ${r.behavior.kind === 'status' ? r.behavior.status : r.behavior.kind === 'reset' ? 'reset' : 'ok'}`;
  return countBy(records.map(outcome)).replaceAll(', ', ' · ') || '—';
}
