/**
 * spec.budget end to end, as a cluster would run it (the same stack as
 * fleet.test.ts: the fake API server, the operator with its webhook, two real
 * sidecar PROCESSES started from the injected containers): pod A spends the
 * route's daily budget, the operator sums it into status.budget and the
 * rendered ConfigMap, and pod B — which spent nothing itself — refuses with
 * 429 budget_exceeded once the fleet's figure reaches it through the API
 * server. The BudgetExceeded condition and its Event say so.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import OpenAI from 'openai';
import { pino } from 'pino';
import type { FakeKube } from '../fakes/kube/server.js';
import { startCluster, type TestCluster } from '../fakes/kube/cluster.js';
import { eventually } from '../fakes/kube/poll.js';
import type { RunningSidecar } from '../fakes/kube/kubelet.js';
import type { FakeUpstream } from '../fakes/upstream.js';
import type { RelayRoute, RelayRouteStatus } from '../../operator/route.js';

const NS = 'shop';
const ROUTE = 'support-bot';
const log = pino({ level: process.env.BELLWETHER_TEST_LOG ?? 'silent' });

let cluster: TestCluster;
let kube: FakeKube;
let official: FakeUpstream;
let relay: FakeUpstream;
let sidecars: RunningSidecar[];

beforeAll(async () => {
  cluster = await startCluster({
    namespace: NS,
    relayKeySecret: { name: 'holysheep-api-credentials', key: 'API_KEY', value: 'relay-secret-key-for-e2e-0010' },
    sidecar: { image: 'bellwether/sidecar:e2e', logLevel: 'info' },
    log,
    operator: { identity: 'operator-e2e-budget', leaderElect: false, statusIntervalMs: 300, fleetTimeoutMs: 1000 },
  });
  ({ kube, official, relay, sidecars } = cluster);
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

const route = (): RelayRoute => kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, ROUTE) as unknown as RelayRoute;
const price = { input: 50_000, output: 100_000 }; // the fake's usage (10 + 5 tokens) costs $1.00

it('one pod spends the route\'s budget; the other refuses once the fleet figure reaches it', async () => {
  await cluster.applyRoute(ROUTE, {
    models: [{ match: ['gpt-4*'], chain: ['deepseek-chat'], official: 'gpt-4.1' }],
    catalog: [{ name: 'deepseek-chat', price }, { name: 'gpt-4.1', price }],
    canary: { weight: 100 },
    budget: { daily: 5, action: 'block' },
  });
  for (const name of ['support-bot-a', 'support-bot-b']) {
    const pod = await cluster.core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels: { app: ROUTE } }, spec: { containers: [{ name: 'app', image: 'support-bot:1' }] } } });
    await cluster.runInjected(pod);
  }
  const [a, b] = sidecars.map((s) => new OpenAI({ baseURL: s.baseURL, apiKey: 'app-key', maxRetries: 0 }));
  const ask = (c: OpenAI) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });

  for (let i = 0; i < 5; i++) await ask(a!); // pod A: $5, the cap
  const fromA = (await ask(a!).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(fromA.code).toBe('budget_exceeded'); // pod A knows at once, from its own count

  const st = (await eventually(() => route()?.status?.budget?.exhausted === true && route().status, { timeoutMs: 10_000, what: 'status.budget exhausted' })) as RelayRouteStatus;
  expect(st.budget).toMatchObject({ spentTodayUSD: 5, dailyUSD: 5, exhausted: true });
  expect(st.conditions?.find((c) => c.type === 'BudgetExceeded')).toMatchObject({ status: 'True', reason: 'RouteBudgetExceeded' });
  await eventually(async () => ((await (await fetch(`${sidecars[1]!.admin}/status`)).json()) as { budget: { fleet: { routeUSD: number } | null } }).budget.fleet?.routeUSD === 5, {
    timeoutMs: 5_000,
    what: 'the fleet figure in pod B',
  });
  const fromB = (await ask(b!).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(fromB.status).toBe(429);
  expect(fromB.code).toBe('budget_exceeded');
  expect(relay.requests).toHaveLength(5); // pod B never called an upstream
  const messages = () => kube.events(NS).map((e) => String((e as { message?: string }).message));
  await eventually(() => messages().some((m) => m.startsWith('Budget exceeded: route spend $5.00 ≥ $5.00 today (UTC) — action block')), { timeoutMs: 5_000, what: 'the BudgetExceeded Event' });
}, 60_000);
