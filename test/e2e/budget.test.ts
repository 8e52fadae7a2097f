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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import OpenAI from 'openai';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { pino } from 'pino';
import { startFakeKube, type FakeKube } from '../fakes/kube/server.js';
import { eventually } from '../fakes/kube/poll.js';
import { freePort, runInjectedSidecar, type RunningSidecar } from '../fakes/kube/kubelet.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { Operator } from '../../operator/controller/operator.js';
import { statusURLResolver, ADMIN_PORT_ANNOTATION } from '../../operator/controller/fleet.js';
import { startWebhook, type Webhook } from '../../operator/webhook/index.js';
import type { RelayRoute, RelayRouteStatus } from '../../operator/route.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NS = 'shop';
const ROUTE = 'support-bot';
const RR = { group: 'bellwether.dev', version: 'v1alpha1', plural: 'relayroutes' };
const log = pino({ level: process.env.BELLWETHER_TEST_LOG ?? 'silent' });

let kube: FakeKube;
let official: FakeUpstream;
let relay: FakeUpstream;
let operator: Operator;
let webhook: Webhook;
const sidecars: RunningSidecar[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bellwether-e2e-budget-'));

beforeAll(async () => {
  kube = await startFakeKube({ crds: [parse(readFileSync(join(ROOT, 'crds/relayroute.yaml'), 'utf8')) as object], serverVersion: { major: '1', minor: '29' } });
  const core = kube.kubeconfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  official = await startFakeUpstream({ name: 'official' });
  relay = await startFakeUpstream({ name: 'relay' });
  await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'holysheep-api-credentials' }, data: { API_KEY: Buffer.from('relay-secret-key-for-e2e-0010').toString('base64') } } });
  const port = await freePort();
  webhook = await startWebhook({
    kube: kube.kubeconfig,
    namespace: 'bellwether-system',
    port,
    host: '127.0.0.1',
    url: `https://127.0.0.1:${port}/mutate-pods`,
    serviceName: 'bellwether-webhook',
    sidecar: { image: 'bellwether/sidecar:e2e', resources: { requests: { cpu: '50m', memory: '96Mi' } }, logLevel: 'info' },
    log,
    registry: new Registry(),
  });
  operator = new Operator({
    kubeconfig: kube.kubeconfig,
    namespace: 'bellwether-system',
    identity: 'operator-e2e-budget',
    log,
    leaderElect: false,
    statusIntervalMs: 300,
    fleetTimeoutMs: 1000,
    statusURL: statusURLResolver({ adminPortAnnotation: true }),
  });
  await operator.start();
}, 60_000);

afterAll(async () => {
  for (const s of sidecars) s.proc.kill('SIGKILL');
  await operator?.stop();
  await webhook?.close();
  await Promise.all([official?.close(), relay?.close()]);
  await kube?.close();
  rmSync(dir, { recursive: true, force: true });
});

const route = (): RelayRoute => kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, ROUTE) as unknown as RelayRoute;
const price = { input: 50_000, output: 100_000 }; // the fake's usage (10 + 5 tokens) costs $1.00

it('one pod spends the route\'s budget; the other refuses once the fleet figure reaches it', async () => {
  await kube.kubeconfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...RR,
    namespace: NS,
    body: {
      apiVersion: 'bellwether.dev/v1alpha1',
      kind: 'RelayRoute',
      metadata: { name: ROUTE },
      spec: {
        selector: { matchLabels: { app: ROUTE } },
        official: { baseURL: official.url },
        relay: { baseURL: relay.url, apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
        models: [{ match: ['gpt-4*'], chain: ['deepseek-chat'], official: 'gpt-4.1' }],
        catalog: [{ name: 'deepseek-chat', price }, { name: 'gpt-4.1', price }],
        canary: { weight: 100 },
        budget: { daily: 5, action: 'block' },
      },
    },
  });
  await eventually(() => route()?.status?.conditions?.some((c) => c.type === 'ConfigDistributed' && c.status === 'True'), { timeoutMs: 10_000, what: 'ConfigDistributed' });
  const core = kube.kubeconfig.makeApiClient(CoreV1Api);
  for (const name of ['support-bot-a', 'support-bot-b']) {
    const pod = await core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels: { app: ROUTE } }, spec: { containers: [{ name: 'app', image: 'support-bot:1' }] } } });
    sidecars.push(await runInjectedSidecar(kube, pod, { sidecarMain: join(ROOT, 'dist/sidecar/main.js'), dir, adminPortAnnotation: ADMIN_PORT_ANNOTATION }));
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
