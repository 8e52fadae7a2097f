/**
 * The 429 `budget_exceeded` the sidecar answers under `spec.budget` action
 * block: the message says which cap, what was spent and how to resume; the
 * headers say when. `retry-after` is the seconds until the next 00:00 UTC
 * (at most a day): the OpenAI SDKs wait only for short Retry-After values,
 * and `x-should-retry: false` stops them retrying at all, since nothing
 * changes before midnight unless someone raises the cap (then the app's
 * next request goes through).
 */
import type { BudgetLine } from './guard.js';
import { secondsUntilReset } from './day.js';

export interface Refusal {
  message: string;
  headers: Record<string, string>;
}

const usd = (v: number) => `$${v.toFixed(2)}`;

function headers(now: number): Record<string, string> {
  return { 'retry-after': String(secondsUntilReset(now)), 'x-should-retry': 'false' };
}

/** The route's daily cap is reached. */
export function routeRefusal(line: BudgetLine, now: number): Refusal {
  return {
    message:
      `The route's daily budget is spent: ${usd(line.spentUSD)} of spec.budget.daily ${usd(line.limitUSD ?? 0)} today (UTC). ` +
      'spec.budget.action is block, so bellwether refuses requests on this route, to the relay and the official API alike, until 00:00 UTC; ' +
      'raise spec.budget.daily or set spec.budget.action to alert to resume.',
    headers: headers(now),
  };
}

/** Every model the request could use is over its own cap. */
export function modelRefusal(models: readonly string[], now: number): Refusal {
  return {
    message:
      `Every model this request could use is over its daily budget today (UTC): ${models.join(', ')} (spec.budget.models). ` +
      'spec.budget.action is block, so they are not called until 00:00 UTC; raise their caps or set spec.budget.action to alert to resume.',
    headers: headers(now),
  };
}
