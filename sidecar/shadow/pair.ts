/**
 * The shadow pair: picks which official-served requests get a copy, starts
 * the copy once the app's reply is on its way, hears the app's reply through
 * the reply tap, and judges the two when both are in.
 *
 * Which requests are copied (`shadowTap` returns undefined otherwise): the
 * route sets `spec.shadow`; the official side serves the request and was
 * picked for it (a relay-routed request that fell back to official is not
 * copied: the relay has already been tried); the request is not pinned to
 * official for state (ADR 0006); a model rule matches and the relay key is
 * loaded; the endpoint answers in text (chat completions, completions,
 * responses — embeddings are not compared: two models' vectors live in
 * different spaces); the official reply is a 2xx the sidecar reads (JSON or
 * SSE); and a `spec.shadow.weight` percent draw says so. Then, once the
 * reply is on its way (the pick), each a counted skip when it fails: the
 * app's reply is within MAX_COPY_BYTES and was not cut before the pick; the
 * route is not over its daily budget (action block); a chain model can take
 * the request (target.ts: the first not over its budget, fitting the context
 * window, breaker not open — that model gets the copy and names the pair in
 * the metrics); room in the sidecar's in-flight memory budget for the reply
 * kept so far; and a slot (book.ts).
 *
 * Memory: a copy outlives the app's request, so it holds its bytes on a
 * ledger of its own from the sidecar's ByteBudget (proxy/budget.ts) until the
 * pair is judged or dropped: twice the app's body (the body and its rewritten
 * copy; from the draw, as the request gives its own ledger's bytes back at
 * commit), the official reply it keeps (from the pick) and the relay reply as
 * it is read. Where the budget has no room the copy is dropped (`overloaded`)
 * — shadow traffic never makes the app's requests wait or fail for memory
 * beyond what it holds at that moment. A dropped copy lets go of the reply at
 * once and ignores the rest of it.
 *
 * Spend: a copy's cost counts toward spec.budget's route and model caps
 * (recordSpend, as served traffic does: it is real money), whether or not
 * the pair is judged, and is reported apart in
 * bellwether_shadow_cost_usd_total and /status `shadow.costUSD`. A copy the
 * pair no longer needs (the app's reply cut, or over the cap) is aborted.
 *
 * Never delaying the app: before the app's reply is written only the checks
 * on what the request already knows, the draw and one addition to the
 * memory budget run; the tap's calls only
 * keep references; the pick and the copy start from the tap's first call in
 * a later macrotask (later.ts), so they run after the app's reply (or its
 * first events) went to the socket; the relay's JSON reply is parsed, the
 * app's answer assembled (a long stream 64 KiB of events at a time) and the
 * pair judged each in a macrotask of its own too, after the I/O the loop has
 * ready (the app's requests). Nothing here is awaited by the handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { UpstreamPools } from '../proxy/pools.js';
import type { Endpoint } from '../admin/metrics.js';
import type { ModelRule } from '../config/route.js';
import type { ReplyTap } from '../proxy/tap.js';
import type { Committed } from '../proxy/attempts.js';
import type { Ledger } from '../proxy/budget.js';
import { costUSD } from '../accounting/cost.js';
import { fitsContext, requiredTokens } from '../resilience/context.js';
import { blockGate } from '../spend/guard.js';
import { recordSpend } from '../spend/record.js';
import { shadowTarget } from './target.js';
import { AnswerAssembler, answerFromJson, type Answer, type AnswerEndpoint } from './answer.js';
import { sendCopy, MAX_COPY_BYTES, type CopyResult } from './copy.js';
import { judge, type Judgement } from './judge.js';
import type { Slot } from './book.js';
import type { SkipReason } from './metrics.js';
import { afterPendingIO } from './later.js';

export interface PairInput {
  endpoint: Endpoint;
  rule: ModelRule | undefined;
  /** Why the request is pinned to official (ADR 0006), if it is. */
  pinned: string | undefined;
  relayRouted: boolean;
  committed: Committed;
  appPath: string;
  appHeaders: IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown>;
  stream: boolean;
  /** The request's memory ledger: the copy takes a sibling of it (the same sidecar budget) for its own lifetime. */
  ledger: Ledger;
}

const TEXT_ENDPOINTS: Partial<Record<Endpoint, AnswerEndpoint>> = {
  chat_completions: 'chat_completions',
  completions: 'completions',
  responses: 'responses',
};

/** A copy that was picked: its model, its slot, and its result to come. */
interface Picked {
  model: string;
  label: string;
  slot: Slot;
  result: Promise<CopyResult>;
}

/**
 * The tap that pairs this request with a shadow copy, or undefined when it is not copied.
 *
 * Before the app's reply is written only the cheap checks, the weight draw and one addition to
 * the memory budget run here; the pick (budget gate, target model, slot) runs with the copy's
 * start, after the reply. A drawn request is `drawn` (the tap keeps references to the reply)
 * until the pick, then `picked` (the copy is on its way; judged at the end) or `dropped`
 * (skipped and counted, the reply's references and bytes let go, the rest of it ignored).
 */
export function shadowTap(rt: Runtime, pools: UpstreamPools, input: PairInput): ReplyTap | undefined {
  const policy = rt.route.shadow;
  const c = input.committed;
  const endpoint = TEXT_ENDPOINTS[input.endpoint];
  const rule = input.rule;
  if (!policy || policy.weight <= 0 || !endpoint || rule === undefined) return undefined;
  if (c.candidate.side !== 'official' || input.relayRouted || input.pinned !== undefined || rt.keys.relay === undefined) return undefined;
  if (c.status < 200 || c.status >= 300 || c.reply.kind === 'raw') return undefined;
  if (rt.deps.random() * 100 >= policy.weight) return undefined;

  const book = rt.shadow;
  if (book.closed) {
    book.skipped('shutdown');
    return undefined;
  }
  // The app's body and its rewrite for the relay, on the copy's own ledger from now on (the
  // request gave the body's bytes back at commit); the reply's bytes are added at the pick.
  const held = input.ledger.sibling();
  if (!held.take(2 * input.raw.length)) {
    book.skipped('overloaded');
    return undefined;
  }
  const minSimilarity = policy.minSimilarity;

  let state: 'drawn' | 'picked' | 'dropped' = 'drawn';
  // The app's reply, as the tap hears it: references only, until it ended.
  let json: Buffer | undefined;
  const events: Buffer[] = [];
  let eventBytes = 0;
  /** Bytes of the app's reply on `held`. */
  let replyHeld = 0;
  let tooLarge = false;
  /** The reply's `end(complete)`, once heard. */
  let ended: boolean | undefined;
  let picked: Picked | undefined;
  let picking: Promise<void> | undefined;

  const letGo = (): void => {
    state = 'dropped';
    json = undefined;
    events.length = 0;
    held.release();
  };
  const drop = (reason: SkipReason): void => {
    letGo();
    book.skipped(reason);
  };
  const pick = (): void => {
    if (state !== 'drawn') return;
    if (book.closed) return drop('shutdown');
    if (ended === false) return drop('official_incomplete'); // cut before the pick: nothing to compare with
    if (tooLarge) return drop('too_large');
    // spec.budget action block stops copies as it stops served traffic: the route over its cap, or the model over its own.
    const gate = blockGate(rt.spend);
    if (gate?.route) return drop('budget');
    let need: number | undefined;
    const target = shadowTarget(rule.chain, {
      blocked: (m) => gate?.modelBlocked(rt.models.label(m)) ?? false,
      fits: (m) => fitsContext(rt.route.catalog.get(m), input.body, () => (need ??= requiredTokens(input.body))),
      open: (m) => rt.breakers.peek('relay', rt.models.label(m)) === 'open',
    });
    if ('skip' in target) return drop(target.skip);
    const model = target.model;
    const label = rt.models.label(model);
    const kept = json?.length ?? eventBytes;
    if (!held.take(kept)) return drop('overloaded');
    replyHeld = kept;
    const slot = book.admit(policy.maxConcurrent);
    if (slot === 'max_concurrent' || slot === 'shutdown') return drop(slot);
    state = 'picked';
    let relayHeld = 0;
    const hold = (n: number): boolean => {
      if (!held.take(n)) return false;
      relayHeld += n;
      return true;
    };
    const result = sendCopy(rt, pools, { endpoint, model, appPath: input.appPath, appHeaders: input.appHeaders, raw: input.raw, body: input.body, stream: input.stream, signal: slot.signal, hold })
      .catch((err: unknown): CopyResult => ({ kind: 'failed', detail: err instanceof Error ? err.message : String(err) }))
      .then((r) => {
        // The copy is off the wire: its slot is free for the next one (the pair may still wait for
        // the app's stream), and of the relay's bytes only the capped answer is kept.
        slot.release();
        held.give(relayHeld);
        return r;
      });
    picked = { model, label, slot, result };
  };
  const launch = (): void => {
    // Picked and sent after the app's reply (or its first events) went to the socket, in a turn of its own.
    picking ??= afterPendingIO()
      .then(pick)
      .catch((err: unknown) => {
        if (state === 'drawn') drop('error');
        rt.deps.log.error({ err }, 'shadow copy could not be picked');
      });
  };
  /** What a copy was billed for counts, judged or not, answered or failed after its usage: it is real money. */
  const paid = (p: Picked, result: CopyResult): void => {
    if ((result.kind !== 'answer' && result.kind !== 'failed') || !result.usage) return;
    const usd = costUSD(rt.route.catalog.get(p.model)?.price, result.usage);
    if (usd === undefined || !Number.isFinite(usd)) return;
    book.spent(p.label, usd);
    recordSpend(rt, p.label, usd);
  };
  /**
   * The pair is over before the app's reply is (its stream outgrew the cap, or the memory budget
   * ran out): stop the copy and, once it stopped, count why and free its slot and bytes — not
   * when the app's stream ends, which may be minutes later.
   */
  const abandon = (p: Picked, reason: SkipReason): void => {
    state = 'dropped';
    json = undefined;
    events.length = 0;
    void p.result.then((result) => {
      try {
        paid(p, result);
      } catch (err) {
        rt.deps.log.error({ err }, 'shadow copy spend could not be recorded');
      } finally {
        book.skipped(reason);
        held.release();
      }
    });
    // Stopped in a turn of its own: the tap is on the app's write path.
    setImmediate(() => p.slot.abort());
  };

  const finish = async (complete: boolean): Promise<void> => {
    ended = complete;
    if (!picking) return drop('official_incomplete'); // the reply ended before its first event: nothing was picked
    await picking;
    const p = picked;
    if (!p || state === 'dropped') return; // dropped at the pick, or abandoned since: counted there
    // The pair's outcome, decided below and counted once, after the copy has stopped and its spend is recorded.
    let outcome: { skip: SkipReason } | { judged: Judgement; ttfbMs: number | undefined } = { skip: 'error' };
    try {
      if (!complete) {
        // Nothing to compare with: the copy is not needed any more (stopped below).
        outcome = { skip: 'official_incomplete' };
        return;
      }
      // Assemble the app's answer off the write path, and let go of its bytes: only the
      // (capped) answer waits for the copy, which may run up to spec.timeouts.total.
      await afterPendingIO();
      const official = await officialAnswer(endpoint, json, events);
      json = undefined;
      events.length = 0;
      held.give(replyHeld);
      const result = await p.result;
      await afterPendingIO(); // judged in a turn of its own, not in the relay reply's I/O callback
      if (result.kind === 'too_large') outcome = { skip: 'too_large' };
      else if (result.kind === 'aborted') outcome = { skip: 'shutdown' };
      else if (result.kind === 'overloaded') outcome = { skip: 'overloaded' };
      else if (!official) outcome = { skip: 'official_incomplete' };
      else {
        const j = judge(official, result.kind === 'answer' ? result.answer : undefined, minSimilarity);
        outcome = { judged: j, ttfbMs: result.kind === 'answer' ? result.ttfbMs : undefined };
        if (j.verdict !== 'equivalent') {
          rt.deps.log.debug(
            { shadow: j.verdict, model: p.model, reasons: j.reasons, similarity: j.similarity, detail: result.kind === 'failed' ? result.detail : undefined },
            'shadow pair not equivalent',
          );
        }
      }
    } catch (err) {
      outcome = { skip: 'error' };
      rt.deps.log.error({ err }, 'shadow pair could not be judged');
    } finally {
      // A copy still running (the reply cut, or an error above) stops before its bytes are let go.
      p.slot.abort();
      const result = await p.result;
      try {
        paid(p, result);
      } catch (err) {
        rt.deps.log.error({ err }, 'shadow copy spend could not be recorded');
      }
      if ('skip' in outcome) book.skipped(outcome.skip);
      else book.judged(p.label, outcome.judged, outcome.ttfbMs);
      held.release();
    }
  };

  return {
    body(_status, raw) {
      if (state === 'dropped') return;
      if (raw.length > MAX_COPY_BYTES) tooLarge = true; // not parsed: judged answers are capped as the copies are
      else json = raw;
      launch();
    },
    event(raw) {
      if (state === 'dropped') return;
      launch();
      if (tooLarge) return;
      eventBytes += raw.length;
      if (eventBytes > MAX_COPY_BYTES) {
        tooLarge = true; // dropped at the pick, or abandoned now: the pair will not be judged
        events.length = 0;
        if (picked) abandon(picked, 'too_large');
        return;
      }
      if (picked && !held.take(raw.length)) return abandon(picked, 'overloaded');
      if (picked) replyHeld += raw.length;
      events.push(raw);
    },
    end(complete) {
      finish(complete).catch((err: unknown) => rt.deps.log.error({ err }, 'shadow pair could not be finished'));
    },
  };
}

/** Events parsed per macrotask when the app's stream is assembled: a long stream (up to MAX_COPY_BYTES) never holds the loop for long. */
const ASSEMBLE_SLICE_BYTES = 64 * 1024;

async function officialAnswer(endpoint: AnswerEndpoint, json: Buffer | undefined, events: readonly Buffer[]): Promise<Answer | undefined> {
  if (json) return answerFromJson(endpoint, json);
  const a = new AnswerAssembler(endpoint);
  let slice = 0;
  for (const e of events) {
    a.push(e);
    slice += e.length;
    if (slice >= ASSEMBLE_SLICE_BYTES) {
      slice = 0;
      await afterPendingIO();
    }
  }
  return a.answer();
}
