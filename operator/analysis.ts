/**
 * Fleet decisions on the merged window, Flagger-style: predicates
 * (`judgeFleet`), verbs (`nextStepWeight`) and one `decide` per tick. Pure:
 * time comes in as a number; the state of the last tick comes in as the
 * route's status (route.ts lists the fields that carry it), so a restarted or
 * newly elected operator continues where the last one stopped. The status
 * writer must set `observedGeneration` together with the decision's fields.
 *
 * What `spec.canary.weight` means:
 * - without `steps`: the effective weight, as is. Phase Progressing when it is
 *   above 0, Pending at 0 (the route moves nothing).
 * - with `steps`: the CAP. The operator steps the effective weight up through
 *   `steps.weights` and never above the cap; a step above it is clamped to it.
 *   Chosen over "ignored" because it keeps `kubectl relay weight ROUTE N`
 *   meaningful in both modes — 0 stops the relay at once, 50 pauses the climb
 *   at 50% — and the printer column "Desired" tells the truth. The cost: with
 *   steps, a route must set the weight (say 100) to climb at all; at 0 the
 *   phase is Pending, like any route at weight 0.
 *
 * Rollback: a breach of the merged window (judged by the sidecar's own `judge`)
 * with `action: rollback` sets the effective weight to 0 and phase RolledBack,
 * and that holds until `metadata.generation` moves past `lastRollback.generation`
 * (a new weight, or `kubectl relay resume`) — whatever phase the status shows
 * meanwhile (Invalid overrides it for display). With steps, a resume starts again
 * at the first step. `action: alert` reports (Event once per generation, the
 * RolledBack condition False with reason ThresholdBreached) and keeps the
 * weight, but the canary does not advance while the window breaches.
 *
 * Steps: the effective weight starts at the first step and rises one step when
 * the step has lasted `max(steps.interval, rollback.window)` — so the window
 * judged holds only traffic at the current step — and the merged window holds
 * at least `minRequests` relay requests with no breach. Too few requests hold
 * the step (one Event per hold reason, not per tick). Reaching the last step
 * of `steps.weights` sets phase Promoted; stopping below it at the cap stays
 * Progressing. A new generation keeps the current step (clamped to the new
 * steps and cap) and restarts its clock, since the sidecars' windows restart.
 *
 * Shadow (DESIGN.md "Shadow", operator/shadow.ts): with `spec.shadow` and
 * steps, the first step waits for the shadow gate — at least
 * `shadow.minPairs` judged pairs in the merged shadow window with equivalence
 * at or above `shadow.minEquivalence` — whenever the canary (re)starts at 0:
 * the first tick, after a resume, or while the gate has not passed yet.
 * Meanwhile the effective weight is 0 and the phase Shadowing, one Event per
 * hold reason (ShadowTooFewPairs, ShadowBelowEquivalence) records why; the
 * tick the gate passes records ShadowPassed and starts the first step. Once
 * the canary runs, the shadow no longer gates it (the rollback window does).
 * Without steps, a route with `spec.shadow` at weight 0 shows Shadowing.
 */
import { judge, type Verdict } from '../sidecar/resilience/rollback.js';
import type { RollbackPolicy } from '../sidecar/config/route.js';
import { parseDuration } from '../sidecar/config/duration.js';
import { Events, describeBreach, describePass, formatCount, formatDuration, type BreachFacts, type EventRecord } from './events.js';
import type { FleetWindow } from './merge.js';
import { quantileMs } from '../sidecar/resilience/window.js';
import { NO_SHADOW, shadowGate } from './shadow.js';
import {
  ConditionType,
  findCondition,
  generationOf,
  rfc3339,
  type CanarySpec,
  type ConditionInput,
  type LastRollback,
  type Phase,
  type RelayRoute,
  type RelayRouteStatus,
  type RollbackSpec,
} from './route.js';

/** The sidecar's typed policy from the spec's strings. */
export function rollbackPolicy(spec: RollbackSpec): RollbackPolicy {
  return {
    windowMs: parseDuration(spec.window),
    minRequests: spec.minRequests,
    maxErrorRate: spec.maxErrorRate,
    maxP99LatencyMs: parseDuration(spec.maxP99Latency),
    action: spec.action,
  };
}

/** The fleet verdict: the sidecar's `judge` on the merged relay window. */
export function judgeFleet(route: RelayRoute, merged: FleetWindow): Verdict {
  return judge(rollbackPolicy(route.spec.rollback), merged.relay);
}

/** The step weights the operator walks: sorted, unique, above 0, clamped to the cap. Undefined without steps. */
export function stepWeights(canary: CanarySpec): number[] | undefined {
  if (canary.steps === undefined || canary.steps.weights.length === 0) return undefined;
  const clamped = canary.steps.weights.filter((w) => w > 0).map((w) => Math.min(w, canary.weight));
  return [...new Set(clamped)].filter((w) => w > 0).sort((a, b) => a - b);
}

/** The next step above `current`, or undefined at (or past) the last step. */
export function nextStepWeight(steps: readonly number[], current: number): number | undefined {
  return steps.find((w) => w > current);
}

export interface Decision {
  effectiveWeight: number;
  phase: Phase;
  events: EventRecord[];
  /** The RolledBack condition to set. */
  condition: ConditionInput;
  lastRollback?: LastRollback;
  /** RFC 3339; with steps only. */
  stepStartedAt?: string;
  /** Why the last due advance was held (`TooFewRequests`); with steps only. */
  holdReason?: string;
}

const REASON = { error_rate: 'ErrorRateExceeded', p99_latency: 'P99LatencyExceeded' } as const;

export function decide(route: RelayRoute, state: RelayRouteStatus | undefined, merged: FleetWindow, now: number): Decision {
  const generation = generationOf(route);
  const { canary, rollback } = route.spec;
  const steps = stepWeights(canary);
  const first = state?.observedGeneration === undefined;
  const newGeneration = !first && state?.observedGeneration !== generation;
  const condition = (status: 'True' | 'False', reason: string, message: string): ConditionInput => ({
    type: ConditionType.RolledBack,
    status,
    reason,
    message,
    observedGeneration: generation,
  });

  // A rollback holds until the generation moves past the one it happened under.
  // Keyed on lastRollback.generation, not on the phase: a phase the status
  // writer overrides (Invalid) must not release the rollback.
  const last = state?.lastRollback;
  if (last !== undefined && last.generation === generation) {
    return {
      effectiveWeight: 0,
      phase: 'RolledBack',
      events: [],
      condition: condition('True', REASON[last.reason as keyof typeof REASON] ?? 'RolledBack', last.message),
      lastRollback: last,
      ...(state?.canary?.stepStartedAt ? { stepStartedAt: state.canary.stepStartedAt } : {}),
    };
  }
  // The previous generation ended rolled back: this one resumes.
  const resumed = newGeneration && last !== undefined && last.generation === state?.observedGeneration;

  // This tick's starting weight, and the step clock.
  const events: EventRecord[] = [];
  const prev = state?.effectiveWeight;
  let weight: number;
  let stepStartedAt: string | undefined;
  let holdReason: string | undefined;
  /** The shadow gate's Event, when it decided this tick (it then says what the weight does). */
  let gateEvent: EventRecord | undefined;
  if (steps === undefined) {
    weight = canary.weight;
  } else if (steps.length === 0) {
    weight = 0; // the cap is 0
  } else if (first || resumed || prev === undefined || prev === 0) {
    weight = steps[0] as number;
    stepStartedAt = rfc3339(now);
    const shadow = route.spec.shadow;
    if (shadow) {
      const gate = shadowGate(shadow, merged.shadow ?? NO_SHADOW);
      if (gate.pass) {
        gateEvent = Events.shadowPassed(gate.facts, weight);
      } else {
        const firstStep = weight;
        weight = 0;
        stepStartedAt = undefined;
        holdReason = gate.reason;
        if (state?.canary?.holdReason !== gate.reason || newGeneration) {
          gateEvent = gate.reason === 'ShadowTooFewPairs' ? Events.shadowTooFewPairs(gate.facts, firstStep) : Events.shadowBelowEquivalence(gate.facts, firstStep);
        }
      }
    }
  } else {
    weight = [...steps].reverse().find((w) => w <= prev) ?? (steps[0] as number);
    const restart = newGeneration || weight !== prev || state?.canary?.stepStartedAt === undefined;
    stepStartedAt = restart ? rfc3339(now) : state?.canary?.stepStartedAt;
    holdReason = restart ? undefined : state?.canary?.holdReason;
  }
  if (resumed) {
    events.push(Events.resumed(generation, last?.generation, prev ?? 0, weight));
  } else if (!first && prev !== undefined && prev !== weight && gateEvent?.reason !== 'ShadowPassed') {
    const why = steps === undefined ? `spec.canary.weight ${canary.weight}%` : `spec.canary.steps under the cap spec.canary.weight ${canary.weight}%`;
    events.push(Events.weightChanged(prev, weight, `generation ${generation}: ${why}`));
  }

  if (gateEvent) events.push(gateEvent);

  const policy = rollbackPolicy(rollback);
  const verdict = judge(policy, merged.relay);
  const lastBoundMs = merged.relay.boundsMs[merged.relay.boundsMs.length - 1];
  const stepState = steps === undefined ? {} : { ...(stepStartedAt ? { stepStartedAt } : {}), ...(holdReason ? { holdReason } : {}) };

  if (verdict.breach) {
    const facts: BreachFacts = {
      reason: verdict.reason,
      value: verdict.value,
      threshold: verdict.threshold,
      windowMs: merged.relay.windowMs,
      relayRequests: merged.relay.requests,
      pods: merged.counted,
      ...(lastBoundMs !== undefined ? { lastBoundMs } : {}),
    };
    if (rollback.action === 'rollback') {
      const event = Events.rolledBack(facts);
      return {
        effectiveWeight: 0,
        phase: 'RolledBack',
        events: [...events, event],
        condition: condition('True', REASON[verdict.reason], event.message),
        lastRollback: { time: rfc3339(now), reason: verdict.reason, message: event.message, generation },
        ...stepState,
      };
    }
    const prior = findCondition(state?.conditions, ConditionType.RolledBack);
    const alerted = prior?.reason === 'ThresholdBreached' && prior.observedGeneration === generation;
    if (!alerted) events.push(Events.thresholdBreached(facts, weight));
    const message = `Threshold breached (action alert, weight kept): ${describeBreach(facts)}`;
    return { effectiveWeight: weight, phase: phaseOf(weight, canary, route.spec.shadow !== undefined), events, condition: condition('False', 'ThresholdBreached', message), ...stepState };
  }

  // No breach now. An alert of this generation stays reported, as in the sidecar.
  const prior = findCondition(state?.conditions, ConditionType.RolledBack);
  const keepAlert = prior?.reason === 'ThresholdBreached' && prior.observedGeneration === generation;
  const p99 = quantileMs(merged.relay, 0.99);
  const pass = {
    errorRate: merged.relay.requests > 0 ? merged.relay.failures / merged.relay.requests : 0,
    maxErrorRate: policy.maxErrorRate,
    p99Ms: p99,
    maxP99Ms: policy.maxP99LatencyMs,
    relayRequests: merged.relay.requests,
  };
  const okCondition = keepAlert
    ? condition('False', 'ThresholdBreached', prior.message)
    : merged.relay.requests < policy.minRequests
      ? condition(
          'False',
          'TooFewRequests',
          `${formatCount(merged.relay.requests)} relay requests over ${formatDuration(merged.relay.windowMs)}; thresholds are judged from spec.rollback.minRequests ${formatCount(policy.minRequests)}`,
        )
      : condition('False', 'WithinThresholds', describePass(pass));

  if (steps !== undefined && weight > 0) {
    const next = nextStepWeight(steps, weight);
    const startedAt = Date.parse(stepStartedAt ?? rfc3339(now));
    const dwellMs = Math.max(parseDuration(canary.steps?.interval ?? '0s'), policy.windowMs);
    if (next !== undefined && now - startedAt >= dwellMs) {
      if (merged.relay.requests >= policy.minRequests) {
        const last = Math.max(...(canary.steps?.weights ?? []));
        const capped = nextStepWeight(steps, next) === undefined && next < last ? canary.weight : undefined;
        events.push(Events.advanced(weight, next, pass, capped));
        weight = next;
        stepStartedAt = rfc3339(now);
        holdReason = undefined;
      } else if (holdReason !== 'TooFewRequests') {
        holdReason = 'TooFewRequests';
        events.push(Events.haltTooFewRequests(weight, merged.relay.requests, policy.minRequests, merged.relay.windowMs));
      }
    }
  }
  const phase = phaseOf(weight, canary, route.spec.shadow !== undefined);
  if (phase === 'Promoted' && state?.phase !== 'Promoted') events.push(Events.promoted(weight));
  return {
    effectiveWeight: weight,
    phase,
    events,
    condition: okCondition,
    ...(steps === undefined ? {} : { ...(stepStartedAt ? { stepStartedAt } : {}), ...(holdReason ? { holdReason } : {}) }),
  };
}

/** Shadowing (with spec.shadow) or Pending at 0; Promoted at the last of spec.canary.steps; Progressing otherwise. */
function phaseOf(weight: number, canary: CanarySpec, shadow: boolean): Phase {
  if (weight === 0) return shadow ? 'Shadowing' : 'Pending';
  const steps = canary.steps?.weights ?? [];
  if (steps.length > 0 && weight >= Math.max(...steps)) return 'Promoted';
  return 'Progressing';
}
