/** RestartingInformer against the fake API server: watch ends, 410 Gone, and errors with backoff. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api, RbacAuthorizationV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { systemClock } from '../../sidecar/clock.js';
import { RestartingInformer, type ChangeType } from '../../operator/kube/informer.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, fakeKube, silentLog } from './harness.js';

let kube: FakeKube;
let informer: RestartingInformer<V1ConfigMap> | undefined;
const seen: Array<[ChangeType, string]> = [];

function configMaps(kc: KubeConfig): RestartingInformer<V1ConfigMap> {
  const core = kc.makeApiClient(CoreV1Api);
  return new RestartingInformer<V1ConfigMap>(kc, {
    name: 'configmaps',
    path: `/api/v1/namespaces/${NS}/configmaps`,
    list: () => core.listNamespacedConfigMap({ namespace: NS }),
    onChange: (type, cm) => seen.push([type, cm.metadata?.name ?? '']),
    clock: systemClock,
    log: silentLog,
    backoff: { baseMs: 10, maxMs: 50 },
  });
}

beforeEach(async () => {
  kube = await fakeKube();
  seen.length = 0;
});
afterEach(async () => {
  await informer?.stop();
  await kube.close();
});

const mk = (name: string) => kube.kubeconfig.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: NS, body: { metadata: { name } } });

describe('RestartingInformer', () => {
  it('keeps watching after the server ends its watches', async () => {
    informer = configMaps(kube.kubeconfig);
    await informer.start();
    expect(informer.synced).toBe(true);
    for (let i = 0; i < 3; i++) {
      kube.closeWatches();
      await mk(`cm-${i}`);
      await eventually(() => informer!.get(`cm-${i}`, NS));
    }
  });

  it('relists after 410 Gone and reports what was deleted meanwhile', async () => {
    informer = configMaps(kube.kubeconfig);
    await mk('old');
    await informer.start();
    await eventually(() => informer!.get('old', NS));
    await informer.stop(); // offline while things change
    informer = undefined;
    const again = configMaps(kube.kubeconfig);
    informer = again;
    await again.start();
    kube.compact({ closeWatches: false });
    await kube.kubeconfig.makeApiClient(CoreV1Api).deleteNamespacedConfigMap({ namespace: NS, name: 'old' });
    await mk('new');
    kube.compact(); // the resumed watch gets 410 Expired: relist
    await eventually(() => again.get('new', NS) && !again.get('old', NS));
    expect(seen).toContainEqual(['delete', 'old']);
  });

  it('restarts with backoff after the list fails, and syncs once it succeeds', async () => {
    const sa = kube.serviceAccount(NS, 'reader'); // RBAC from stored objects: nothing granted yet → 403
    informer = configMaps(sa.kubeconfig);
    await informer.start();
    expect(informer.synced).toBe(false);
    await eventually(() => informer!.restarts >= 2, { what: 'restarts' });
    const rbac = kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: NS, body: { metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: { metadata: { name: 'r' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: NS }] },
    });
    await informer.whenSynced();
    await mk('visible');
    await eventually(() => informer!.get('visible', NS));
  });
});
