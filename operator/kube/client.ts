/**
 * The narrow Kubernetes client the operator talks through: only the calls it
 * makes, on plain JSON objects (as they travel on the wire), so the reconcile
 * shell can be read — and faked — without knowing @kubernetes/client-node.
 * `client-node.ts` implements it; `guard.ts` wraps it so only the leader writes.
 *
 * Errors: every failed call rejects with a `KubeError` (status code, reason,
 * the server's message), never with a client-library type.
 */
import type { CoreV1Event, V1ConfigMap, V1Lease, V1Pod, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import type { RelayRoute, RelayRouteStatus } from '../route.js';

/** A ConfigMap, Role or RoleBinding the operator renders. */
export type OwnedKind = 'ConfigMap' | 'Role' | 'RoleBinding';
export interface OwnedObjects {
  ConfigMap: V1ConfigMap;
  Role: V1Role;
  RoleBinding: V1RoleBinding;
}

export interface KubeClient {
  // RelayRoutes (lists and watches go through informers: informer.ts).
  getRoute(namespace: string, name: string): Promise<RelayRoute | undefined>;
  /**
   * Merge patch on the `status` subresource. With `resourceVersion` the write
   * is conditional (409 Conflict when the route changed since it was read).
   */
  patchRouteStatus(namespace: string, name: string, patch: Partial<Record<keyof RelayRouteStatus, unknown>>, resourceVersion?: string): Promise<RelayRoute>;

  // The rendered objects.
  getOwned<K extends OwnedKind>(kind: K, namespace: string, name: string): Promise<OwnedObjects[K] | undefined>;
  createOwned<K extends OwnedKind>(kind: K, obj: OwnedObjects[K]): Promise<OwnedObjects[K]>;
  /** PUT with the object's resourceVersion: 409 Conflict when someone wrote in between. */
  replaceOwned<K extends OwnedKind>(kind: K, obj: OwnedObjects[K]): Promise<OwnedObjects[K]>;
  deleteOwned(kind: OwnedKind, namespace: string, name: string): Promise<void>;

  /** Pods by label selector (the informers list the same way). */
  listPods(namespace: string, labelSelector: string): Promise<V1Pod[]>;

  /**
   * The key names of a Secret's `data` and `stringData`, or undefined when it
   * does not exist. Values are dropped inside the call: they are never
   * returned, logged or stored.
   */
  secretKeys(namespace: string, name: string): Promise<Set<string> | undefined>;

  // core/v1 Events.
  createEvent(event: CoreV1Event): Promise<CoreV1Event>;
  /** Merge patch (count, lastTimestamp) of a recorded Event. */
  patchEvent(namespace: string, name: string, patch: Partial<CoreV1Event>): Promise<CoreV1Event>;

  // Leases (leader election).
  getLease(namespace: string, name: string): Promise<V1Lease | undefined>;
  createLease(lease: V1Lease): Promise<V1Lease>;
  /** PUT with the lease's resourceVersion (optimistic concurrency). */
  replaceLease(lease: V1Lease): Promise<V1Lease>;
}

/** A failed API call: the HTTP status and the server's Status reason and message. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export const isConflict = (e: unknown): boolean => e instanceof KubeError && e.code === 409;
export const isNotFound = (e: unknown): boolean => e instanceof KubeError && e.code === 404;
export const isAlreadyExists = (e: unknown): boolean => e instanceof KubeError && e.code === 409 && e.reason === 'AlreadyExists';

/**
 * Runs `attempt` again (it must re-read what it writes) while it fails with
 * 409 Conflict, at most `tries` times — client-go's RetryOnConflict. Other
 * errors and the last conflict are thrown.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isConflict(e) || isAlreadyExists(e) || i >= tries) throw e;
    }
  }
}
