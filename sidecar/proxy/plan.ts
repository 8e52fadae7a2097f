/**
 * The candidates one request may try, in order. Pure.
 *
 * Relay-picked requests walk the matched rule's chain (skipping models whose
 * context window the request cannot fit), then the official API when
 * `fallbackToOfficial`. Official-picked requests, and requests no rule
 * matches, go to the official API only, under the rule's `official` rename.
 *
 * With `spec.canary.mode: fallbackOnly` a relay-picked request tries the
 * official API FIRST and the chain after it (`officialFirst`): the relay
 * serves only what the official API failed (the classifier's
 * `official_first` role decides what counts as failing). Such a request is
 * relay-routed only once it reaches the relay (attempts.ts reports that).
 *
 * `spec.budget` with action block: a model over its daily cap is left out,
 * like a model that does not fit (`overBudget`), on either side.
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
  /** True when the relay was picked, the relay goes first, and at least one relay model can take the request. */
  relayRouted: boolean;
  /** fallbackOnly: the official API goes first and relay models follow it. */
  officialFirst: boolean;
  /** Relay models skipped because the request does not fit their context window. */
  tooLong: string[];
  /** Models left out because their daily budget is spent (action block). */
  overBudget: string[];
}

export function planAttempts(
  route: Route,
  rule: ModelRule | undefined,
  appModel: string,
  picked: Side,
  body: Record<string, unknown>,
  overBudget: (model: string) => boolean = () => false,
): Plan {
  const skipped: string[] = [];
  const officialModel = rule?.official ?? appModel;
  const official: Candidate[] = overBudget(officialModel) ? (skipped.push(officialModel), []) : [{ side: 'official', model: officialModel }];
  if (picked === 'official' || !rule) return { candidates: official, relayRouted: false, officialFirst: false, tooLong: [], overBudget: skipped };

  const tooLong: string[] = [];
  const chain: Candidate[] = [];
  let need: number | undefined;
  const needed = (): number => (need ??= requiredTokens(body)); // estimated once, only if a window is known
  for (const model of rule.chain) {
    if (overBudget(model)) skipped.push(model);
    else if (fitsContext(route.catalog.get(model), body, needed)) chain.push({ side: 'relay', model });
    else tooLong.push(model);
  }
  if (route.canary.mode === 'fallbackOnly' && official.length > 0) {
    return { candidates: [...official, ...chain], relayRouted: false, officialFirst: chain.length > 0, tooLong, overBudget: skipped };
  }
  const candidates = route.canary.fallbackToOfficial || route.canary.mode === 'fallbackOnly' ? [...chain, ...official] : chain;
  return { candidates, relayRouted: chain.length > 0, officialFirst: false, tooLong, overBudget: skipped };
}
