/**
 * spec.budget in the operator, against the fake API server with several
 * sidecar /status servers: the fleet's spend summed into status.budget and
 * into the rendered ConfigMap for the sidecars, monotonic across a sidecar
 * restart and a deleted pod, BudgetExceeded with one Event, and the metrics.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { statusURLResolver } from '../../operator/controller/fleet.js';
import type { Operator } from '../../operator/controller/operator.js';
import { OperatorMetrics } from '../../operator/metrics.js';
import { findCondition, type RelayRoute } from '../../operator/route.js';
import type { SidecarStatus } from '../../operator/sidecar-status.js';
import { statusDoc } from '../../operator/testdata/fixtures.js';
import { parseFleetSpend } from '../../sidecar/spend/figure.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, RR, apis, createPod, createSecret, fakeKube, getRoute, makeOperator, routeBody, statusServer } from './harness.js';

let kube: FakeKube;
let op: Operator;
let metrics: OperatorMetrics;
const servers: Array<{ close(): Promise<void> }> = [];
/** Each pod's own spend today, and when its count began (a sidecar restart changes it). */
const own: Record<string, { routeUSD: number; models: Record<string, number>; since: string }> = {};

const today = () => new Date().toISOString().slice(0, 10);
function doc(pod: string): SidecarStatus {
  const d = statusDoc({ generation: 1, route: { namespace: NS, name: 'bot' } });
  const o = own[pod] ?? { routeUSD: 0, models: {}, since: `${today()}T00:00:00.000Z` };
  d.budget = {
    day: today(),
    resetsAt: '',
    action: 'block',
    own: o,
    fleet: null,
    route: { spentUSD: o.routeUSD, limitUSD: 200, exhausted: false },
    models: [],
  };
  return d;
}

beforeEach(async () => {
  kube = await fakeKube();
  metrics = new OperatorMetrics();
  op = makeOperator(kube, { statusURL: statusURLResolver({ adminPortAnnotation: true }), fleetTimeoutMs: 300, metrics });
  await createSecret(kube);
  const body = routeBody('bot') as { spec: Record<string, unknown> };
  body.spec.budget = { daily: 200, models: [{ name: 'kimi-k2', daily: 150 }], action: 'block' };
  await apis(kube).crs.createNamespacedCustomObject({ ...RR, namespace: NS, body });
  for (const pod of ['bot-1', 'bot-2', 'bot-3']) {
    const s = await statusServer(() => doc(pod));
    servers.push(s);
    await createPod(kube, pod, 'bot', s.port);
  }
  await op.start();
});
afterEach(async () => {
  await op.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await kube.close();
  for (const k of Object.keys(own)) delete own[k];
});

async function poll(): Promise<RelayRoute> {
  await op.pollFleet();
  await op.idle();
  return getRoute(kube, 'bot')!;
}
const cmFigure = () => {
  const cm = kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { data?: Record<string, string>; metadata?: { annotations?: Record<string, string> } } | undefined;
  const text = cm?.data?.['route.yaml'] ?? '';
  expect(text).toContain('bellwether.dev/budget-spent');
  return parseFleetSpend(cm?.metadata?.annotations?.['bellwether.dev/budget-spent']);
};
const events = () => (kube.events(NS) as unknown as Array<{ reason: string; message: string; type: string }>).filter((e) => e.reason.startsWith('Budget'));

it('sums the fleet into status.budget and the rendered config; the cap raises BudgetExceeded with one Event', async () => {
  await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
  await op.idle();
  const since = `${today()}T01:00:00.000Z`;
  own['bot-1'] = { routeUSD: 60, models: { 'kimi-k2': 50 }, since };
  own['bot-2'] = { routeUSD: 40, models: { 'kimi-k2': 40 }, since };
  own['bot-3'] = { routeUSD: 20, models: { 'kimi-k2': 20 }, since };
  let r = await poll();
  expect(r.status?.budget).toEqual({
    day: today(),
    spentTodayUSD: 120,
    dailyUSD: 200,
    exhausted: false,
    models: [{ name: 'kimi-k2', spentTodayUSD: 110, dailyUSD: 150, exhausted: false }],
  });
  expect(findCondition(r.status?.conditions, 'BudgetExceeded')).toMatchObject({ status: 'False', reason: 'WithinBudget' });
  expect(cmFigure()).toEqual({ day: today(), routeUSD: 120, models: { 'kimi-k2': 110 } });

  // bot-1's sidecar restarts (its count starts again) and bot-3 is deleted: what they spent today stays counted.
  own['bot-1'] = { routeUSD: 5, models: { 'kimi-k2': 5 }, since: `${today()}T02:00:00.000Z` };
  await apis(kube).core.deleteNamespacedPod({ namespace: NS, name: 'bot-3' });
  await eventually(async () => (await poll()).status?.pods?.reporting === 2);
  r = getRoute(kube, 'bot')!;
  expect(r.status?.budget?.spentTodayUSD).toBe(125);

  own['bot-2'] = { routeUSD: 118.1, models: { 'kimi-k2': 100 }, since };
  r = await poll();
  expect(r.status?.budget).toMatchObject({ spentTodayUSD: 203.1, exhausted: true });
  expect(findCondition(r.status?.conditions, 'BudgetExceeded')).toMatchObject({ status: 'True', reason: 'RouteBudgetExceeded' });
  expect(events()).toEqual([
    expect.objectContaining({
      type: 'Warning',
      reason: 'BudgetExceeded',
      message: 'Budget exceeded: route spend $203.10 > $200.00 today (UTC) — action block: relay models skipped, requests answered 429 (official side included) until 00:00 UTC',
    }),
    expect.objectContaining({ reason: 'BudgetExceeded', message: expect.stringContaining('kimi-k2 spend $175.00 > $150.00') }),
  ]);
  expect(cmFigure()).toMatchObject({ routeUSD: 203.1 });
  expect(await metrics.registry.getSingleMetricAsString('bellwether_operator_budget_spent_usd')).toContain('route="bot"} 203.1');
  expect(await metrics.registry.getSingleMetricAsString('bellwether_operator_budget_exceeded')).toContain('route="bot"} 1');

  // Still over on the next ticks: no second Event.
  await poll();
  expect(events()).toHaveLength(2);
});

it('an operator restart after pods went away (app rollout, then helm upgrade) keeps counting new spend', async () => {
  await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
  await op.idle();
  const since = `${today()}T01:00:00.000Z`;
  own['bot-1'] = { routeUSD: 60, models: { 'kimi-k2': 60 }, since };
  own['bot-2'] = { routeUSD: 40, models: { 'kimi-k2': 40 }, since };
  expect((await poll()).status?.budget?.spentTodayUSD).toBe(100);
  // bot-1 is replaced by the rollout, then the operator restarts.
  await apis(kube).core.deleteNamespacedPod({ namespace: NS, name: 'bot-1' });
  await op.stop();
  op = makeOperator(kube, { statusURL: statusURLResolver({ adminPortAnnotation: true }), fleetTimeoutMs: 300, metrics });
  await op.start();
  await eventually(async () => (await poll()).status?.pods?.reporting === 2);
  expect(getRoute(kube, 'bot')!.status?.budget?.spentTodayUSD).toBe(100);
  // bot-2 spends 50 more and bot-3 30: 180 spent today, the route's cap is 200, kimi-k2's 150.
  own['bot-2'] = { routeUSD: 90, models: { 'kimi-k2': 90 }, since };
  own['bot-3'] = { routeUSD: 30, models: { 'kimi-k2': 30 }, since };
  const r = await poll();
  expect(r.status?.budget).toMatchObject({ spentTodayUSD: 180, models: [{ name: 'kimi-k2', spentTodayUSD: 180, exhausted: true }] });
  expect(findCondition(r.status?.conditions, 'BudgetExceeded')).toMatchObject({ status: 'True', reason: 'ModelBudgetExceeded' });
  expect(cmFigure()).toMatchObject({ routeUSD: 180 });
});

it('leaves the ConfigMap alone while the fleet spends little far from every cap, and follows every change near one', async () => {
  await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
  await op.idle();
  const since = `${today()}T01:00:00.000Z`;
  own['bot-1'] = { routeUSD: 10, models: { 'kimi-k2': 10 }, since };
  expect((await poll()).status?.budget?.spentTodayUSD).toBe(10);
  expect(cmFigure()).toMatchObject({ routeUSD: 10 });
  const cmVersion = () => (kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { metadata: { resourceVersion?: string } }).metadata.resourceVersion;
  const before = cmVersion();
  // $0.50 more per tick: under 1% of the $200 and $150 caps — status follows, the config does not.
  for (const spent of [10.5, 11, 11.5]) {
    own['bot-1'] = { routeUSD: spent, models: { 'kimi-k2': 10, 'gpt-4.1': spent - 10 }, since };
    expect((await poll()).status?.budget?.spentTodayUSD).toBe(spent);
  }
  expect(cmVersion()).toBe(before);
  expect(cmFigure()).toMatchObject({ routeUSD: 10 });
  // $1.50 of kimi-k2 since the last figure: 1% of its cap, published.
  own['bot-1'] = { routeUSD: 13, models: { 'kimi-k2': 11.5, 'gpt-4.1': 1.5 }, since };
  await poll();
  expect(cmFigure()).toMatchObject({ routeUSD: 13, models: { 'kimi-k2': 11.5 } });
  // Within 10% of the route cap, every change goes out.
  own['bot-1'] = { routeUSD: 181, models: { 'kimi-k2': 11.5, 'gpt-4.1': 169.5 }, since };
  await poll();
  own['bot-1'] = { routeUSD: 181.1, models: { 'kimi-k2': 11.5, 'gpt-4.1': 169.6 }, since };
  await poll();
  expect(cmFigure()).toMatchObject({ routeUSD: 181.1 });
});
