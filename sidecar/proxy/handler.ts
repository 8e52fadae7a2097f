/**
 * The four parsed endpoints (chat completions, completions, embeddings,
 * responses): parse, pick a side, plan the candidates, run the attempts,
 * write the reply, count it. Each step is a call into a module of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Endpoint } from '../admin/metrics.js';
import { statusClass } from '../admin/metrics.js';
import { ERR, type ErrorDef } from '../errors.js';
import { pickSide, stickyKey } from './split.js';
import { planAttempts } from './plan.js';
import { runAttempts, streamEndpoint, type Committed, type Exhausted } from './attempts.js';
import type { UpstreamPools } from './pools.js';
import type { Ledger } from './budget.js';
import { requiredTokens } from '../resilience/context.js';
import { sendBuffered, sendError, sendRaw, sendStream, type StreamEnd, type StreamFailure, type Tags } from './respond.js';
import { appAskedUsage } from './rewrite.js';
import { exceedsDepth } from './json-scan.js';
import { statefulReason } from './stateful.js';
import { account } from '../accounting/account.js';
import { scrubberFor, type KeyScrubber } from './scrub.js';
import { ShuttingDown, TotalTimeout, type AttemptSlot } from './abort.js';
import { tapAll, type ReplyTap } from './tap.js';
import { consultCache } from '../cache/request.js';
import { shadowTap } from '../shadow/pair.js';
import { blockGate } from '../spend/guard.js';
import { modelRefusal, routeRefusal } from '../spend/refuse.js';
import type { AbortLike } from '../clock.js';

/** Request bodies nested deeper than this are refused before anything parses them. */
export const MAX_JSON_DEPTH = 128;

export interface RequestScope {
  startedAt: number;
  signal: AbortLike;
  /** The attempt in flight, aborted by the server together with `signal`. */
  slot: AttemptSlot;
  ledger: Ledger;
  /** The path as normalised by the server (what goes upstream). */
  path: string;
  /** Filled in for the access log. */
  log: { side?: string; model?: string; calls?: number; pinned?: string };
}

export async function handleParsed(
  rt: Runtime,
  pools: UpstreamPools,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: Endpoint,
  raw: Buffer,
  scope: RequestScope,
): Promise<void> {
  const { metrics } = rt.deps;
  const route = rt.route;
  const overhead = (waitMs: number): number => Math.max(0, performance.now() - scope.startedAt - waitMs);
  const fail = (e: ErrorDef, message: string, waitMs = 0, extra: Record<string, string> = {}): void => {
    sendError(res, e, message, { side: 'none', model: 'none', overheadMs: overhead(waitMs) }, extra);
    metrics.requests.inc({ side: 'none', endpoint, status_class: statusClass(e.status) });
  };

  /** A 504 when spec.timeouts.total ran out (a relay-routed request counts against the relay), a 503 in shutdown; nothing when the app left. */
  const failAborted = (reason: unknown, relayRouted: boolean): void => {
    if (reason instanceof TotalTimeout) {
      if (relayRouted) rt.record('relay', { failed: true });
      return fail(ERR.UPSTREAM_TIMEOUT, reason.message);
    }
    if (reason instanceof ShuttingDown) return fail(ERR.SHUTTING_DOWN, reason.message, 0, { 'retry-after': '1' });
  };

  if (exceedsDepth(raw, MAX_JSON_DEPTH)) {
    return fail(ERR.INVALID_JSON, `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return fail(ERR.INVALID_JSON, 'The request body is not a JSON object.');
  }
  const appModel = body['model'];
  if (typeof appModel !== 'string' || appModel === '') {
    return fail(ERR.MISSING_MODEL, 'You must provide a model parameter.');
  }

  const rule = rt.models.match(appModel);
  // Requests that create or use state on one provider stay on the official API (ADR 0006);
  // without a relay key the relay is not a candidate at all (not a relay failure).
  const pinned = statefulReason('POST', scope.path, body);
  if (pinned) scope.log.pinned = pinned;
  const relayEligible = rule !== undefined && pinned === undefined && rt.keys.relay !== undefined;
  const picked = relayEligible ? pickSide(rt.effectiveWeight(), stickyKey(route.canary.stickyBy, req.headers, body), rt.salt, rt.deps.random) : 'official';
  let plan = planAttempts(route, rule, appModel, picked, body);

  // A hit costs nothing, so the cache answers before spec.budget's block gate, even over a cap (ADR 0008).
  const cached = rt.cache && plan.candidates.length > 0
    ? await consultCache(rt, rt.cache, req, res, { endpoint, body, plan, pinned, startedAt: scope.startedAt, signal: scope.signal, ledger: scope.ledger })
    : undefined;
  if (cached === 'answered') {
    scope.log.side = 'cache';
    return;
  }
  // Aborted during the lookup: no upstream has seen the request, so no window counts it.
  if (scope.signal.aborted) return failAborted(scope.signal.reason, false);

  // spec.budget, action block (sidecar/spend): the route over its daily cap answers 429; models over theirs are not planned.
  const gate = blockGate(rt.spend);
  if (gate?.route) {
    metrics.budgetBlocked.inc({ scope: 'route' });
    const r = routeRefusal(gate.route, rt.deps.clock.now());
    return fail(ERR.BUDGET_EXCEEDED, r.message, 0, r.headers);
  }
  if (gate) {
    // Plan again (the context estimate included) only when a model the plan looked at is over its cap.
    const blocked = (m: string): boolean => gate.modelBlocked(rt.models.label(m));
    const looked = picked === 'official' || !rule ? [rule?.official ?? appModel] : [rule.official ?? appModel, ...rule.chain];
    if (looked.some(blocked)) plan = planAttempts(route, rule, appModel, picked, body, blocked);
  }
  if (plan.overBudget.length > 0) metrics.budgetBlocked.inc({ scope: 'model' }, plan.overBudget.length);
  if (plan.candidates.length === 0 && plan.overBudget.length > 0) {
    const r = modelRefusal(plan.overBudget, rt.deps.clock.now());
    return fail(ERR.BUDGET_EXCEEDED, r.message, 0, r.headers);
  }
  if (plan.candidates.length === 0) {
    return fail(
      ERR.CONTEXT_LENGTH_EXCEEDED,
      `The request (about ${requiredTokens(body)} tokens with max output) fits no relay model's context window (${plan.tooLong.join(', ')}) and spec.canary.fallbackToOfficial is false.`,
    );
  }

  const stream = body['stream'] === true;
  const askUsage = stream && (endpoint === 'chat_completions' || endpoint === 'completions');
  // canary.mode fallbackOnly: a request becomes relay-routed only when the official API failed and it reached the relay.
  const trace = { relayReached: false };
  const relayRouted = (): boolean => plan.relayRouted || trace.relayReached;
  const outcome = await runAttempts(rt, pools, {
    plan,
    endpoint,
    appPath: scope.path,
    appHeaders: req.headers,
    raw,
    body,
    stream,
    askUsage,
    signal: scope.signal,
    slot: scope.slot,
    ledger: scope.ledger,
    trace,
  });

  switch (outcome.kind) {
    case 'aborted':
      return failAborted(outcome.reason, relayRouted());
    case 'local':
      return outcome.code === 'overloaded'
        ? fail(ERR.OVERLOADED, `The sidecar is out of memory budget for in-flight requests (${outcome.detail}); retry shortly.`, 0, { 'retry-after': '1' })
        : fail(ERR.INTERNAL, 'The sidecar could not send the request upstream; see its log.');
    case 'exhausted':
      scope.log.calls = outcome.calls;
      if (relayRouted()) rt.record('relay', { failed: true });
      if (outcome.officialTried) rt.record('official', { failed: true });
      return sendExhausted(rt, res, endpoint, outcome, overhead(outcome.waitMs));
    case 'committed':
      break;
  }

  const c = outcome;
  // Committed: no attempt will send the app's body again, so its bytes leave the budget.
  scope.ledger.give(raw.length);
  const side = c.candidate.side;
  scope.log.side = side;
  scope.log.model = c.candidate.model;
  scope.log.calls = c.calls;
  const tags = { side, model: c.candidate.model, overheadMs: overhead(c.waitMs) };
  const ttfbMs = c.firstByteAt - scope.startedAt;
  metrics.duration.observe({ side, endpoint, phase: 'ttfb' }, ttfbMs / 1000);
  // The sidecar already retried or fell back: the app's SDK retrying a failure on top would multiply upstream calls.
  if (c.calls > 1 && c.status >= 400) res.setHeader('x-should-retry', 'false');
  const scrub = side === 'relay' ? scrubberFor(rt.keys.relay) : undefined;
  // No tap, and nothing allocated for one, unless the route sets spec.shadow or spec.cache.
  const tap = route.shadow || cached
    ? tapAll([
        cached?.recorder(c),
        // Last: a drawn copy holds memory from here on, freed by the tap's end.
        route.shadow ? shadowTap(rt, pools, { endpoint, rule, pinned, relayRouted: plan.relayRouted, committed: c, appPath: scope.path, appHeaders: req.headers, raw, body, stream, ledger: scope.ledger }) : undefined,
      ], (err) => rt.deps.log.error({ err }, 'a reply tap (response cache or shadow) failed; the reply goes on without it'))
    : undefined;

  const done: Delivery = {
    endpoint,
    scope,
    tags,
    ttfbMs,
    officialModel: rule?.official ?? appModel,
    officialFirst: plan.officialFirst,
    relayRouted: relayRouted(),
  };
  const reply = c.reply;
  if (reply.kind === 'json') {
    const usage = sendBuffered(res, c, reply.body, tags, scrub, tap);
    return finish(rt, c, done, usage ? { ok: true, usage } : { ok: true });
  }
  // A stream (or a reply too large to buffer) goes on without this frame: the app's body, raw
  // and parsed, is not held for the minutes a stream may last. (The upstream request's body —
  // the app's with the model spliced in — is: undici keeps it until the reply ends.)
  const stripUsage = askUsage && !appAskedUsage(body);
  return relay(rt, res, c, reply, done, scrub, tap, stripUsage);
}

/** What the end of a committed request needs to know about it (nothing that holds the app's body). */
interface Delivery {
  endpoint: Endpoint;
  scope: RequestScope;
  tags: Tags;
  ttfbMs: number;
  officialModel: string;
  officialFirst: boolean;
  relayRouted: boolean;
}

async function relay(
  rt: Runtime,
  res: ServerResponse,
  c: Committed,
  reply: Exclude<Committed['reply'], { kind: 'json' }>,
  d: Delivery,
  scrub: KeyScrubber | undefined,
  tap: ReplyTap | undefined,
  stripUsage: boolean,
): Promise<void> {
  const end = reply.kind === 'sse'
    ? await sendStream(res, c, reply, d.tags, {
        endpoint: streamEndpoint(d.endpoint),
        stripUsage,
        scrub,
        ledger: d.scope.ledger,
        errorReason: (err) => streamErrorReason(err, d.scope.signal),
        tap,
      })
    : await sendRaw(res, c, reply, d.tags, scrub, tap);
  finish(rt, c, d, end);
}

/** The reply has gone out (or broken off): count it, its spend, and what the windows learn. */
function finish(rt: Runtime, c: Committed, d: Delivery, end: StreamEnd): void {
  const { metrics } = rt.deps;
  const side = c.candidate.side;
  if (!end.ok && end.reason !== 'client_gone') metrics.streamErrors.inc({ side, reason: end.reason });
  if (end.usage) account(rt, c.candidate, d.officialModel, end.usage);
  metrics.requests.inc({ side, endpoint: d.endpoint, status_class: statusClass(c.status) });
  metrics.duration.observe({ side, endpoint: d.endpoint, phase: 'total' }, (performance.now() - d.scope.startedAt) / 1000);
  // fallbackOnly: the relay served what the official API failed; the official window learns of that failure.
  if (d.officialFirst && side === 'relay') rt.record('official', { failed: true });
  recordWindows(rt, d.relayRouted, c, end, d.ttfbMs);
}

/** What the relay's and the official side's windows learn from a committed reply. */
function recordWindows(rt: Runtime, relayRouted: boolean, c: Committed, end: StreamEnd, ttfbMs: number): void {
  if (!end.ok && (end.reason === 'client_gone' || end.reason === 'shutdown' || end.reason === 'overloaded')) {
    // Nobody upstream failed. A relay-routed request the official side was serving still was not the relay's.
    if (relayRouted && c.candidate.side === 'official') rt.record('relay', { failed: true });
    return;
  }
  const served = end.ok && c.served;
  if (c.candidate.side === 'relay') {
    rt.record('relay', served ? { failed: false, ttfbMs } : { failed: true });
    return;
  }
  if (relayRouted) rt.record('relay', { failed: true });
  rt.record('official', served ? { failed: false, ttfbMs } : { failed: true });
}

function sendExhausted(rt: Runtime, res: ServerResponse, endpoint: Endpoint, o: Exhausted, overheadMs: number): void {
  const { metrics } = rt.deps;
  // The sidecar has already retried and fallen back; the app's SDK retrying on top would
  // multiply upstream calls (retry amplification). The openai SDKs honour this header.
  if (o.calls > 1) res.setHeader('x-should-retry', 'false');
  if (o.lastReply) {
    const r = o.lastReply;
    const c: Committed = {
      kind: 'committed',
      candidate: r.candidate,
      status: r.status,
      headers: r.headers,
      reply: { kind: 'json', body: r.body },
      passedError: 'upstream_error',
      served: false,
      firstByteAt: 0,
      waitMs: o.waitMs,
      calls: o.calls,
    };
    sendBuffered(res, c, r.body, { side: r.candidate.side, model: r.candidate.model, overheadMs }, r.candidate.side === 'relay' ? scrubberFor(rt.keys.relay) : undefined);
    metrics.requests.inc({ side: r.candidate.side, endpoint, status_class: statusClass(r.status) });
    return;
  }
  const e = o.last === 'timeout' ? ERR.UPSTREAM_TIMEOUT : o.last === 'circuit_open' ? ERR.CIRCUIT_OPEN : ERR.UPSTREAM_UNAVAILABLE;
  // The summary quotes what upstreams said (an error code): scrubbed like everything the relay sends.
  const text = summary(o.summary);
  const scrub = scrubberFor(rt.keys.relay);
  sendError(res, e, `No upstream could serve the request: ${scrub ? scrub.scrubText(text) : text}.`, { side: 'none', model: 'none', overheadMs });
  metrics.requests.inc({ side: 'none', endpoint, status_class: statusClass(e.status) });
}

/** The failure summary the app sees, bounded (it names models, which the app chose). */
function summary(text: string): string {
  return text.length <= 2000 ? text : `${text.slice(0, 2000)}…`;
}

function streamErrorReason(err: unknown, signal: AbortLike): StreamFailure {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof TotalTimeout) return 'total_timeout';
  if (reason instanceof ShuttingDown) return 'shutdown';
  if (reason !== undefined) return 'client_gone';
  const code = (err as { code?: string }).code;
  return code === 'BW_IDLE_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'idle_timeout' : 'cut';
}
