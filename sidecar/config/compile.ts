/**
 * Turns RelayRoute text into the typed `Route` the request path uses:
 * YAML → one document → validated and defaulted against the CRD → compiled
 * (durations to ms, quantities to bytes, URLs split, stickyBy and retry.retryOn
 * parsed, catalog indexed by name). No I/O of its own: validation reads the
 * CRD once, lazily (see schema.ts).
 */
import { parseAllDocuments } from 'yaml';
import { parseDuration } from './duration.js';
import { parseQuantity } from './quantity.js';
import type { CatalogEntry, Route, RetryPolicy, StickyBy, Upstream } from './route.js';
import { parseDecisions } from './decisions.js';
import { compileCache } from '../cache/spec.js';
import { compileShadow } from '../shadow/policy.js';
import { compileBudget } from '../spend/policy.js';
import { validateRelayRoute, type UpstreamSpec, type ValidatedRelayRoute } from './schema.js';

export type ParseDocumentResult = { ok: true; doc: unknown } | { ok: false; errors: string[] };
export type LoadResult = { ok: true; route: Route; doc: ValidatedRelayRoute } | { ok: false; errors: string[] };

/**
 * Parses RelayRoute YAML (or JSON) holding exactly one document. YAML 1.2, so
 * a bare `on:` key stays the string "on" (unlike kubectl's YAML 1.1 parser).
 * Errors carry the yaml library's line and column.
 */
export function parseRouteDocument(text: string): ParseDocumentResult {
  const documents = parseAllDocuments(text);
  const problems = documents.flatMap((d) => d.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  if (problems.length > 0) return { ok: false, errors: problems };
  let present: { range: readonly number[]; value: unknown }[];
  try {
    // A document that is only comments (or a bare `---`) holds nothing; skip it.
    present = documents.map((d) => ({ range: d.range, value: d.toJS() as unknown })).filter((d) => d.value != null);
  } catch (err) {
    return { ok: false, errors: [`YAML: ${(err as Error).message}`] }; // e.g. excessive alias expansion
  }
  if (present.length === 0) return { ok: false, errors: ['expected one YAML document, found none (the input is empty)'] };
  if (present.length > 1) {
    const second = present[1]?.range[0] ?? 0;
    const line = text.slice(0, second).split('\n').length;
    return { ok: false, errors: [`expected one YAML document, found ${present.length} (the second starts at line ${line})`] };
  }
  return { ok: true, doc: present[0]?.value };
}

/**
 * Parses, validates and compiles a RelayRoute. `generation` is used when the
 * document has no metadata.generation (a hand-written file); default 1.
 */
export function loadRouteText(text: string, generation = 1): LoadResult {
  const parsed = parseRouteDocument(text);
  if (!parsed.ok) return parsed;
  const validated = validateRelayRoute(parsed.doc);
  if (!validated.ok) return validated;
  try {
    return { ok: true, route: compileRoute(validated.doc, generation), doc: validated.doc };
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
}

/**
 * Compiles a validated RelayRoute. `route.generation` is metadata.generation
 * when the document has one, else `generation`.
 *
 * @throws Error for the few things the schema cannot rule out (an unparseable URL).
 */
export function compileRoute(doc: ValidatedRelayRoute, generation: number): Route {
  const { spec, metadata } = doc;
  const stickyBy = spec.canary.stickyBy === undefined ? undefined : compileStickyBy(spec.canary.stickyBy);
  return {
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    generation: metadata.generation ?? generation,
    ...operatorOf(metadata.annotations),
    official: compileUpstream(spec.official, 'spec.official.baseURL'),
    relay: compileUpstream(spec.relay, 'spec.relay.baseURL'),
    models: spec.models.map((m) => ({
      match: [...m.match],
      chain: [...m.chain],
      ...(m.official === undefined ? {} : { official: m.official }),
    })),
    catalog: new Map((spec.catalog ?? []).map((entry): [string, CatalogEntry] => [entry.name, structuredClone(entry)])),
    canary: {
      weight: spec.canary.weight,
      fallbackToOfficial: spec.canary.fallbackToOfficial,
      mode: spec.canary.mode ?? 'canary',
      ...(stickyBy === undefined ? {} : { stickyBy }),
      ...(spec.canary.restartedAt === undefined ? {} : { restartedAt: spec.canary.restartedAt }),
    },
    rollback: {
      windowMs: parseDuration(spec.rollback.window),
      minRequests: spec.rollback.minRequests,
      maxErrorRate: spec.rollback.maxErrorRate,
      maxP99LatencyMs: parseDuration(spec.rollback.maxP99Latency),
      action: spec.rollback.action,
    },
    retry: {
      attempts: spec.retry.attempts,
      backoff: { baseMs: parseDuration(spec.retry.backoff.base), maxMs: parseDuration(spec.retry.backoff.max) },
      retryOn: compileRetryOn(spec.retry.retryOn),
    },
    timeouts: {
      connectMs: parseDuration(spec.timeouts.connect),
      firstByteMs: parseDuration(spec.timeouts.firstByte),
      idleMs: parseDuration(spec.timeouts.idle),
      totalMs: parseDuration(spec.timeouts.total),
    },
    circuitBreaker: {
      consecutiveFailures: spec.circuitBreaker.consecutiveFailures,
      cooldownMs: parseDuration(spec.circuitBreaker.cooldown),
    },
    limits: {
      maxRequestBytes: parseQuantity(spec.limits.maxRequestBytes),
      maxConcurrent: spec.limits.maxConcurrent,
    },
    ...(spec.cache === undefined ? {} : { cache: compileCache(spec.cache) }),
    ...compileShadow(spec.shadow),
    ...(spec.budget === undefined ? {} : { budget: compileBudget(spec.budget)! }),
  };
}

/** `https://api.holysheep.ai/v1/` → origin `https://api.holysheep.ai`, basePath `/v1`. */
export function compileUpstream(spec: UpstreamSpec, field: string): Upstream {
  let url: URL;
  try {
    url = new URL(spec.baseURL);
  } catch {
    throw new Error(`${field}: ${JSON.stringify(spec.baseURL)} is not a valid URL`);
  }
  return {
    baseURL: spec.baseURL,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    ...(spec.apiKeySecretRef === undefined ? {} : { apiKeySecretRef: { ...spec.apiKeySecretRef } }),
  };
}

/** `header:X-User-Id` → header `x-user-id`; `body:metadata.user_id` → path `['metadata', 'user_id']`. */
export function compileStickyBy(text: string): StickyBy {
  const colon = text.indexOf(':');
  const source = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (colon > 0 && rest !== '' && source === 'header') return { source: 'header', name: rest.toLowerCase() };
  if (colon > 0 && rest !== '' && source === 'body') return { source: 'body', path: rest.split('.') };
  throw new Error(`spec.canary.stickyBy: ${JSON.stringify(text)} is neither header:<name> nor body:<path>`);
}

/** `[429, '503', 'connect-error', 'timeout']` → statuses {429, 503}, connectError, timeout. */
export function compileRetryOn(on: readonly (number | string)[]): RetryPolicy['retryOn'] {
  const statuses = new Set<number>();
  let connectError = false;
  let timeout = false;
  for (const item of on) {
    if (item === 'connect-error') connectError = true;
    else if (item === 'timeout') timeout = true;
    else {
      const status = Number(item);
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`spec.retry.retryOn: ${JSON.stringify(item)} is not a status code, connect-error or timeout`);
      }
      statuses.add(status);
    }
  }
  return { statuses, connectError, timeout };
}

/** The operator's decisions from the rendered route's annotations (decisions.ts); none in a hand-written file. */
function operatorOf(annotations: Record<string, string> | undefined): Pick<Route, 'operator'> {
  const decisions = parseDecisions(annotations);
  return decisions ? { operator: decisions } : {};
}
