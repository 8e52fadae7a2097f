/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1),
 * plus the ones the sidecar recomputes. Stripped in both directions: the
 * sidecar's connection to an upstream is not the app's connection to the
 * sidecar (passing on `connection: keep-alive` would override an app's
 * `Connection: close`), and `expect: 100-continue` is answered by the
 * sidecar's own server, never forwarded (undici refuses it outright).
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);
