/**
 * Which relay model a shadow copy goes to: the first model of the matched
 * rule's chain that served traffic could use for this request right now —
 * not over its daily budget (`spec.budget` with action block), fitting the
 * request in its context window, and whose breaker is not open — or why no
 * model can take it. Pure; the caller supplies the three checks.
 *
 * The order of the checks is the planner's (plan.ts: budget, then context)
 * with the breaker after them, as attempts.ts consults it. The pair then
 * compares the official answer with this model's, and the shadow metrics'
 * `model` label names it. When no model is left the reason is the one that
 * ruled every model out, or `no_model` when the models were ruled out for
 * different reasons.
 */
export type NoTarget = 'budget' | 'context' | 'circuit_open' | 'no_model';

export interface TargetChecks {
  /** The model is over its daily cap and action is block. */
  blocked(model: string): boolean;
  /** The request fits the model's context window (true when the window is unknown). */
  fits(model: string): boolean;
  /** The model's breaker is open (read without taking a permit). */
  open(model: string): boolean;
}

export function shadowTarget(chain: readonly string[], checks: TargetChecks): { model: string } | { skip: NoTarget } {
  let why: NoTarget | undefined;
  for (const model of chain) {
    const reason: NoTarget | undefined = checks.blocked(model) ? 'budget' : !checks.fits(model) ? 'context' : checks.open(model) ? 'circuit_open' : undefined;
    if (reason === undefined) return { model };
    why = why === undefined || why === reason ? reason : 'no_model';
  }
  return { skip: why ?? 'no_model' };
}
