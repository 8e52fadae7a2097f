/**
 * Reconcile one RelayRoute, level-based and idempotent: whatever happened
 * before, read the current state, compute the desired state with the pure
 * core, write only what differs.
 *
 * 1. Re-read the route (gone: nothing to do — its objects carry an owner
 *    reference and the garbage collector deletes them).
 * 2. `checkRoute` (validate.ts) with the namespace's other routes (informer
 *    cache) and the key names of the referenced Secrets (read now, see
 *    `secretKeys`).
 * 3. The fleet: the last `/status` documents the poller read for this route,
 *    merged against the route as it is now (`mergeFleet`), `decide`
 *    (analysis.ts), `nextStatus`/`decisionsOf` (status.ts).
 * 4. Apply the ConfigMap (with the decisions), Role and RoleBinding
 *    (apply.ts: no write when the owned fields match) → ConfigDistributed.
 * 5. Write the status (merge patch on the status subresource, conditional on
 *    the resourceVersion read in 1; skipped when nothing differs).
 * 6. Record the Events — after the status write, because the status is what
 *    tells the next reconcile that they were recorded (the Ready message, the
 *    decision's state), so a failed write cannot record them twice.
 *
 * A conflict anywhere re-runs the whole thing from 1 (a few times), then
 * fails so the work queue backs off.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../sidecar/clock.js';
import { decide } from '../analysis.js';
import type { EventRecord } from '../events.js';
import { retryOnConflict, type KubeClient } from '../kube/client.js';
import type { EventRecorder } from '../kube/recorder.js';
import { mergeFleet, type PodDoc } from '../merge.js';
import { MAX_ROUTE_NAME, configMapName } from '../names.js';
import { renderConfigMap, renderRbac } from '../render.js';
import { ConditionType, generationOf, setCondition, type ConditionInput, type RelayRoute, type RelayRouteStatus } from '../route.js';
import { decisionsOf, nextStatus } from '../status.js';
import { checkRoute } from '../validate.js';
import { redisPasswordRef } from '../sidecar-spec.js';
import { budgetVerdict, tallySpend, type SpendTally } from '../spend.js';
import { figureToPublish } from '../spend-publish.js';
import { applyOwned, type ApplyResult } from './apply.js';
import { isEmptyPatch, mergePatchFor } from './merge-patch.js';
import { routePods } from './pods.js';

export interface ReconcileDeps {
  /** Writes are leader-only (guard.ts). */
  kube: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  /** RelayRoutes of a namespace, from the informer cache. */
  routesIn(namespace: string): ReadonlyArray<RelayRoute>;
  /** The pods the route's selector matches, from its pod informer (which this call may start). */
  podsOf(route: RelayRoute): Promise<ReadonlyArray<V1Pod>>;
  /** The documents of the route's last fleet poll (undefined: not polled yet). */
  fleetDocs(key: string): ReadonlyArray<PodDoc> | undefined;
  /** The day's spend tally per route key, kept across ticks (spend.ts); absent: each tick starts from status.budget. */
  budgets?: Map<string, SpendTally>;
}

export interface ReconcileOutcome {
  /** False: the route does not exist (any more). */
  found: boolean;
  applied?: Record<'ConfigMap' | 'Role' | 'RoleBinding', ApplyResult | 'skipped'>;
  statusWritten?: boolean;
  events?: EventRecord[];
  phase?: string;
  /** With spec.budget: the fleet's spend today and whether a cap is reached. */
  budget?: { spentTodayUSD: number; exhausted: boolean };
  /** The route as read and the status computed for it (what the metrics mirror). */
  route?: RelayRoute;
  status?: RelayRouteStatus;
}

export function routeKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The referenced Secrets' key names (name → keys; absent when the Secret does not exist): the relay and official keys, the Redis password. */
async function secretKeys(kube: KubeClient, route: RelayRoute): Promise<Map<string, Set<string>>> {
  const refs = [route.spec.relay.apiKeySecretRef, route.spec.official.apiKeySecretRef, redisPasswordRef(route)];
  const names = new Set(refs.flatMap((r) => (r ? [r.name] : [])));
  const out = new Map<string, Set<string>>();
  for (const name of names) {
    const keys = await kube.secretKeys(route.metadata.namespace, name);
    if (keys) out.set(name, keys);
  }
  return out;
}

export async function reconcile(deps: ReconcileDeps, key: string): Promise<ReconcileOutcome> {
  return retryOnConflict(() => reconcileOnce(deps, key), 3);
}

async function reconcileOnce(deps: ReconcileDeps, key: string): Promise<ReconcileOutcome> {
  const { kube, clock } = deps;
  const { namespace, name } = parseKey(key);
  const route = await kube.getRoute(namespace, name);
  if (route === undefined || route.metadata.deletionTimestamp) return { found: false };
  const now = clock.now();
  const generation = generationOf(route);

  const check = checkRoute(route, { routes: deps.routesIn(namespace), secrets: await secretKeys(kube, route) });
  const pods = routePods(route, await deps.podsOf(route));
  const fleet = mergeFleet(deps.fleetDocs(key) ?? [], route);
  const decision = decide(route, route.status, fleet, now);
  const docs = deps.fleetDocs(key);
  const spend = tallySpend(deps.budgets?.get(key), docs ?? [], route, now);
  // Before the first poll (a new leader's reconcile can run first) the tally is not kept: its first
  // poll records the pods' baselines against the written figure (spend.ts).
  if (docs !== undefined) deps.budgets?.set(key, spend.tally);
  // What the sidecars get: the figure, unless it moved too little, far enough from every cap, to be worth a config write.
  const published = figureToPublish(spend.tally.published, spend.figure, route.spec.budget, now);
  spend.tally.published = published;
  const budget = budgetVerdict(route, spend.figure);
  const status = nextStatus({ route, check, decision, fleet, pods: { selected: pods.selected.length, injected: pods.injected.length }, now, ...(budget ? { budget } : {}) });

  // The rendered objects. A name too long for a label value cannot be rendered at all.
  const applied: NonNullable<ReconcileOutcome['applied']> = { ConfigMap: 'skipped', Role: 'skipped', RoleBinding: 'skipped' };
  let distributed: ConditionInput;
  if (name.length > MAX_ROUTE_NAME) {
    distributed = { type: ConditionType.ConfigDistributed, status: 'False', reason: 'NameTooLong', message: 'Nothing is rendered for a route whose name is not a valid label value.', observedGeneration: generation };
  } else {
    const decisions = decisionsOf(route, { ...status, budgetSpent: published.figure });
    const rbac = renderRbac(route);
    try {
      applied.ConfigMap = await applyOwned(kube, 'ConfigMap', renderConfigMap(route, decisions));
      applied.Role = await applyOwned(kube, 'Role', rbac.role);
      applied.RoleBinding = await applyOwned(kube, 'RoleBinding', rbac.roleBinding);
      distributed = {
        type: ConditionType.ConfigDistributed,
        status: 'True',
        reason: 'Rendered',
        message: `ConfigMap ${configMapName(name)} holds generation ${generation} with effective weight ${decisions.effectiveWeight}%.`,
        observedGeneration: generation,
      };
    } catch (err) {
      // Say so in the status (best effort), then fail so the queue retries with backoff.
      const message = `Writing the rendered objects failed: ${err instanceof Error ? err.message : String(err)}`;
      const failed = { ...status, conditions: setCondition(status.conditions, { type: ConditionType.ConfigDistributed, status: 'False', reason: 'ApplyFailed', message, observedGeneration: generation }, now) };
      const patch = mergePatchFor(route.status, JSON.parse(JSON.stringify(failed)));
      if (!isEmptyPatch(patch)) await kube.patchRouteStatus(namespace, name, patch, route.metadata.resourceVersion).catch(() => undefined);
      throw err;
    }
  }
  status.conditions = setCondition(status.conditions, distributed, now);

  // Plain JSON on both sides, so an undefined field is no difference.
  const patch = mergePatchFor(route.status, JSON.parse(JSON.stringify(status)));
  const statusWritten = !isEmptyPatch(patch);
  if (statusWritten) await kube.patchRouteStatus(namespace, name, patch, route.metadata.resourceVersion);

  const events = [...check.events, ...decision.events, ...(budget?.events ?? [])];
  for (const e of events) {
    try {
      await deps.recorder.record(route, e);
    } catch (err) {
      deps.log.warn({ route: key, reason: e.reason, err: err instanceof Error ? err.message : String(err) }, 'recording an Event failed');
    }
  }
  if (events.length > 0 || statusWritten || Object.values(applied).some((a) => a !== 'unchanged' && a !== 'skipped')) {
    deps.log.info({ route: key, generation, phase: status.phase, effectiveWeight: status.effectiveWeight, applied, statusWritten, events: events.map((e) => e.reason) }, 'reconciled');
  }
  return {
    found: true,
    applied,
    statusWritten,
    events,
    route,
    status,
    ...(status.phase ? { phase: status.phase } : {}),
    ...(budget ? { budget: { spentTodayUSD: budget.status.spentTodayUSD, exhausted: budget.status.exhausted } } : {}),
  };
}
