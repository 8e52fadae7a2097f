/**
 * The cache's part of one request, called by the handler between planning
 * and the first upstream call:
 *
 * 1. bypass (`x-bellwether-cache: bypass`) when the app says `no-store` or
 *    `no-cache`, the request is stateful, or it samples above
 *    `maxTemperature`; `no-cache` still lets the fresh reply be stored;
 * 2. otherwise look up the answer of the candidate the request would go to
 *    first — the picked side's first model (`relay`/`deepseek-chat`, or
 *    `official`/`gpt-4.1`). So a hit is always the answer of the very model
 *    the request was going to, on the side it was picked for: a relay answer
 *    never reaches a request picked for the official API (nor, after a
 *    rollback, any request), and never another model's answer;
 * 3. a hit is written at once (replay.ts), counted as a request served by
 *    `side="cache"` at no cost, with the savings its entry cost when stored;
 *    it never touches an upstream, a breaker or the rollback window;
 * 4. a miss (or a backend error, which is a miss to the app) returns the
 *    recorder: the reply that serves the request is stored under the
 *    candidate that actually served it (a fallback's answer under the
 *    fallback's side and model).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Endpoint } from '../admin/metrics.js';
import { statusClass } from '../admin/metrics.js';
import type { Plan } from '../proxy/plan.js';
import type { Committed } from '../proxy/attempts.js';
import { streamEndpoint } from '../proxy/attempts.js';
import type { ReplyTap } from '../proxy/tap.js';
import { appAskedUsage } from '../proxy/rewrite.js';
import { cacheDirective, notCacheable } from './policy.js';
import { entryKey, requestDigest, tenantOf } from './key.js';
import { recordingTap } from './recorder.js';
import { replay } from './replay.js';
import type { ResponseCache } from './cache.js';
import type { Ledger } from '../proxy/budget.js';
import type { AbortLike } from '../clock.js';

export interface CacheContext {
  endpoint: Endpoint;
  body: Record<string, unknown>;
  plan: Plan;
  /** The stateful rule that pinned the request to the official API, if any. */
  pinned: string | undefined;
  startedAt: number;
  signal: AbortLike;
  /** The request's share of the sidecar's memory budget: a stream being recorded holds its events. */
  ledger: Ledger;
}

/** What the rest of the request does with the cache after a miss or a bypass. */
export interface CacheMiss {
  /** The tap that stores the committed reply, or undefined when it must not be stored. */
  recorder(c: Committed): ReplyTap | undefined;
}

const NOTHING: CacheMiss = { recorder: () => undefined };

/**
 * 'answered': a hit was written, the request is over. A request aborted during
 * the lookup (the app left, spec.timeouts.total ran out, the sidecar is
 * shutting down) gets no recorder: the handler answers it by its abort reason.
 */
export async function consultCache(rt: Runtime, cache: ResponseCache, req: IncomingMessage, res: ServerResponse, ctx: CacheContext): Promise<'answered' | CacheMiss> {
  const policy = cache.policy;
  const directive = cacheDirective(req.headers['cache-control']);
  if (notCacheable(ctx.endpoint, ctx.body, policy, ctx.pinned) !== undefined || !directive.write) {
    cache.count('bypass');
    res.setHeader('x-bellwether-cache', 'bypass');
    return NOTHING;
  }
  const route = rt.route;
  const digest = requestDigest({
    route: `${route.namespace}/${route.name}`,
    endpoint: ctx.endpoint,
    tenant: tenantOf(req.headers, route.official.apiKeySecretRef === undefined),
    body: ctx.body,
  });
  const miss: CacheMiss = {
    recorder(c) {
      if (c.status < 200 || c.status >= 300 || !c.served || c.passedError !== undefined || c.reply.kind === 'raw') return undefined;
      const wire = c.reply.kind === 'sse' ? 'sse' : 'json';
      const key = entryKey(digest, c.candidate.side, c.candidate.model, wire);
      const contentType = c.headers['content-type'] ?? (wire === 'sse' ? 'text/event-stream' : 'application/json');
      return recordingTap({
        meta: { wire, status: c.status, contentType, side: c.candidate.side, model: c.candidate.model },
        endpoint: streamEndpoint(ctx.endpoint),
        price: rt.route.catalog.get(c.candidate.model)?.price,
        maxEntryBytes: policy.maxEntryBytes,
        now: () => rt.deps.clock.now(),
        put: (encoded) => cache.put(key, encoded),
        hold: (n) => ctx.ledger.take(n),
        free: (n) => ctx.ledger.give(n),
      });
    },
  };
  if (!directive.read) {
    cache.count('bypass');
    res.setHeader('x-bellwether-cache', 'bypass');
    return miss;
  }

  const first = ctx.plan.candidates[0];
  if (first === undefined) return miss;
  const wire = ctx.body['stream'] === true ? 'sse' : 'json';
  const found = await untilAborted(cache.lookup(entryKey(digest, first.side, first.model, wire), directive.maxAgeMs), ctx.signal);
  if (found === undefined || ctx.signal.aborted) return NOTHING;
  if (found.kind !== 'hit') {
    cache.count(found.kind);
    res.setHeader('x-bellwether-cache', 'miss');
    return miss;
  }

  const { entry } = found;
  const { metrics } = rt.deps;
  cache.count('hit');
  const overheadMs = Math.max(0, performance.now() - ctx.startedAt);
  replay(res, entry, {
    endpoint: streamEndpoint(ctx.endpoint),
    stripUsage: (ctx.endpoint === 'chat_completions' || ctx.endpoint === 'completions') && !appAskedUsage(ctx.body),
    overheadMs,
    ageMs: rt.deps.clock.now() - entry.meta.storedAt,
  });
  const seconds = (performance.now() - ctx.startedAt) / 1000;
  metrics.requests.inc({ side: 'cache', endpoint: ctx.endpoint, status_class: statusClass(entry.meta.status) });
  metrics.duration.observe({ side: 'cache', endpoint: ctx.endpoint, phase: 'ttfb' }, seconds);
  metrics.duration.observe({ side: 'cache', endpoint: ctx.endpoint, phase: 'total' }, seconds);
  if (entry.meta.costUSD !== undefined) cache.saved(rt.models.label(entry.meta.model), entry.meta.costUSD);
  return 'answered';
}

/** The lookup, or undefined as soon as the request is aborted: a stalled Redis never holds a request past its deadline. */
function untilAborted<T>(lookup: Promise<T>, signal: AbortLike): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (v: T | undefined): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    };
    lookup.then(done, () => done(undefined));
  });
}
