/**
 * The commands that steer the canary by changing the RelayRoute: `weight`,
 * `resume` and `rollback`. Each is one JSON merge patch, so it is atomic and
 * needs no resourceVersion; the operator sees a new generation and acts.
 *
 * `rollback` records who-knows-why where the operator and people look: the
 * annotation `bellwether.dev/manual-rollback` (JSON: reason, time, previous
 * weight), set in the same patch as the weight, and a Warning Event
 * `ManualRollback` on the route (`kubectl describe rr` and `kubectl relay
 * status` show it).
 */
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { GROUP, KIND, PLURAL, VERSION } from '../names.js';
import { rfc3339, type RelayRoute } from '../route.js';

export const MANUAL_ROLLBACK_ANNOTATION = 'bellwether.dev/manual-rollback';
export const MANUAL_ROLLBACK_REASON = 'ManualRollback';

const ref = (namespace: string, name: string) => ({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name });
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export async function readRoute(kc: KubeConfig, namespace: string, name: string): Promise<RelayRoute> {
  return (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject(ref(namespace, name))) as RelayRoute;
}

async function patchRoute(kc: KubeConfig, namespace: string, name: string, body: object): Promise<RelayRoute> {
  return (await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({ ...ref(namespace, name), body }, mergePatch)) as RelayRoute;
}

export async function setWeight(kc: KubeConfig, namespace: string, name: string, weight: number): Promise<{ from: number; to: number }> {
  const before = await readRoute(kc, namespace, name);
  await patchRoute(kc, namespace, name, { spec: { canary: { weight } } });
  return { from: before.spec.canary.weight, to: weight };
}

export async function resume(kc: KubeConfig, namespace: string, name: string, now: number): Promise<string> {
  const restartedAt = rfc3339(now);
  await patchRoute(kc, namespace, name, { spec: { canary: { restartedAt } } });
  return restartedAt;
}

export interface ManualRollback {
  reason: string;
  time: string;
  previousWeight: number;
}

export function rollbackMessage(r: ManualRollback): string {
  return `Rolled back by hand: ${r.reason} (spec.canary.weight ${r.previousWeight}% → 0%)`;
}

export async function rollback(kc: KubeConfig, namespace: string, name: string, reason: string, now: number): Promise<ManualRollback> {
  const before = await readRoute(kc, namespace, name);
  const record: ManualRollback = { reason, time: rfc3339(now), previousWeight: before.spec.canary.weight };
  const after = await patchRoute(kc, namespace, name, {
    metadata: { annotations: { [MANUAL_ROLLBACK_ANNOTATION]: JSON.stringify(record) } },
    spec: { canary: { weight: 0 } },
  });
  const time = new Date(Math.floor(now / 1000) * 1000);
  await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: `${GROUP}/${VERSION}`, kind: KIND, name, namespace, uid: after.metadata.uid, resourceVersion: after.metadata.resourceVersion },
      reason: MANUAL_ROLLBACK_REASON,
      type: 'Warning',
      message: rollbackMessage(record),
      source: { component: 'kubectl-relay' },
      // A legacy-style core/v1 Event (no eventTime): what kubectl describe reads everywhere.
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    },
  });
  return record;
}
