/**
 * The shadow phase across a fleet: two REAL sidecars (in-process, real
 * sockets, fake official and relay upstreams, the openai SDK as the app)
 * shadow their official traffic; the operator polls their /status over HTTP
 * (the pods' admin-port annotation points at them), merges the shadow windows
 * into status.shadow, holds the first canary step in phase Shadowing until
 * the fleet has spec.shadow.minPairs equivalent-enough pairs, then starts it
 * with a ShadowPassed Event and writes the first step into the ConfigMap.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { statusURLResolver } from '../../operator/controller/fleet.js';
import type { Operator } from '../../operator/controller/operator.js';
import type { RelayRoute } from '../../operator/route.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { eventually as until, startStack, type Spec, type Stack } from '../sidecar/harness.js';
import { NS, RR, apis, createPod, createSecret, fakeKube, getRoute, makeOperator, routeBody } from './harness.js';

const ANSWER = 'The capital of France is Paris, on the Seine, the capital for centuries.';
const SHADOW = { weight: 100, minSimilarity: 0.8, maxConcurrent: 8, minPairs: 6, minEquivalence: 0.8 };

let kube: FakeKube;
let op: Operator;
const stacks: Stack[] = [];

beforeEach(async () => {
  kube = await fakeKube();
  op = makeOperator(kube, { statusURL: statusURLResolver({ adminPortAnnotation: true }), fleetTimeoutMs: 2000 });
  await createSecret(kube);
  const body = routeBody('bot') as { spec: Record<string, unknown> };
  body.spec['canary'] = { weight: 100, fallbackToOfficial: true, steps: { weights: [5, 50], interval: '1h' } };
  body.spec['shadow'] = SHADOW;
  await apis(kube).crs.createNamespacedCustomObject({ ...RR, namespace: NS, body });
  for (const name of ['bot-1', 'bot-2']) {
    // Each sidecar serves the same route (namespace, name, generation 1) as the operator sees it.
    const spec: Spec = { canary: { weight: 0 }, shadow: SHADOW, models: [{ match: ['*'], chain: ['kimi-k2'] }] };
    const stack = await startStack(spec);
    stack.writeRoute(spec, { name: 'bot', namespace: NS, generation: 1 });
    await until(async () => (await stack.status()).route.name === 'bot');
    stack.official.setDefault({ kind: 'auto', content: ANSWER });
    stack.relay.setDefault({ kind: 'auto', content: ANSWER });
    stacks.push(stack);
    await createPod(kube, name, 'bot', Number(new URL(stack.sidecar.adminURL).port));
  }
  await op.start();
});
afterEach(async () => {
  await op.stop();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
  await kube.close();
});

async function traffic(perPod: number): Promise<void> {
  for (const s of stacks) {
    const client = s.client();
    for (let i = 0; i < perPod; i++) {
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'capital of France?' }], stream: true });
      for await (const _ of stream);
    }
  }
  // Every pair judged in every sidecar.
  await until(async () => {
    const docs = await Promise.all(stacks.map((s) => s.status()));
    return docs.every((d) => d.shadow.inFlight === 0 && d.shadow.pairs === d.shadow.window.pairs && d.shadow.pairs > 0);
  });
}

async function poll(): Promise<RelayRoute> {
  await op.pollFleet();
  await op.idle();
  return getRoute(kube, 'bot')!;
}
const events = () => kube.events(NS) as unknown as Array<{ reason: string; message: string; type: string }>;
const cmText = () => (kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { data?: Record<string, string> } | undefined)?.data?.['route.yaml'] ?? '';

it('holds the first step in Shadowing until the fleet\'s merged pairs pass, then starts it with ShadowPassed', async () => {
  await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
  await op.idle();
  await traffic(2); // 4 pairs over the fleet: below minPairs 6

  let r = await poll();
  expect(r.status).toMatchObject({ phase: 'Shadowing', effectiveWeight: 0, pods: { reporting: 2 }, shadow: { pairs: 4, equivalence: 1, relayErrorRate: 0 } });
  expect(r.status?.shadow?.relayP99LatencyMs).toBeGreaterThan(0);
  expect(r.status?.canary?.holdReason).toBe('ShadowTooFewPairs');
  expect(cmText()).toContain('bellwether.dev/effective-weight: "0"');
  // Recorded once, when the route was first seen (no sidecar had reported yet); not again on every tick.
  expect(events().filter((e) => e.reason === 'Shadowing').map((e) => e.message)).toEqual([
    'Shadowing: 0 pairs over 15m from 0 pods, fewer than spec.shadow.minPairs 6; the first step (5%) waits until there are enough',
  ]);

  await traffic(1); // 6 pairs: neither pod alone has enough, the fleet does
  r = await poll();
  expect(r.status).toMatchObject({ phase: 'Progressing', effectiveWeight: 5, shadow: { pairs: 6, equivalence: 1 } });
  const passed = events().filter((e) => e.reason === 'ShadowPassed');
  expect(passed).toHaveLength(1);
  expect(passed[0]!.message).toMatch(/^Shadow passed: equivalence 100\.0% ≥ 80\.0% over 6 pairs in 15m from 2 pods \(relay error rate 0\.0%, relay p99 \S+\); effective weight 0% → 5%, the first of spec\.canary\.steps$/);
  await eventually(() => cmText().includes('bellwether.dev/effective-weight: "5"'));
  expect(stacks.every((s) => s.relay.requests.length === 3)).toBe(true); // copies only: the sidecars served nothing from the relay
});
