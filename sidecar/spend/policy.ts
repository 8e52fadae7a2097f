/**
 * `spec.budget` as the CRD stores it, and compiled for the request path.
 * The semantics (what counts, what `block` does) are in the CRD's field
 * descriptions and the README's "Budgets" section.
 */

/** `spec.budget` after validation (action defaulted). */
export interface BudgetSpec {
  daily?: number;
  models?: { name: string; daily: number }[];
  action: 'alert' | 'block';
}

export interface BudgetPolicy {
  /** The route's cap in USD per UTC day; undefined: per-model caps only. */
  dailyUSD?: number;
  /** Caps per upstream model name, USD per UTC day. */
  models: ReadonlyMap<string, number>;
  action: 'alert' | 'block';
}

export function compileBudget(spec: BudgetSpec | undefined): BudgetPolicy | undefined {
  if (spec === undefined) return undefined;
  return {
    ...(spec.daily === undefined ? {} : { dailyUSD: spec.daily }),
    models: new Map((spec.models ?? []).map((m) => [m.name, m.daily])),
    action: spec.action,
  };
}
