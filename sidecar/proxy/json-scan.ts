/**
 * Reading a few values out of raw JSON bytes without parsing the whole
 * document: the hot path rewrites `model` and reads `usage` of every request,
 * and a full parse plus re-serialisation costs in proportion to the prompt
 * and the reply. Every function here answers `undefined` when it is not sure,
 * and the caller then falls back to JSON.parse/JSON.stringify.
 *
 * `exceedsDepth` is the one check made before any parse: how deeply a body
 * nests, counted in one pass without recursion.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(raw: Buffer, i: number): number {
  while (i < raw.length && isSpace(raw[i])) i++;
  return i;
}

/** Index just past the string that opens at `i` (a quote), or -1. */
function endOfString(raw: Buffer, i: number): number {
  for (let j = i + 1; j < raw.length; j++) {
    const b = raw[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  return -1;
}

/** Index just past the value that starts at `i`, or -1. */
function endOfValue(raw: Buffer, i: number): number {
  const b = raw[i];
  if (b === QUOTE) return endOfString(raw, i);
  if (b === OPEN_BRACE || b === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < raw.length; j++) {
      const c = raw[j];
      if (c === QUOTE) {
        j = endOfString(raw, j) - 1;
        if (j < 0) return -1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i; // number, true, false, null
  while (j < raw.length && raw[j] !== COMMA && raw[j] !== CLOSE_BRACE && !isSpace(raw[j])) j++;
  return j;
}

/**
 * The byte span [start, end) of the string value of a top-level `key`, when
 * it appears within the first `limit` bytes; the span includes the quotes.
 */
export function topLevelStringSpan(raw: Buffer, key: string, limit = 4096): [number, number] | undefined {
  let i = skipSpace(raw, 0);
  if (raw[i] !== OPEN_BRACE) return undefined;
  i++;
  while (i < Math.min(raw.length, limit)) {
    i = skipSpace(raw, i);
    if (raw[i] !== QUOTE) return undefined;
    const keyEnd = endOfString(raw, i);
    if (keyEnd < 0) return undefined;
    const isKey = keyEnd - i - 2 === key.length && raw.toString('latin1', i + 1, keyEnd - 1) === key;
    i = skipSpace(raw, keyEnd);
    if (raw[i] !== COLON) return undefined;
    i = skipSpace(raw, i + 1);
    const valueEnd = endOfValue(raw, i);
    if (valueEnd < 0) return undefined;
    if (isKey) return raw[i] === QUOTE ? [i, valueEnd] : undefined;
    i = skipSpace(raw, valueEnd);
    if (raw[i] !== COMMA) return undefined;
    i++;
  }
  return undefined;
}

/** The object value of the LAST `"key":` in the document, parsed; for small trailing objects like `usage`. */
const quotedKeys = new Map<string, Buffer>();

export function lastObjectValue(raw: Buffer, key: string): Record<string, unknown> | undefined {
  let needle = quotedKeys.get(key);
  if (!needle) quotedKeys.set(key, (needle = Buffer.from(`"${key}"`)));
  const at = raw.lastIndexOf(needle);
  if (at < 0) return undefined;
  let i = skipSpace(raw, at + key.length + 2);
  if (raw[i] !== COLON) return undefined;
  i = skipSpace(raw, i + 1);
  if (raw[i] !== OPEN_BRACE) return undefined;
  const end = endOfValue(raw, i);
  if (end < 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8', i, end)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A cheap plausibility check for a JSON object reply: `{` … `}` around the bytes. */
export function looksLikeJsonObject(raw: Buffer): boolean {
  const first = skipSpace(raw, 0);
  let last = raw.length - 1;
  while (last > first && isSpace(raw[last])) last--;
  return raw[first] === OPEN_BRACE && raw[last] === CLOSE_BRACE;
}

/**
 * Whether `{`/`[` nest deeper than `limit` anywhere outside strings (escapes
 * respected): one linear pass, so a 200,000-deep array is refused before
 * JSON.parse or any recursive walker sees it. Malformed JSON gives whatever
 * the brackets say; the parse that follows rejects it.
 */
export function exceedsDepth(raw: Buffer, limit: number): boolean {
  // Depth needs as many openers: a body with at most `limit` of them (nearly every body) is
  // cleared by a native byte search without the scan below.
  if (openers(raw, limit) <= limit) return false;
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === QUOTE) {
      const end = endOfString(raw, i);
      if (end < 0) return false;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth > 0) depth--;
    }
  }
  return false;
}

/** How many `{` and `[` bytes `raw` holds, counting stops past `limit`. */
function openers(raw: Buffer, limit: number): number {
  let n = 0;
  for (let i = raw.indexOf(OPEN_BRACE); i !== -1 && n <= limit; i = raw.indexOf(OPEN_BRACE, i + 1)) n++;
  for (let i = raw.indexOf(OPEN_BRACKET); i !== -1 && n <= limit; i = raw.indexOf(OPEN_BRACKET, i + 1)) n++;
  return n;
}
