/** operator/rbac.yaml is enough: the operator, authorized only by it, reconciles, elects itself, records Events. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { Operator } from '../../operator/controller/operator.js';
import { findCondition } from '../../operator/route.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, createPod, createRoute, fakeKube, getRoute, makeOperator } from './harness.js';

let kube: FakeKube;
let op: Operator | undefined;
afterEach(async () => {
  await op?.stop();
  await kube.close();
});

describe('operator RBAC (operator/rbac.yaml)', () => {
  it('grants everything the operator does, and the API server refuses nothing', async () => {
    kube = await fakeKube();
    const objects = kube.kubeconfig.makeApiClient(KubernetesObjectApi);
    // The ClusterRole and the Role as written, bound as the chart binds them.
    for (const doc of parseAllDocuments(readFileSync('operator/rbac.yaml', 'utf8'))) {
      const obj = doc.toJSON() as KubernetesObject;
      if (obj.kind === 'Role') obj.metadata = { ...obj.metadata, namespace: 'bellwether-system' };
      await objects.create(obj);
    }
    const subjects = [{ kind: 'ServiceAccount', name: 'bellwether-operator', namespace: 'bellwether-system' }];
    const roleRef = (kind: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name: 'bellwether-operator' });
    await objects.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'bellwether-operator' }, roleRef: roleRef('ClusterRole'), subjects } as KubernetesObject);
    await objects.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bellwether-operator', namespace: 'bellwether-system' }, roleRef: roleRef('Role'), subjects } as KubernetesObject);
    const sa = kube.serviceAccount('bellwether-system', 'bellwether-operator');
    await createRoute(kube, 'bot', { secret: 'missing-key' }); // a Secret GET that 404s, an Event
    await createPod(kube, 'bot-1', 'bot', 1);
    const from = kube.requests.length;
    op = makeOperator(kube, { kubeconfig: sa.kubeconfig, leaderElect: true, lease: { renewPeriodMs: 50, retryPeriodMs: 50 }, fleetTimeoutMs: 100 });
    await op.start();
    await eventually(() => findCondition(getRoute(kube, 'bot')?.status?.conditions, 'ConfigDistributed')?.status === 'True');
    await op.idle();
    const isOp = (r: { user: string }) => r.user === 'system:serviceaccount:bellwether-system:bellwether-operator';
    await eventually(() => kube.requests.slice(from).some((r) => isOp(r) && r.verb === 'update' && r.resource === 'leases'), { what: 'a lease renewal' });
    const mine = kube.requests.slice(from).filter(isOp);
    expect(mine.filter((r) => r.code === 403)).toEqual([]);
    const did = new Set(mine.map((r) => `${r.verb} ${r.resource}`));
    for (const call of ['watch relayroutes', 'get relayroutes', 'patch relayroutes', 'create configmaps', 'create roles', 'create rolebindings', 'get secrets', 'create events', 'list pods', 'watch pods', 'get leases', 'create leases', 'update leases']) {
      expect(did, call).toContain(call);
    }
    expect(kube.get('v1', 'ConfigMap', NS, 'bellwether-bot')).toBeDefined();
  });
});
