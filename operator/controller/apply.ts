/**
 * Applies one rendered object: create it when missing, leave it alone when
 * the owned fields already match (`needsUpdate`, render.ts — no write at
 * all), otherwise PUT it with the owned fields set and everything else kept
 * (`withOwnedFields`), conditional on the resourceVersion just read. A 409 —
 * someone wrote in between, or created it first — re-reads and tries again.
 * A RoleBinding whose `roleRef` differs is deleted and recreated (the API
 * server refuses to change a roleRef in place).
 */
import { isDeepStrictEqual } from 'node:util';
import { needsUpdate, withOwnedFields } from '../render.js';
import { KubeError, isAlreadyExists, retryOnConflict, type KubeClient, type OwnedKind, type OwnedObjects } from '../kube/client.js';

export type ApplyResult = 'created' | 'updated' | 'recreated' | 'unchanged';

export async function applyOwned<K extends OwnedKind>(kube: KubeClient, kind: K, desired: OwnedObjects[K]): Promise<ApplyResult> {
  const namespace = desired.metadata?.namespace ?? '';
  const name = desired.metadata?.name ?? '';
  const create = async (): Promise<void> => {
    try {
      await kube.createOwned(kind, desired);
    } catch (e) {
      // Created by someone else between our GET and POST: read it again.
      if (isAlreadyExists(e)) throw new KubeError(409, 'Conflict', (e as Error).message);
      throw e;
    }
  };
  return retryOnConflict(async () => {
    const current = await kube.getOwned(kind, namespace, name);
    if (current === undefined) {
      await create();
      return 'created';
    }
    if (!needsUpdate(current, desired)) return 'unchanged';
    if (kind === 'RoleBinding' && !isDeepStrictEqual((current as OwnedObjects['RoleBinding']).roleRef, (desired as OwnedObjects['RoleBinding']).roleRef)) {
      await kube.deleteOwned(kind, namespace, name);
      await create();
      return 'recreated';
    }
    await kube.replaceOwned(kind, withOwnedFields(current, desired));
    return 'updated';
  });
}
