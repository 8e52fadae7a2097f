/**
 * The four parsed endpoints (chat completions, completions, embeddings,
 * responses): parse, pick a side, plan the candidates, run the attempts,
 * write the reply, count it. Each step is a call into a module of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Endpoint } from '../admin/metrics.js';
import { statusClass } from '../admin/metrics.js';
import { ERR } from '../errors.js';
import { pickSide, stickyKey } from './split.js';
import { planAttempts } from './plan.js';
import { runAttempts, type Committed, type Exhausted } from './attempts.js';
import type { UpstreamPools } from './upstream.js';
import { requiredTokens } from '../resilience/context.js';
import { sendBuffered, sendError, sendRaw, sendStream, type StreamEnd, type StreamFailure } from './respond.js';
import { appAskedUsage } from './rewrite.js';
import { account } from '../accounting/account.js';
import { ClientGone, ShuttingDown, TotalTimeout } from './abort.js';

export interface RequestScope {
  startedAt: number;
  signal: AbortSignal;
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
  const fail = (e: typeof ERR[keyof typeof ERR], message: string, waitMs = 0): void => {
    sendError(res, e, message, { side: 'none', model: 'none', overheadMs: overhead(waitMs) });
    metrics.requests.inc({ side: 'none', endpoint, status_class: statusClass(e.status) });
  };

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
  const picked = rule ? pickSide(rt.effectiveWeight(), stickyKey(route.canary.stickyBy, req.headers, body), rt.salt, rt.deps.random) : 'official';
  const plan = planAttempts(route, rule, appModel, picked, body);
  if (plan.candidates.length === 0) {
    return fail(
      ERR.CONTEXT_LENGTH_EXCEEDED,
      `The request (about ${requiredTokens(body)} tokens with max output) fits no relay model's context window (${plan.tooLong.join(', ')}) and spec.canary.fallbackToOfficial is false.`,
    );
  }

  const stream = body['stream'] === true;
  const askUsage = stream && (endpoint === 'chat_completions' || endpoint === 'completions');
  const outcome = await runAttempts(rt, pools, {
    plan,
    appPath: req.url ?? '/',
    appHeaders: req.headers,
    raw,
    body,
    stream,
    askUsage,
    signal: scope.signal,
  });

  if (outcome.kind === 'aborted') {
    if (outcome.reason instanceof TotalTimeout) {
      if (plan.relayRouted) rt.record('relay', { failed: true });
      return fail(ERR.UPSTREAM_TIMEOUT, outcome.reason.message);
    }
    if (outcome.reason instanceof ShuttingDown) return fail(ERR.SHUTTING_DOWN, outcome.reason.message);
    return; // the app went away: nothing to answer, nothing to count against an upstream
  }
  if (outcome.kind === 'exhausted') {
    if (plan.relayRouted) rt.record('relay', { failed: true });
    if (outcome.lastReply?.candidate.side === 'official' || !plan.relayRouted) rt.record('official', { failed: true });
    return sendExhausted(rt, res, endpoint, outcome, overhead(outcome.waitMs));
  }

  const c = outcome;
  const side = c.candidate.side;
  const tags = { side, model: c.candidate.model, overheadMs: overhead(c.waitMs) };
  const ttfbMs = c.firstByteAt - scope.startedAt;
  metrics.duration.observe({ side, endpoint, phase: 'ttfb' }, ttfbMs / 1000);

  let end: StreamEnd;
  const reply = c.reply;
  if (reply.kind === 'sse') {
    end = await sendStream(res, c, reply, tags, {
      stripUsage: askUsage && !appAskedUsage(body),
      errorReason: (err) => streamErrorReason(err, scope.signal),
    });
  } else if (reply.kind === 'raw') {
    end = await sendRaw(res, c, reply, tags);
  } else {
    const usage = sendBuffered(res, c, reply.body, tags, side === 'relay' ? rt.keys.relay : undefined);
    end = usage ? { ok: true, usage } : { ok: true };
  }

  if (!end.ok && end.reason !== 'client_gone') metrics.streamErrors.inc({ side, reason: end.reason });
  if (end.usage) account(rt, c.candidate, rule?.official ?? appModel, end.usage);
  metrics.requests.inc({ side, endpoint, status_class: statusClass(c.status) });
  metrics.duration.observe({ side, endpoint, phase: 'total' }, (performance.now() - scope.startedAt) / 1000);
  recordWindows(rt, plan.relayRouted, c, end, ttfbMs);
}

/** What the relay's and the official side's windows learn from a committed reply. */
function recordWindows(rt: Runtime, relayRouted: boolean, c: Committed, end: StreamEnd, ttfbMs: number): void {
  if (!end.ok && end.reason === 'client_gone') {
    if (relayRouted && c.candidate.side === 'official') rt.record('relay', { failed: true });
    return;
  }
  const served = end.ok && c.passedError !== 'unlisted_failure';
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
    const c = { kind: 'committed', candidate: r.candidate, status: r.status, headers: r.headers, reply: { kind: 'json', body: r.body }, passedError: 'unlisted_failure', firstByteAt: 0, waitMs: o.waitMs } as const satisfies Committed;
    sendBuffered(res, c, r.body, { side: r.candidate.side, model: r.candidate.model, overheadMs }, r.candidate.side === 'relay' ? rt.keys.relay : undefined);
    metrics.requests.inc({ side: r.candidate.side, endpoint, status_class: statusClass(r.status) });
    return;
  }
  const e = o.last === 'timeout' ? ERR.UPSTREAM_TIMEOUT : o.last === 'circuit_open' ? ERR.CIRCUIT_OPEN : ERR.UPSTREAM_UNAVAILABLE;
  sendError(res, e, `No upstream could serve the request: ${o.summary}.`, { side: 'none', model: 'none', overheadMs });
  metrics.requests.inc({ side: 'none', endpoint, status_class: statusClass(e.status) });
}

function streamErrorReason(err: unknown, signal: AbortSignal): StreamFailure {
  if (signal.aborted) return signal.reason instanceof TotalTimeout ? 'total_timeout' : signal.reason instanceof ShuttingDown ? 'shutdown' : 'client_gone';
  if (signal.reason instanceof ClientGone) return 'client_gone';
  const code = (err as { code?: string }).code;
  return code === 'UND_ERR_BODY_TIMEOUT' ? 'idle_timeout' : 'cut';
}

