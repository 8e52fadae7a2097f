/**
 * The candidates one request may try, in order. Pure.
 *
 * Relay-picked requests walk the matched rule's chain (skipping models whose
 * context window the request cannot fit), then the official API when
 * `fallbackToOfficial`. Official-picked requests, and requests no rule
 * matches, go to the official API only, under the rule's `official` rename.
 */
import type { Route, Side } from '../config/route.js';
import type { ModelRule } from '../config/route.js';
import { fitsContext, requiredTokens } from '../resilience/context.js';

export interface Candidate {
  side: Side;
  model: string;
}

export interface Plan {
  candidates: Candidate[];
  /** True when the relay was picked and at least one relay model can take the request. */
  relayRouted: boolean;
  /** Relay models skipped because the request does not fit their context window. */
  tooLong: string[];
}

export function planAttempts(
  route: Route,
  rule: ModelRule | undefined,
  appModel: string,
  picked: Side,
  body: Record<string, unknown>,
): Plan {
  const official: Candidate = { side: 'official', model: rule?.official ?? appModel };
  if (picked === 'official' || !rule) return { candidates: [official], relayRouted: false, tooLong: [] };

  const tooLong: string[] = [];
  const candidates: Candidate[] = [];
  let need: number | undefined;
  const needed = (): number => (need ??= requiredTokens(body)); // estimated once, only if a window is known
  for (const model of rule.chain) {
    if (fitsContext(route.catalog.get(model), body, needed)) candidates.push({ side: 'relay', model });
    else tooLong.push(model);
  }
  const relayRouted = candidates.length > 0;
  if (route.canary.fallbackToOfficial) candidates.push(official);
  return { candidates, relayRouted, tooLong };
}
