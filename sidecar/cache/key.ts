/**
 * The cache key. Pure.
 *
 * An entry is keyed by SHA-256 over:
 * - the route (`namespace/name`) and the endpoint;
 * - the tenant: when the official side forwards the app's own key (no
 *   `spec.official.apiKeySecretRef`), a SHA-256 of the app's identity headers
 *   (`authorization`, `api-key`, `x-api-key`, `openai-organization`,
 *   `openai-project`), so two app keys never share an answer; '' otherwise;
 * - the normalised request body: canonical JSON (object keys sorted, no
 *   whitespace) without `stream`, `stream_options` and `user`;
 * - the upstream side and model whose answer it is (`relay`/`deepseek-chat`,
 *   `official`/`gpt-4.1`);
 * - the wire form (`json` or `sse`): a stored stream is replayed as a stream,
 *   a stored JSON body as JSON; one is never turned into the other.
 *
 * The first three make the request's digest, computed once per request; the
 * entry key adds the candidate and the wire form.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Side } from '../config/route.js';

/** Body fields that do not change the answer: how it is delivered, and who the app says the end user is. */
const IGNORED = new Set(['stream', 'stream_options', 'user']);

/** The app's identity headers: what the official API bills and answers as. */
const IDENTITY = ['authorization', 'api-key', 'x-api-key', 'openai-organization', 'openai-project'] as const;

export type Wire = 'json' | 'sse';

/** JSON with object keys sorted at every level and no whitespace; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** The request body as the key sees it. */
export function normalisedBody(body: Record<string, unknown>): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!IGNORED.has(k)) kept[k] = v;
  return canonicalJson(kept);
}

/** A digest of the app's identity headers, or '' when the route does not forward the app's key. */
export function tenantOf(headers: IncomingHttpHeaders, forwardsAppKey: boolean): string {
  if (!forwardsAppKey) return '';
  const h = createHash('sha256');
  for (const name of IDENTITY) {
    const v = headers[name];
    h.update(`${name}\0${Array.isArray(v) ? v.join(', ') : (v ?? '')}\0`);
  }
  return h.digest('hex');
}

export interface DigestParts {
  route: string;
  endpoint: string;
  tenant: string;
  body: Record<string, unknown>;
}

export function requestDigest(p: DigestParts): string {
  return createHash('sha256').update(`${p.route}\n${p.endpoint}\n${p.tenant}\n`).update(normalisedBody(p.body)).digest('hex');
}

export function entryKey(digest: string, side: Side, model: string, wire: Wire): string {
  return createHash('sha256').update(`${digest}\n${side}\n${model}\n${wire}`).digest('hex');
}
