/**
 * The request target, normalised before anything routes on it, the way Envoy
 * does with `normalize_path`, `merge_slashes` and escaped slashes rejected:
 * the sidecar decides on the normalised path (is it under /v1/, is it a
 * stateful route) and forwards that same path, so no upstream can read a
 * different path out of the bytes than the sidecar did.
 *
 * Steps, on Node's `req.url` (origin-form, `/v1/chat/completions?x=1`):
 * 1. It must start with `/` (absolute-form `http://…`, authority-form `h:443`,
 *    `*` and empty targets are refused).
 * 2. A `#fragment` is dropped; the query is split off at the first `?` and
 *    kept exactly as it came. Control characters are refused anywhere.
 * 3. In the path: `\`, bytes outside visible ASCII, malformed `%` escapes and
 *    escaped `/`, `\`, NUL or control characters are refused; escaped
 *    unreserved characters (RFC 3986 §2.3) are decoded; other escapes keep
 *    their meaning, with upper-case hex.
 * 4. Repeated slashes are merged; `.` and `..` segments are removed
 *    (RFC 3986 §5.2.4; `..` never climbs above the root).
 * 5. The result must be `/v1/` and something after it.
 *
 * A refusal carries a short reason for the OpenAI-shaped error, quoting at
 * most ECHO_MAX characters of the (already checked, printable) path.
 */

/** `outside`: a well-formed target that is not under /v1/ (a 404, not a 400). */
export type PathResult = { ok: true; path: string; query: string } | { ok: false; reason: string; outside?: boolean };

const ECHO_MAX = 100;
const PREFIX = '/v1/';

const refuse = (reason: string): PathResult => ({ ok: false, reason });

/** The targets nearly every request has, already normal: answered without the scan. */
const COMMON: ReadonlyMap<string, PathResult> = new Map(
  ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses', '/v1/models'].map((p) => [p, Object.freeze({ ok: true as const, path: p, query: '' })]),
);

export function normalisePath(target: string | undefined): PathResult {
  const common = target === undefined ? undefined : COMMON.get(target);
  if (common) return common;
  if (target === undefined || target === '') return refuse('empty request target');
  if (target[0] !== '/') return { ok: false, reason: 'request target must be a path starting with "/"', outside: true };
  if (/[\x00-\x1f\x7f]/.test(target)) return refuse('control character in request target');

  const hash = target.indexOf('#');
  const noFragment = hash === -1 ? target : target.slice(0, hash);
  const q = noFragment.indexOf('?');
  const rawPath = q === -1 ? noFragment : noFragment.slice(0, q);
  const query = q === -1 ? '' : noFragment.slice(q);

  const decoded = decodeUnreserved(rawPath);
  if (!decoded.ok) return decoded;
  const path = removeDotSegments(decoded.path.replace(/\/{2,}/g, '/'));

  if (!path.startsWith(PREFIX) || path.length === PREFIX.length) return { ok: false, reason: `unknown path ${echo(path)}: only /v1/ is served`, outside: true };
  return { ok: true, path, query };
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Visible ASCII except `\`: the characters a path may hold literally. */
function isPathChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== 0x5c;
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x7e // ~
  );
}

function decodeUnreserved(raw: string): { ok: true; path: string } | { ok: false; reason: string } {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c) return { ok: false, reason: 'backslash in path' };
    if (!isPathChar(c)) return { ok: false, reason: 'path may only hold visible ASCII; percent-encode the rest' };
    if (c !== 0x25) {
      out += raw[i];
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return { ok: false, reason: 'malformed percent-escape in path' };
    const v = parseInt(hex, 16);
    if (v === 0x2f || v === 0x5c) return { ok: false, reason: 'encoded slash or backslash in path' };
    if (v < 0x20 || v === 0x7f) return { ok: false, reason: 'encoded control character in path' };
    out += isUnreserved(v) ? String.fromCharCode(v) : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return { ok: true, path: out };
}

/** RFC 3986 §5.2.4 for an absolute path whose slashes are already merged. */
function removeDotSegments(path: string): string {
  const segments = path.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..') out.pop();
      if (last) out.push('');
    } else {
      out.push(seg);
    }
  }
  return '/' + out.join('/');
}

function echo(path: string): string {
  return JSON.stringify(path.length > ECHO_MAX ? `${path.slice(0, ECHO_MAX)}...` : path);
}
