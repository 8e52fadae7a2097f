/** Two operator replicas against one API server: only the leader writes; the other takes over when the first stops. */
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinationV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Operator } from '../../operator/controller/operator.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, RR, createRoute, createSecret, fakeKube, getRoute, makeOperator, writesSince } from './harness.js';

let kube: FakeKube;
const ops: Operator[] = [];
afterEach(async () => {
  await Promise.all(ops.splice(0).map((o) => o.stop()));
  await kube.close();
});

function replica(identity: string): Operator {
  const kc = kube.addToken(`token-${identity}`, { username: identity, groups: ['system:masters', 'system:authenticated'] });
  const op = makeOperator(kube, {
    kubeconfig: kc,
    identity,
    leaderElect: true,
    // Renew and retry fast; the lease duration stays 15 s, so only a release explains a quick takeover.
    lease: { durationSeconds: 15, renewDeadlineMs: 10_000, renewPeriodMs: 50, retryPeriodMs: 50 },
  });
  ops.push(op);
  return op;
}

describe('leader election', () => {
  it('lets only the leader write, and hands over on a graceful stop', async () => {
    kube = await fakeKube();
    await createSecret(kube);
    const a = replica('op-a');
    await a.start();
    await eventually(() => a.isLeader(), { what: 'a leads' });
    const b = replica('op-b');
    await b.start();
    const from = kube.requests.length;
    await createRoute(kube, 'bot');
    await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
    await a.idle();
    expect(b.isLeader()).toBe(false);
    const writers = new Set(writesSince(kube, from).map((w) => w.user).filter((u) => u !== 'kubernetes-admin')); // the test's own create
    expect(writers).toEqual(new Set(['op-a']));

    const leases = kube.kubeconfig.makeApiClient(CoordinationV1Api);
    const held = await leases.readNamespacedLease({ namespace: 'bellwether-system', name: 'bellwether-operator' });
    expect(held.spec).toMatchObject({ holderIdentity: 'op-a', leaseDurationSeconds: 15 });

    // a stops (SIGTERM): it releases the Lease; b takes over at its next try, not 15 s later.
    const stopped = Date.now();
    await a.stop();
    ops.splice(ops.indexOf(a), 1);
    await eventually(() => b.isLeader(), { what: 'b leads', timeoutMs: 5000 });
    expect(Date.now() - stopped).toBeLessThan(5000);
    const taken = await leases.readNamespacedLease({ namespace: 'bellwether-system', name: 'bellwether-operator' });
    expect(taken.spec).toMatchObject({ holderIdentity: 'op-b', leaseTransitions: 1 });

    const from2 = kube.requests.length;
    await kube.kubeconfig
      .makeApiClient(CustomObjectsApi)
      .patchNamespacedCustomObject({ ...RR, namespace: NS, name: 'bot', body: { spec: { canary: { weight: 40 } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await eventually(() => getRoute(kube, 'bot')?.status?.effectiveWeight === 40);
    await b.idle();
    expect(new Set(writesSince(kube, from2).map((w) => w.user).filter((u) => u !== 'kubernetes-admin'))).toEqual(new Set(['op-b']));
  });
});
