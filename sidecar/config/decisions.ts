/**
 * The contract between the operator and the sidecars (the operator imports
 * it from here, as it imports the window merge): the operator's decisions as
 * the sidecars read them: annotations in the
 * `metadata` of the rendered route document (`route.yaml` in the ConfigMap
 * `bellwether-<route>`), so the decisions travel in the same file, the same
 * watch event and the same atomic update as the spec they apply to.
 *
 * Why annotations and not an `operator:` section: the sidecar validates
 * route.yaml against the CRD schema and refuses unknown top-level fields, as
 * kubectl does; `metadata` accepts annotations, so a sidecar that does not
 * know a decision still loads the file.
 *
 * The format (every value a string, as annotations are):
 * | annotation | value | meaning |
 * | --- | --- | --- |
 * | `bellwether.dev/effective-weight` | `"0"`–`"100"` | The percent the sidecar sends to the relay. It OVERRIDES `spec.canary.weight` (fleet rollback: 0; steps: the current step). Absent: use `spec.canary.weight`. |
 * | `bellwether.dev/phase` | `Pending`, `Progressing`, `Promoted`, `RolledBack`, … | The fleet phase, for `/status` and logs. |
 * | `bellwether.dev/fleet-rollback` | JSON `{"reason":"error_rate","generation":3,"time":"2026-11-23T04:00:00Z"}` | Present only while a fleet rollback holds. |
 * | `bellwether.dev/step` | `"2/4"` | The current step of `spec.canary.steps` (1-based) and how many there are; absent without steps. |
 * | `bellwether.dev/budget-spent` | JSON `{"day":"2026-12-03","route":203.1,"models":{"deepseek-chat":50.2}}` | The fleet's spend today (UTC) as the operator last published it — on a new day, every change near a cap, else when it moved 1% of a cap or is 5 min old (operator/spend-publish.ts; format: sidecar/spend/figure.ts). Present with `spec.budget` only. The sidecar adds its own spend since the figure arrived (sidecar/spend/guard.ts). |
 *
 * The same annotations are copied onto the ConfigMap itself for people
 * (`kubectl get cm -o yaml`); the file is what the sidecar reads. A sidecar's
 * own pod-local rollback still applies on top: the weight it uses is 0 while
 * its own rollback holds, else the effective weight here.
 */
import { BUDGET_SPENT_ANNOTATION, encodeFleetSpend, parseFleetSpend, type FleetSpend } from '../spend/figure.js';

/** RelayRoute `status.phase`. */
export type Phase = 'Pending' | 'Shadowing' | 'Progressing' | 'Promoted' | 'RolledBack' | 'Invalid';

export const DecisionAnnotation = {
  effectiveWeight: 'bellwether.dev/effective-weight',
  phase: 'bellwether.dev/phase',
  fleetRollback: 'bellwether.dev/fleet-rollback',
  step: 'bellwether.dev/step',
  budgetSpent: BUDGET_SPENT_ANNOTATION,
} as const;

/** Every annotation key the operator owns on rendered objects (so it can also remove them). */
export const DECISION_KEYS: readonly string[] = Object.values(DecisionAnnotation);

export interface OperatorDecisions {
  effectiveWeight: number;
  phase: Phase;
  /** While a fleet rollback holds. */
  fleetRollback?: { reason: string; generation: number; time: string };
  /** 1-based, with steps only. */
  step?: { index: number; of: number };
  /** The fleet's spend today, with spec.budget only. */
  budgetSpent?: FleetSpend;
}

export function decisionAnnotations(d: OperatorDecisions): Record<string, string> {
  const out: Record<string, string> = {
    [DecisionAnnotation.effectiveWeight]: String(d.effectiveWeight),
    [DecisionAnnotation.phase]: d.phase,
  };
  if (d.fleetRollback) {
    const { reason, generation, time } = d.fleetRollback;
    out[DecisionAnnotation.fleetRollback] = JSON.stringify({ reason, generation, time });
  }
  if (d.step) out[DecisionAnnotation.step] = `${d.step.index}/${d.step.of}`;
  if (d.budgetSpent) out[DecisionAnnotation.budgetSpent] = encodeFleetSpend(d.budgetSpent);
  return out;
}

/**
 * Reads the decisions back (for the sidecar, `kubectl relay` and tests).
 * Returns undefined when the effective weight is absent or not an integer
 * 0–100: the reader then uses `spec.canary.weight`, as without an operator.
 */
export function parseDecisions(annotations: Readonly<Record<string, string>> | undefined): OperatorDecisions | undefined {
  const raw = annotations?.[DecisionAnnotation.effectiveWeight];
  if (raw === undefined || !/^(100|[1-9]?[0-9])$/.test(raw)) return undefined;
  const out: OperatorDecisions = { effectiveWeight: Number(raw), phase: (annotations?.[DecisionAnnotation.phase] ?? 'Progressing') as Phase };
  const rollback = annotations?.[DecisionAnnotation.fleetRollback];
  if (rollback !== undefined) {
    try {
      const r = JSON.parse(rollback) as { reason?: unknown; generation?: unknown; time?: unknown };
      out.fleetRollback = { reason: String(r.reason), generation: Number(r.generation), time: String(r.time) };
    } catch {
      out.fleetRollback = { reason: 'unknown', generation: 0, time: '' };
    }
  }
  const step = /^(\d+)\/(\d+)$/.exec(annotations?.[DecisionAnnotation.step] ?? '');
  if (step) out.step = { index: Number(step[1]), of: Number(step[2]) };
  const budgetSpent = parseFleetSpend(annotations?.[DecisionAnnotation.budgetSpent]);
  if (budgetSpent) out.budgetSpent = budgetSpent;
  return out;
}
