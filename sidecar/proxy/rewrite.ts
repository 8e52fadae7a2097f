/**
 * The request rewrite: which headers go upstream, with which key, and the
 * body with the upstream model. Pure.
 *
 * Keys never cross sides: the relay gets the relay key and never the app's
 * own Authorization; the official side gets the app's Authorization or the
 * official key and never the relay key. Identity headers that only mean
 * something to the official API (organisation, project, other API-key
 * headers, cookies) are not sent to the relay.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Side, Upstream } from '../config/route.js';
import type { Keys } from '../config/keys.js';
import { topLevelStringSpan } from './json-scan.js';
import { HOP_BY_HOP } from './hop-by-hop.js';


/** Credentials and identity the app meant for the official API. */
const OFFICIAL_ONLY = new Set([
  'authorization',
  'api-key',
  'x-api-key',
  'openai-organization',
  'openai-project',
  'cookie',
]);

export type KeyProblem = 'relay_key_missing';

/**
 * Headers for the upstream request. `parsed` requests ask for identity
 * encoding because the sidecar reads their replies (usage, SSE events).
 */
export function upstreamHeaders(
  app: IncomingHttpHeaders,
  side: Side,
  keys: Keys,
  officialUsesOwnKey: boolean,
  opts: { parsed: boolean; contentLength?: number },
): Record<string, string> | KeyProblem {
  const out: Record<string, string> = {};
  for (const name of Object.keys(app)) {
    const value = app[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('x-bellwether-')) continue;
    if (side === 'relay' && OFFICIAL_ONLY.has(name)) continue;
    if (side === 'official' && officialUsesOwnKey && name === 'authorization') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (side === 'relay') {
    if (!keys.relay) return 'relay_key_missing';
    out['authorization'] = `Bearer ${keys.relay}`;
  } else if (officialUsesOwnKey && keys.official) {
    out['authorization'] = `Bearer ${keys.official}`;
  }
  if (opts.parsed) out['accept-encoding'] = 'identity';
  if (opts.contentLength !== undefined) out['content-length'] = String(opts.contentLength);
  return out;
}

/** `/v1/chat/completions` on the app side → `<basePath>/chat/completions` upstream. */
export function upstreamPath(upstream: Upstream, appPath: string): string {
  return upstream.basePath + appPath.slice('/v1'.length);
}

/**
 * The body for one candidate: the app's JSON with `model` replaced and, for
 * streams the sidecar must count, `stream_options.include_usage` set. Nothing
 * else changes. The common case splices the new model into the app's bytes
 * (no re-serialisation of the prompt); anything unusual — `model` late in the
 * body, a second "model" key anywhere, an existing `stream_options` — takes
 * the parse-and-stringify path.
 */
export function upstreamBody(raw: Buffer, body: Record<string, unknown>, model: string, askUsage: boolean): Buffer | string {
  const span = askUsage && body['stream_options'] !== undefined ? undefined : topLevelStringSpan(raw, 'model');
  if (span && raw.indexOf(MODEL_KEY, span[1]) === -1) {
    const open = raw.indexOf(OPEN_BRACE);
    const parts = askUsage
      ? [raw.subarray(0, open + 1), INCLUDE_USAGE, raw.subarray(open + 1, span[0])]
      : [raw.subarray(0, span[0])];
    parts.push(Buffer.from(JSON.stringify(model)), raw.subarray(span[1]));
    return Buffer.concat(parts);
  }
  if (!askUsage) return JSON.stringify({ ...body, model });
  const streamOptions = { ...(body['stream_options'] as Record<string, unknown> | undefined), include_usage: true };
  return JSON.stringify({ ...body, model, stream_options: streamOptions });
}

const OPEN_BRACE = 0x7b;
const MODEL_KEY = Buffer.from('"model"');
const INCLUDE_USAGE = Buffer.from('"stream_options":{"include_usage":true},');

/** Whether the app itself asked for the usage chunk of a stream. */
export function appAskedUsage(body: Record<string, unknown>): boolean {
  const so = body['stream_options'];
  return typeof so === 'object' && so !== null && (so as Record<string, unknown>)['include_usage'] === true;
}

/** Response headers for the app: the upstream's, less hop-by-hop and the ones the sidecar recomputes. */
export function appResponseHeaders(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(upstream)) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'content-encoding') continue;
    out[name] = value;
  }
  return out;
}

