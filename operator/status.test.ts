import { describe, expect, it } from 'vitest';
import { decide } from './analysis.js';
import { mergeFleet } from './merge.js';
import { findCondition, type RelayRouteStatus } from './route.js';
import { decisionsOf, nextStatus } from './status.js';
import { routeFixture, statusDoc } from './testdata/fixtures.js';
import { checkRoute } from './validate.js';
import { budgetVerdict } from './spend.js';
import { mergePatchFor } from './controller/merge-patch.js';

const now = Date.UTC(2026, 10, 23, 4, 0, 0);
const secrets = new Map([['holysheep-api-credentials', new Set(['API_KEY'])]]);

function tick(route = routeFixture(), docs = [statusDoc({ relay: { requests: 412, failures: 13 } })], opts: { routes?: typeof route[] } = {}) {
  const fleet = mergeFleet(docs.map((doc, i) => ({ pod: `p${i}`, doc })), route);
  const check = checkRoute(route, { routes: opts.routes ?? [], secrets });
  const decision = decide(route, route.status, fleet, now);
  return nextStatus({ route, check, decision, fleet, pods: { selected: 3, injected: docs.length }, now });
}

describe('nextStatus', () => {
  it('writes status.cache only when a pod reports a response cache', () => {
    const cache = { backend: 'memory', state: 'ready', ttlMs: 1, hits: 9, misses: 3, bypasses: 1, errors: 0, stores: 3, droppedWrites: 0, entries: 3, bytes: 99, savingsUSD: 0.5 };
    expect(tick(routeFixture(), [{ ...statusDoc(), cache }]).cache).toEqual({ hits: 9, misses: 3, bypasses: 1, errors: 0, hitRate: 0.75, savingsUSD: 0.5 });
    expect(tick(routeFixture(), [statusDoc()])).not.toHaveProperty('cache');
  });

  it('keeps status.cache while spec.cache is set and no pod reports one this tick (no remove and re-add)', () => {
    const cache = { backend: 'memory', state: 'ready', ttlMs: 1, hits: 9, misses: 3, bypasses: 1, errors: 0, stores: 3, droppedWrites: 0, entries: 3, bytes: 99, savingsUSD: 0.5 };
    const route = routeFixture({ spec: { cache: { backend: 'memory', ttl: '1h', maxEntries: 1, maxBytes: '1Mi', maxEntryBytes: '1Mi' } } } as never);
    const first = tick(route, [{ ...statusDoc(), cache }]);
    expect(first.cache).toMatchObject({ hits: 9 });
    const quiet = tick({ ...route, status: first }, []);
    expect(quiet.cache).toEqual(first.cache);
    expect(mergePatchFor(first, JSON.parse(JSON.stringify(quiet)))).not.toHaveProperty('cache');
    // Without spec.cache it goes.
    expect(tick({ ...routeFixture(), status: first }, [])).not.toHaveProperty('cache');
  });

  it('writes the fleet, the decision and the state the next tick needs', () => {
    const route = routeFixture();
    route.status = { observedGeneration: 3, phase: 'Progressing', effectiveWeight: 25 };
    const s = tick(route);
    expect(s).toMatchObject({
      observedGeneration: 3,
      phase: 'RolledBack',
      desiredWeight: 25,
      effectiveWeight: 0,
      pods: { selected: 3, injected: 1, reporting: 1 },
      sides: { relay: { requests: 412 } },
      lastRollback: { reason: 'error_rate', generation: 3 },
    });
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['SecretFound', 'True'],
      ['RolledBack', 'True'],
      ['TrafficSeen', 'True'],
    ]);
    // The next tick, from the written status, holds the rollback.
    const held = tick({ ...route, status: s }, [statusDoc({ relay: { requests: 1000 } })]);
    expect(held).toMatchObject({ phase: 'RolledBack', effectiveWeight: 0, lastRollback: s.lastRollback });
  });

  it('never claims traffic flows when every reporting sidecar is idle, and says Unknown when none reports', () => {
    const idle = findCondition(tick(routeFixture(), [statusDoc(), statusDoc()]).conditions, 'TrafficSeen');
    expect(idle).toMatchObject({ status: 'False', reason: 'NoTraffic' });
    expect(idle?.message).toMatch(/^2 reporting sidecars counted no request over 15m/);
    expect(findCondition(tick(routeFixture(), []).conditions, 'TrafficSeen')).toMatchObject({ status: 'Unknown', reason: 'NoReports' });
  });

  it('says BudgetBlocked, not NoTraffic, when a spent route budget with action block answers everything itself', () => {
    const budgeted = (action: 'block' | 'alert') => routeFixture({ spec: { budget: { daily: 100, action } } } as never);
    const seen = (route: ReturnType<typeof routeFixture>, routeUSD: number) => {
      const docs = [statusDoc(), statusDoc()];
      const fleet = mergeFleet(docs.map((doc, i) => ({ pod: `p${i}`, doc })), route);
      const budget = budgetVerdict(route, { day: '2026-11-23', routeUSD, models: {} })!;
      const s = nextStatus({ route, check: checkRoute(route, { routes: [], secrets }), decision: decide(route, route.status, fleet, now), fleet, pods: { selected: 2, injected: 2 }, now, budget });
      return findCondition(s.conditions, 'TrafficSeen');
    };
    expect(seen(budgeted('block'), 120)).toMatchObject({ status: 'Unknown', reason: 'BudgetBlocked', message: expect.stringContaining('429 budget_exceeded') });
    // Under the cap, or over it with action alert (traffic still flows and is counted): NoTraffic as before.
    expect(seen(budgeted('block'), 50)).toMatchObject({ status: 'False', reason: 'NoTraffic' });
    expect(seen(budgeted('alert'), 120)).toMatchObject({ status: 'False', reason: 'NoTraffic' });
  });

  it('shows phase Invalid for a spec that cannot work', () => {
    expect(tick(routeFixture(), [], { routes: [routeFixture({ name: 'twin' })] }).phase).toBe('Invalid');
  });
});

describe('decisionsOf', () => {
  it('tells the sidecars about a held fleet rollback', () => {
    const status: RelayRouteStatus = {
      phase: 'RolledBack',
      effectiveWeight: 0,
      lastRollback: { time: '2026-11-23T04:00:00Z', reason: 'p99_latency', message: 'm', generation: 3 },
    };
    expect(decisionsOf(routeFixture(), status)).toEqual({
      effectiveWeight: 0,
      phase: 'RolledBack',
      fleetRollback: { reason: 'p99_latency', generation: 3, time: '2026-11-23T04:00:00Z' },
    });
  });

  it('names the current step', () => {
    const route = routeFixture({ spec: { canary: { weight: 100, steps: { weights: [5, 25, 50, 100], interval: '1h' } } } });
    expect(decisionsOf(route, { phase: 'Progressing', effectiveWeight: 25 })).toEqual({ effectiveWeight: 25, phase: 'Progressing', step: { index: 2, of: 4 } });
  });

  it('falls back to spec.canary.weight before the first decision', () => {
    expect(decisionsOf(routeFixture(), {})).toEqual({ effectiveWeight: 25, phase: 'Pending' });
  });
});

describe('budget in the status and the rendered decisions', () => {
  const figure = { day: '2026-12-03', routeUSD: 203.1, models: { 'deepseek-chat': 50.2 } };

  it('hands the fleet figure to the sidecars only with spec.budget', () => {
    const withBudget = routeFixture({ spec: { budget: { daily: 200, action: 'block' } } });
    expect(decisionsOf(withBudget, { effectiveWeight: 25, phase: 'Progressing', budgetSpent: figure }).budgetSpent).toEqual(figure);
    expect(decisionsOf(routeFixture(), { effectiveWeight: 25, phase: 'Progressing', budgetSpent: figure }).budgetSpent).toBeUndefined();
  });

  it('drops BudgetExceeded once spec.budget is removed', () => {
    const route = routeFixture();
    route.status = { conditions: [{ type: 'BudgetExceeded', status: 'True', reason: 'RouteBudgetExceeded', message: 'x', lastTransitionTime: '2026-11-23T00:00:00Z' }] };
    const s = tick(route);
    expect(findCondition(s.conditions, 'BudgetExceeded')).toBeUndefined();
    expect(s.budget).toBeUndefined();
  });
});
