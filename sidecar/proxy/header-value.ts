/**
 * A response header value made from untrusted text, such as
 * `x-bellwether-model` echoing the `model` string the app sent.
 *
 * Node's `setHeader`/`writeHead` throw on characters outside Latin-1 and on
 * control characters (`\n`, `\r`, `\0`, …), and a 100 kB value is no header
 * at all. `headerValue` always returns a valid value: visible ASCII is kept,
 * everything else (space, controls, non-ASCII) is percent-encoded as UTF-8
 * (`✓` → `%E2%9C%93`), and so is `%` itself, so the value decodes back to
 * the text with `decodeURIComponent` unless it was cut. A value longer than
 * `max` characters is cut at a character boundary and ends in `...`.
 */

const ELLIPSIS = '...';

/** A valid HTTP header value of at most `max` characters. */
export function headerValue(text: string, max = 256): string {
  let out = '';
  /** Lengths of `out` after each whole character, to cut at a boundary. */
  const ends: number[] = [];
  for (const ch of text) {
    out += encodeChar(ch);
    ends.push(out.length);
    if (out.length > max) return cut(out, ends, max);
  }
  return out;
}

function encodeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c > 0x20 && c < 0x7f && c !== 0x25) return ch;
  // Lone surrogates encode as U+FFFD.
  let hex = '';
  for (const byte of Buffer.from(ch, 'utf8')) hex += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return hex;
}

function cut(out: string, ends: number[], max: number): string {
  if (max < ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(max, 0));
  const room = max - ELLIPSIS.length;
  let keep = 0;
  for (const end of ends) {
    if (end > room) break;
    keep = end;
  }
  return out.slice(0, keep) + ELLIPSIS;
}
