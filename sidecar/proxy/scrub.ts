/**
 * Scrubbing the relay key out of what the relay sends back.
 *
 * A hostile or careless relay may echo the key it received: in a response
 * header, inside an SSE error event, in a JSON error body, or masked the way
 * OpenAI's 401 does (`Incorrect API key provided: sk-abc1*******wxyz`), or
 * as `sk-ab...wxyz`, `sk-****wxyz`. A KeyScrubber replaces each with
 * `[redacted]` before the app (and its logs) can see it.
 *
 * - The full key is replaced everywhere: `scrubBuffer` for parsed bodies and
 *   events, `transform()` for bodies streamed through unparsed (the key may
 *   be split across chunks), `scrubText` and `scrubHeaders` for small texts.
 * - Masked forms are recognised by `scrubText` only: a run of mask
 *   characters (`*`, `•`, `x`, `.`, `…`; at least three, `…` counting as
 *   three) joined directly to at least MIN_SHOWN characters of the key's own
 *   prefix (before the run) or suffix (after it), the shown part standing as
 *   a word of its own (no letter, digit, `-` or `_` around it). The whole
 *   form, including a shorter part shown on the other side (the `sk-` of
 *   `sk-****wxyz`), is replaced. Mask characters alone, or joined to fewer
 *   than MIN_SHOWN characters of the key, are left alone.
 * - Keys shorter than MIN_PARTIAL_KEY characters are only replaced where they
 *   occur in full: their prefixes and suffixes are too short to tell from
 *   ordinary text. An empty key scrubs nothing.
 */

import { Transform, type TransformCallback } from 'node:stream';

export const REDACTED = '[redacted]';
const REDACTED_BYTES = Buffer.from(REDACTED);

/** Keys shorter than this are scrubbed only where they occur in full. */
export const MIN_PARTIAL_KEY = 8;
/** How many characters of the key's prefix or suffix make a masked run the key's. */
export const MIN_SHOWN = 4;
const MIN_MASK = 3;
/** How many key characters a run of mask characters may have swallowed at either end (`x` may be both). */
const MAX_SWALLOWED = 8;

const MASK_RUN = /[*•x.…]+/g;
const ELLIPSIS = '…';

function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f
  );
}

export class KeyScrubber {
  readonly key: string;
  private readonly keyBytes: Buffer;
  /** The key's first and last MIN_SHOWN characters: a text holding neither holds no masked form of it. */
  private readonly head: string;
  private readonly tail: string;

  constructor(key: string) {
    this.key = key;
    this.keyBytes = Buffer.from(key);
    this.head = key.slice(0, MIN_SHOWN);
    this.tail = key.slice(-MIN_SHOWN);
  }

  /** Fast check + replace of the FULL key; returns the same Buffer when it does not occur. */
  scrubBuffer(buf: Buffer): Buffer {
    const needle = this.keyBytes;
    if (needle.length === 0) return buf;
    let at = buf.indexOf(needle);
    if (at === -1) return buf;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(buf.subarray(from, at), REDACTED_BYTES);
      from = at + needle.length;
      at = buf.indexOf(needle, from);
    }
    parts.push(buf.subarray(from));
    return Buffer.concat(parts);
  }

  /** The full key and its masked or partial forms replaced. For small texts: error bodies, header values, error events. */
  scrubText(text: string): string {
    if (this.key === '') return text;
    const full = text.includes(this.key) ? text.split(this.key).join(REDACTED) : text;
    return this.key.length < MIN_PARTIAL_KEY ? full : this.scrubMasked(full);
  }

  /** Every header value run through scrubText; a new object. */
  scrubHeaders<T extends Record<string, string | string[] | undefined>>(h: T): T {
    const out: Record<string, string | string[] | undefined> = {};
    for (const name of Object.keys(h)) {
      const value = h[name];
      out[name] = value === undefined ? undefined : Array.isArray(value) ? value.map((v) => this.scrubText(v)) : this.scrubText(value);
    }
    return out as T;
  }

  /**
   * A Transform for bodies streamed through unparsed: replaces the full key
   * even when it is split across chunks, by holding back the last
   * key.length - 1 bytes until the next chunk (or the end) shows they do not
   * begin the key.
   */
  transform(): Transform {
    const needle = this.keyBytes;
    const keep = Math.max(needle.length - 1, 0);
    let tail: Buffer = Buffer.alloc(0);
    return new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
        const data = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
        if (needle.length === 0) {
          done(null, data);
          return;
        }
        const parts: Buffer[] = [];
        let from = 0;
        for (let at = data.indexOf(needle); at !== -1; at = data.indexOf(needle, from)) {
          parts.push(data.subarray(from, at), REDACTED_BYTES);
          from = at + needle.length;
        }
        const safe = Math.max(from, data.length - keep);
        parts.push(data.subarray(from, safe));
        tail = Buffer.from(data.subarray(safe));
        const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        done(null, out.length > 0 ? out : undefined);
      },
      flush(done: TransformCallback): void {
        done(null, tail.length > 0 ? tail : undefined);
      },
    });
  }

  private scrubMasked(text: string): string {
    // A masked form shows at least MIN_SHOWN characters of the key's start or end: without either, none is here.
    if (!text.includes(this.head) && !text.includes(this.tail)) return text;
    let out = '';
    let copied = 0;
    for (const m of text.matchAll(MASK_RUN)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end <= copied) continue; // inside a form already replaced
      const span = this.maskedForm(text, start, end);
      if (!span) continue;
      if (span[0] < copied) {
        copied = Math.max(copied, span[1]); // overlaps the form just replaced: extend it
        continue;
      }
      out += text.slice(copied, span[0]) + REDACTED;
      copied = span[1];
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** The span of the masked key around the mask run [start, end), if it is one. */
  private maskedForm(text: string, start: number, end: number): [number, number] | undefined {
    const run = text.slice(start, end);
    const total = weight(run);
    if (total < MIN_MASK) return undefined;
    // `x` (or another mask character the key holds) at either end of the run may belong to the key.
    const leftMax = Math.min(MAX_SWALLOWED, swallowable(run, this.key, 1));
    const rightMax = Math.min(MAX_SWALLOWED, swallowable(run, this.key, -1));
    let best: [number, number] | undefined;
    for (let l = 0; l <= leftMax; l++) {
      const maskFrom = start + l;
      const shownBefore = this.prefixBefore(text, maskFrom);
      for (let r = 0; r <= rightMax && maskFrom < end - r; r++) {
        const maskTo = end - r;
        if (total - weight(run.slice(0, l)) - weight(run.slice(run.length - r)) < MIN_MASK) continue;
        const shownAfter = this.suffixAfter(text, maskTo);
        if (shownBefore < MIN_SHOWN && shownAfter < MIN_SHOWN) continue;
        const span: [number, number] = [Math.min(start, maskFrom - shownBefore), Math.max(end, maskTo + shownAfter)];
        if (!best || span[1] - span[0] > best[1] - best[0]) best = span;
      }
    }
    return best;
  }

  /** The length of the longest prefix of the key that ends at `at` and stands as a word of its own. */
  private prefixBefore(text: string, at: number): number {
    const key = this.key;
    for (let n = Math.min(key.length, at); n > 0; n--) {
      const from = at - n;
      if (text.charCodeAt(at - 1) !== key.charCodeAt(n - 1) || text.charCodeAt(from) !== key.charCodeAt(0)) continue;
      if (from > 0 && isWordChar(text.charCodeAt(from - 1))) continue;
      if (text.startsWith(key.slice(0, n), from)) return n;
    }
    return 0;
  }

  /** The length of the longest suffix of the key that starts at `at` and stands as a word of its own. */
  private suffixAfter(text: string, at: number): number {
    const key = this.key;
    for (let n = Math.min(key.length, text.length - at); n > 0; n--) {
      const to = at + n;
      if (text.charCodeAt(at) !== key.charCodeAt(key.length - n) || text.charCodeAt(to - 1) !== key.charCodeAt(key.length - 1)) continue;
      if (to < text.length && isWordChar(text.charCodeAt(to))) continue;
      if (text.startsWith(key.slice(key.length - n), at)) return n;
    }
    return 0;
  }
}

/** Mask characters counted, an ellipsis character as three dots. */
function weight(run: string): number {
  let w = 0;
  for (const ch of run) w += ch === ELLIPSIS ? 3 : 1;
  return w;
}

/** How many characters at one end of the run (dir 1: start, -1: end) the key also holds. */
function swallowable(run: string, key: string, dir: 1 | -1): number {
  let n = 0;
  while (n < run.length && key.includes(run[dir === 1 ? n : run.length - 1 - n]!)) n++;
  return n;
}

let cached: KeyScrubber | undefined;

/** The scrubber for the relay key in use (one kept; a new key builds a new one). Undefined without a key. */
export function scrubberFor(key: string | undefined): KeyScrubber | undefined {
  if (key === undefined || key === '') return undefined;
  if (cached?.key !== key) cached = new KeyScrubber(key);
  return cached;
}
