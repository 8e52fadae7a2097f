/**
 * The shadow judge: is the relay's answer to a copied request equivalent to
 * the answer the official API gave the app? Pure; one table of cases in
 * judge.test.ts.
 *
 * A pair is `equivalent` when all of these hold:
 * 1. both succeeded: the relay copy got a complete 2xx answer (otherwise the
 *    verdict is `relay_error`; a pair whose official side did not succeed is
 *    never judged, it is skipped before this);
 * 2. the same `finish_reason` (a `length` against a `stop` is a different
 *    answer: one was cut);
 * 3. the same tool calls: the same multiset of (name, top-level argument keys)
 *    — the order of parallel calls does not matter, the values do not either
 *    (two models rarely phrase a search query alike), but a missing or extra
 *    call, another function or another argument shape does;
 * 4. text similarity ≥ `minSimilarity` (similarity.ts: trigram cosine).
 *
 * `reasons` lists every check that failed, for the debug log.
 */
import type { Answer, ToolCall } from './answer.js';
import { similarity } from './similarity.js';

export type Verdict = 'equivalent' | 'different' | 'relay_error';
export type Difference = 'finish_reason' | 'tool_calls' | 'text';

export interface Judgement {
  verdict: Verdict;
  /** Empty unless `different`. */
  reasons: Difference[];
  /** Undefined for `relay_error`. */
  similarity?: number;
}

/** `relay`: the relay's assembled answer, or undefined when the copy failed (error status, cut, timeout, unreadable). */
export function judge(official: Answer, relay: Answer | undefined, minSimilarity: number): Judgement {
  if (relay === undefined) return { verdict: 'relay_error', reasons: [] };
  const reasons: Difference[] = [];
  if (official.finishReason !== relay.finishReason) reasons.push('finish_reason');
  if (!sameToolCalls(official.toolCalls, relay.toolCalls)) reasons.push('tool_calls');
  const score = similarity(official.text, relay.text);
  if (score < minSimilarity) reasons.push('text');
  return { verdict: reasons.length === 0 ? 'equivalent' : 'different', reasons, similarity: score };
}

export function sameToolCalls(a: readonly ToolCall[], b: readonly ToolCall[]): boolean {
  if (a.length !== b.length) return false;
  const sig = (c: ToolCall): string => JSON.stringify([c.name, c.keys ?? null]);
  const x = a.map(sig).sort();
  const y = b.map(sig).sort();
  return x.every((s, i) => s === y[i]);
}
