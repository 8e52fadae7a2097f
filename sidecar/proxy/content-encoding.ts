/**
 * Undoing a reply's `content-encoding` when the sidecar must see the bytes
 * (to scrub the relay key from a pass-through reply). The sidecar asks for
 * `accept-encoding: identity`; this is for upstreams that encode anyway.
 */
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';

/**
 * The decoders for a `content-encoding` header, in the order to apply them
 * (the reverse of the order the codings were applied), or undefined when one
 * of them is not gzip, deflate or br. No header, or `identity`: none.
 */
export function decoders(header: string | string[] | undefined): Transform[] | undefined {
  const codings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const out: Transform[] = [];
  for (const c of codings.reverse()) {
    const d = decoder(c);
    if (!d) return undefined;
    out.push(d);
  }
  return out;
}

function decoder(coding: string): Transform | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // RFC 9110's deflate is zlib-wrapped; createUnzip also accepts gzip.
      return zlib.createUnzip();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}
