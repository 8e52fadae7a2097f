/**
 * A traffic story that makes every series the dashboard and the alerts read
 * appear, on a plain machine: the fake Kubernetes API server, the operator
 * (controller + webhook, metrics on a real port), two injected pods whose
 * sidecars run as real processes (test/fakes/kube/kubelet.ts) and a selected
 * pod that opted out. Used by prometheus.test.ts; must not import vitest.
 *
 * The route: gpt-4* → relay chain [deepseek-chat, kimi-k2] (healthy),
 * gpt-3.5* → [glm-4], which the fake relay always answers 503; canary steps
 * 50 → 100 every 8 s; rollback window 5 s, minRequests 10, maxErrorRate 0.5,
 * maxP99Latency 1 s (the relay answers in ~80 ms, the official API in ~200 ms).
 * Shadow on every official-served request (first step after 20 pairs at 90%
 * equivalence; both upstreams give the same answer until step 3); an in-memory
 * response cache (every 4th request asks the same question); a daily budget
 * with action alert and caps low enough that the story's spend reaches them.
 *
 * 1. shadowing until the pairs pass the bar (ShadowPassed: 0 → 50), then
 *    healthy traffic until the operator steps 50 → 100 (Promoted): an advance;
 *    somewhere along, spend passes 80% of the caps, then the caps (BudgetExceeded);
 * 2. 30% of requests on the broken model: fallbacks (http_503, then
 *    breaker_open once glm-4's breaker opens), a relay error rate above half
 *    the threshold but under it (the early-warning alert's condition);
 * 3. every request on the broken model: the pods and the fleet roll back;
 *    healthy requests go on for a while, now all on the official API, while
 *    the relay's answers drift: shadow equivalence falls below the bar;
 * 4. on the official side, a stream cut mid-way: a stream error;
 * 5. an empty relay key file in one pod (a refused reload), the other pod's
 *    sidecar killed (injected, not reporting), no traffic (TrafficSeen=False).
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { pino } from 'pino';
import type { FakeKube } from '../fakes/kube/server.js';
import { startCluster, type TestCluster } from '../fakes/kube/cluster.js';
import { eventually } from '../fakes/kube/poll.js';
import type { RunningSidecar } from '../fakes/kube/kubelet.js';
import type { FakeUpstream } from '../fakes/upstream.js';
import type { Operator } from '../../operator/controller/operator.js';
import { OperatorMetrics, serveMetrics } from '../../operator/metrics.js';
import type { Webhook } from '../../operator/webhook/index.js';
import type { RelayRoute } from '../../operator/route.js';
import { VolumeName } from '../../operator/sidecar-spec.js';

export const NS = 'shop';
export const ROUTE = 'support-bot';
const RELAY_KEY = 'fake-relay-key-for-monitoring-0042';
// The catalog's prices are 100× the real ones, so the story's few hundred requests reach caps the
// CRD accepts (at least $0.01); every ratio the dashboard shows (savings, hit rate, spend vs cap) is unchanged.
const PRICE_SCALE = 100;
export const BUDGET_DAILY_USD = 0.004 * PRICE_SCALE;
export const BUDGET_DEEPSEEK_USD = 0.0003 * PRICE_SCALE;
const scaled = (p: { input: number; output: number }) => ({ input: p.input * PRICE_SCALE, output: p.output * PRICE_SCALE });
const ANSWER = 'We are open from nine to six, Monday to Saturday; orders placed before two ship the same day.';
const log = pino({ level: process.env['BELLWETHER_TEST_LOG'] || 'silent' });

/** A Prometheus scrape target with the labels the ServiceMonitor/PodMonitor would give it. */
export interface Target {
  job: 'bellwether-operator' | 'bellwether-sidecars';
  address: string;
  labels: Record<string, string>;
}

export class Cluster {
  #cluster!: TestCluster;
  dir!: string;
  kube!: FakeKube;
  official!: FakeUpstream;
  relay!: FakeUpstream;
  operator!: Operator;
  webhook!: Webhook;
  metricsServer!: Server;
  sidecars: RunningSidecar[] = [];
  /** The share of requests that ask for the broken model (0–1), read by the traffic loops. */
  failShare = 0;
  #traffic: Promise<void>[] = [];
  #stopTraffic = false;
  sent = 0;

  async start(): Promise<void> {
    const metrics = new OperatorMetrics();
    this.#cluster = await startCluster({
      namespace: NS,
      relayKeySecret: { name: 'relay-credentials', key: 'API_KEY', value: RELAY_KEY },
      sidecar: { image: 'bellwether/sidecar:monitoring', logLevel: 'warn' },
      log,
      registry: metrics.registry,
      operator: { identity: 'bellwether-operator-0', leaderElect: false, statusIntervalMs: 300, fleetTimeoutMs: 500, metrics },
    });
    ({ kube: this.kube, official: this.official, relay: this.relay, operator: this.operator, webhook: this.webhook, dir: this.dir, sidecars: this.sidecars } = this.#cluster);
    const core = this.#cluster.core;
    // Latencies a chart can show: the relay answers in about 80 ms, the official API in about 200 ms.
    // Both give the same answer, so the shadow pairs are equivalent (until step 3).
    this.relay.setDefault({ kind: 'auto', latencyMs: 80, content: ANSWER });
    this.official.setDefault({ kind: 'auto', latencyMs: 200, content: ANSWER });
    this.relay.onModel('glm-4', { kind: 'status', status: 503 });

    this.metricsServer = await serveMetrics(metrics.registry, 0, '127.0.0.1');

    await this.#cluster.applyRoute(ROUTE, {
      models: [
        { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' },
        { match: ['gpt-3.5*'], chain: ['glm-4'], official: 'gpt-3.5-turbo' },
      ],
      catalog: [
        { name: 'deepseek-chat', contextWindow: 64000, price: scaled({ input: 0.21, output: 0.42 }) },
        { name: 'kimi-k2', contextWindow: 128000, price: scaled({ input: 0.18, output: 0.36 }) },
        { name: 'glm-4', contextWindow: 128000, price: scaled({ input: 0.1, output: 0.1 }) },
        { name: 'gpt-4.1', price: scaled({ input: 2, output: 8 }) },
        { name: 'gpt-3.5-turbo', price: scaled({ input: 0.5, output: 1.5 }) },
      ],
      canary: { weight: 100, steps: { weights: [50, 100], interval: '8s' } },
      rollback: { window: '5s', minRequests: 10, maxErrorRate: 0.5, maxP99Latency: '1s' },
      retry: { attempts: 0 },
      circuitBreaker: { consecutiveFailures: 3, cooldown: '10m' },
      shadow: { weight: 100, maxConcurrent: 2, minPairs: 20, minEquivalence: 0.9 },
      cache: { ttl: '10m' },
      // At the story's rates (official ~60 µUSD a request, deepseek-chat ~4 µUSD) both caps are
      // reached part-way: the route's while the relay serves, deepseek-chat's a little later.
      budget: { daily: BUDGET_DAILY_USD, models: [{ name: 'deepseek-chat', daily: BUDGET_DEEPSEEK_USD }], action: 'alert' },
    });

    for (const name of [`${ROUTE}-a`, `${ROUTE}-b`]) {
      const pod = await core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels: { app: ROUTE } }, spec: { containers: [{ name: 'app', image: 'support-bot:1' }] } } });
      await this.#cluster.runInjected(pod);
    }
    // Selected, opted out: selected 3, injected 2.
    await core.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: `${ROUTE}-legacy`, labels: { app: ROUTE }, annotations: { 'bellwether.dev/inject': 'false' } }, spec: { containers: [{ name: 'app', image: 'support-bot:0' }] } },
    });
    this.kube.setPodReady(NS, `${ROUTE}-legacy`, '127.0.0.1');
  }

  route(): RelayRoute {
    return this.kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, ROUTE) as unknown as RelayRoute;
  }

  targets(): Target[] {
    const op = this.metricsServer.address() as AddressInfo;
    return [
      // honor_labels, as the ServiceMonitor sets: the operator's own namespace/route labels win.
      { job: 'bellwether-operator', address: `127.0.0.1:${op.port}`, labels: { namespace: 'bellwether-system', pod: 'bellwether-operator-0' } },
      // What the PodMonitor's relabelings produce: namespace and pod from the target, route from the annotation.
      ...this.sidecars.map((s): Target => ({ job: 'bellwether-sidecars', address: new URL(s.admin).host, labels: { namespace: NS, pod: s.pod, route: ROUTE } })),
    ];
  }

  /** One traffic loop per pod; every 8th request streams, every 4th asks the same question (a cache hit after the first). */
  startTraffic(): void {
    this.#stopTraffic = false;
    this.#traffic = this.sidecars.map(async (s) => {
      const client = new OpenAI({ baseURL: s.baseURL, apiKey: 'app-key', maxRetries: 0, timeout: 10_000 });
      for (let i = 0; !this.#stopTraffic; i++) {
        const model = Math.random() < this.failShare ? 'gpt-3.5-turbo' : 'gpt-4o';
        const question = model === 'gpt-4o' && i % 4 === 1 ? 'when are you open?' : `question ${i}`;
        const messages = [{ role: 'user' as const, content: question }];
        try {
          if (i % 8 === 0) {
            const stream = await client.chat.completions.create({ model, messages, stream: true });
            for await (const _chunk of stream) void _chunk;
          } else {
            await client.chat.completions.create({ model, messages });
          }
          this.sent++;
        } catch {
          // Counted by the sidecar; the story goes on.
        }
        await sleep(20);
      }
    });
  }

  async stopTraffic(): Promise<void> {
    this.#stopTraffic = true;
    await Promise.all(this.#traffic);
  }

  /**
   * Steps 1–5 (see the top of this file). `beforeTraffic` resolves once whoever watches has
   * seen the quiet state (a scrape of the counters at 0, so the first step is an increase).
   * `say` reports progress.
   */
  async play(beforeTraffic: () => Promise<unknown> = async () => undefined, say: (line: string) => void = () => undefined): Promise<void> {
    const status = () => this.route()?.status;
    await beforeTraffic();
    this.startTraffic();
    await eventually(() => status()?.phase === 'Promoted', { timeoutMs: 40_000, what: 'the shadow gate, then the canary stepping 50 → 100 (Promoted)' });
    say(`promoted after ${this.sent} requests; shadow ${JSON.stringify(status()?.shadow)}; budget ${JSON.stringify(status()?.budget)}`);
    await sleep(2000);

    this.failShare = 0.3;
    await eventually(
      () => {
        const s = status();
        const relay = s?.sides?.relay;
        return s?.phase !== 'RolledBack' && relay !== undefined && relay.requests >= 10 && relay.errorRate > 0.25;
      },
      { timeoutMs: 20_000, what: 'a relay error rate over half the threshold, before any rollback' },
    );
    await sleep(2500); // a few scrapes of it
    say(`relay error rate ${status()?.sides?.relay.errorRate}`);

    this.failShare = 1;
    await eventually(() => status()?.phase === 'RolledBack', { timeoutMs: 20_000, what: 'the fleet rollback' });
    this.failShare = 0;
    // The relay's answers drift (a model update behind the same name): only the shadow copies see it now.
    this.relay.setDefault({ kind: 'auto', latencyMs: 80, content: 'I am sorry, but I cannot share that information at this time.' });
    await eventually(
      () => {
        const sh = status()?.shadow;
        return sh !== undefined && sh.pairs >= 20 && (sh.equivalence ?? 1) < 0.9;
      },
      { timeoutMs: 20_000, what: 'shadow equivalence below the bar over enough pairs' },
    );
    await sleep(2500);
    await this.stopTraffic();
    say(`rolled back: ${status()?.lastRollback?.message}; shadow ${JSON.stringify(status()?.shadow)}; budget ${JSON.stringify(status()?.budget)}`);

    // Everything is on the official API now: its next stream breaks after two frames.
    this.official.enqueue({ kind: 'sse', cutAfter: 2 });
    const client = new OpenAI({ baseURL: this.sidecars[0]!.baseURL, apiKey: 'app-key', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'tell me a long story' }], stream: true });
    let broke = false;
    try {
      for await (const _chunk of stream) void _chunk;
    } catch {
      broke = true;
    }
    if (!broke) throw new Error('the cut stream ended cleanly');

    // A Secret rotated to an empty key: the sidecar refuses it and keeps the last good one.
    writeFileSync(join(this.dir, this.sidecars[0]!.pod, VolumeName.relayKey, 'API_KEY'), '');
    // The other pod's sidecar dies; the pod stays Running and Ready in the API server.
    this.sidecars[1]!.proc.kill('SIGKILL');
    await eventually(
      () => {
        const s = status();
        return s?.pods?.reporting === 1 && s.conditions?.some((c) => c.type === 'TrafficSeen' && c.status === 'False');
      },
      { timeoutMs: 20_000, what: 'one pod silent and TrafficSeen=False' },
    );
    await sleep(2500);
    say('one pod silent, TrafficSeen=False');
  }

  async stop(): Promise<void> {
    this.#stopTraffic = true;
    await Promise.allSettled(this.#traffic);
    await new Promise((r) => this.metricsServer?.close(r) ?? r(undefined));
    await this.#cluster?.close();
  }
}

