/**
 * `KubeClient` on @kubernetes/client-node 1.x (one object parameter per call,
 * the body returned). Results are turned back into plain JSON: client-node
 * returns class instances (`V1PolicyRule`, `Date`s), and `needsUpdate`
 * (render.ts) compares owned fields with deep equality, which a class
 * prototype would defeat — every reconcile would write.
 */
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  type KubeConfig,
  type V1ConfigMap,
  type V1Role,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { GROUP, PLURAL, VERSION } from '../names.js';
import type { RelayRoute } from '../route.js';
import { KubeError, isNotFound, type KubeClient, type OwnedKind, type OwnedObjects } from './client.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Wire JSON: drops class prototypes and undefined fields; Dates become RFC 3339 strings. */
export function plain<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}

/** client-node's ApiException (body parsed or text) → KubeError; anything else (connection refused …) → code 0. */
export function toKubeError(e: unknown): KubeError {
  if (e instanceof KubeError) return e;
  if (e instanceof ApiException) {
    let body: { reason?: string; message?: string } = {};
    try {
      body = typeof e.body === 'string' ? (JSON.parse(e.body) as typeof body) : ((e.body as typeof body) ?? {});
    } catch {
      body = { message: String(e.body) };
    }
    return new KubeError(e.code, body.reason ?? '', body.message ?? e.message);
  }
  return new KubeError(0, 'ConnectionError', e instanceof Error ? e.message : String(e));
}

async function call<T>(p: () => Promise<T>): Promise<T> {
  try {
    return plain(await p());
  } catch (e) {
    throw toKubeError(e);
  }
}

async function orUndefined<T>(p: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call(p);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function ns(obj: { metadata?: { namespace?: string; name?: string } }): { namespace: string; name: string } {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

export function clientNodeKube(kc: KubeConfig): KubeClient {
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const crs = kc.makeApiClient(CustomObjectsApi);
  const coordination = kc.makeApiClient(CoordinationV1Api);
  const rr = { group: GROUP, version: VERSION, plural: PLURAL };

  const owned = {
    ConfigMap: {
      get: (namespace: string, name: string) => core.readNamespacedConfigMap({ namespace, name }),
      create: (o: V1ConfigMap) => core.createNamespacedConfigMap({ namespace: ns(o).namespace, body: o }),
      replace: (o: V1ConfigMap) => core.replaceNamespacedConfigMap({ ...ns(o), body: o }),
      delete: (namespace: string, name: string) => core.deleteNamespacedConfigMap({ namespace, name }),
    },
    Role: {
      get: (namespace: string, name: string) => rbac.readNamespacedRole({ namespace, name }),
      create: (o: V1Role) => rbac.createNamespacedRole({ namespace: ns(o).namespace, body: o }),
      replace: (o: V1Role) => rbac.replaceNamespacedRole({ ...ns(o), body: o }),
      delete: (namespace: string, name: string) => rbac.deleteNamespacedRole({ namespace, name }),
    },
    RoleBinding: {
      get: (namespace: string, name: string) => rbac.readNamespacedRoleBinding({ namespace, name }),
      create: (o: V1RoleBinding) => rbac.createNamespacedRoleBinding({ namespace: ns(o).namespace, body: o }),
      replace: (o: V1RoleBinding) => rbac.replaceNamespacedRoleBinding({ ...ns(o), body: o }),
      delete: (namespace: string, name: string) => rbac.deleteNamespacedRoleBinding({ namespace, name }),
    },
  } as const;
  // One table, typed per kind by the interface.
  const ops = <K extends OwnedKind>(kind: K) =>
    owned[kind] as unknown as {
      get(namespace: string, name: string): Promise<OwnedObjects[K]>;
      create(o: OwnedObjects[K]): Promise<OwnedObjects[K]>;
      replace(o: OwnedObjects[K]): Promise<OwnedObjects[K]>;
      delete(namespace: string, name: string): Promise<unknown>;
    };

  return {
    getRoute: (namespace, name) => orUndefined(() => crs.getNamespacedCustomObject({ ...rr, namespace, name }) as Promise<RelayRoute>),
    patchRouteStatus: (namespace, name, patch, resourceVersion) =>
      call(
        () =>
          crs.patchNamespacedCustomObjectStatus(
            { ...rr, namespace, name, body: { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), status: patch } },
            mergePatch,
          ) as Promise<RelayRoute>,
      ),

    getOwned: (kind, namespace, name) => orUndefined(() => ops(kind).get(namespace, name)),
    createOwned: (kind, obj) => call(() => ops(kind).create(obj)),
    replaceOwned: (kind, obj) => call(() => ops(kind).replace(obj)),
    deleteOwned: async (kind, namespace, name) => {
      await call(() => ops(kind).delete(namespace, name));
    },

    listPods: async (namespace, labelSelector) => (await call(() => core.listNamespacedPod({ namespace, labelSelector }))).items,

    secretKeys: async (namespace, name) => {
      try {
        const s = await core.readNamespacedSecret({ namespace, name });
        // Only the key names leave this function; the values are dropped here.
        return new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
      } catch (e) {
        const err = toKubeError(e);
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    createEvent: (event) => call(() => core.createNamespacedEvent({ namespace: event.metadata?.namespace ?? '', body: event })),
    patchEvent: (namespace, name, patch) => call(() => core.patchNamespacedEvent({ namespace, name, body: patch }, mergePatch)),

    getLease: (namespace, name) => orUndefined(() => coordination.readNamespacedLease({ namespace, name })),
    createLease: (lease) => call(() => coordination.createNamespacedLease({ namespace: ns(lease).namespace, body: lease })),
    replaceLease: (lease) => call(() => coordination.replaceNamespacedLease({ ...ns(lease), body: lease })),
  };
}
