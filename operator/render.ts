/**
 * The objects the operator renders per RelayRoute — pure: a route and the
 * operator's decisions in, Kubernetes objects out — and `needsUpdate`, which
 * compares only the fields the operator owns, so a reconcile that changes
 * nothing writes nothing.
 *
 * - ConfigMap `bellwether-<route>`, key `route.yaml`: the route as stored
 *   (the API server applied the CRD's defaults), with `metadata.generation`
 *   and the decisions as annotations (format: decisions.ts). Keys are sorted,
 *   so the same route always renders the same bytes.
 * - Role and RoleBinding `bellwether-<route>-config`: the namespace's service
 *   accounts may `get` and `watch` that one ConfigMap, by name.
 *
 * RBAC for a watch by name (checked against the Kubernetes RBAC docs and
 * kubernetes/kubernetes#63469): since Kubernetes 1.11 the API server takes the
 * name of a list or watch request from a `metadata.name=X` field selector, so
 * `resourceNames` restricts list and watch as well as get; a request without
 * that selector is refused. A sidecar that GETs the ConfigMap and then watches
 * it with `fieldSelector=metadata.name=bellwether-<route>` from the returned
 * resourceVersion needs exactly `get` and `watch` — no `list`. (An informer,
 * which starts with a list, would also need `list`; with `resourceNames` even
 * that stays confined to the one object.) Every supported server (1.26+)
 * behaves this way.
 *
 * Every object carries an owner reference to the RelayRoute (controller,
 * blockOwnerDeletion), so deleting the route deletes them. Setting
 * blockOwnerDeletion needs `update` on `relayroutes/finalizers` where the
 * OwnerReferencesPermissionEnforcement admission plugin is on (OpenShift).
 */
import type { V1ConfigMap, V1ObjectMeta, V1OwnerReference, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { DECISION_KEYS, decisionAnnotations, type OperatorDecisions } from '../sidecar/config/decisions.js';
import { API_VERSION, KIND, Label, MANAGED_BY, ROUTE_KEY, configMapName, rbacName } from './names.js';
import { generationOf, type RelayRoute } from './route.js';

export function ownerReference(route: RelayRoute): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: route.metadata.name,
    uid: route.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function meta(route: RelayRoute, name: string, annotations?: Record<string, string>): V1ObjectMeta {
  return {
    name,
    namespace: route.metadata.namespace,
    labels: { [Label.managedBy]: MANAGED_BY, [Label.route]: route.metadata.name },
    ...(annotations ? { annotations } : {}),
    ownerReferences: [ownerReference(route)],
  };
}

/** The route document the sidecars load: what `route.yaml` holds. */
export function renderRouteDocument(route: RelayRoute, decisions: OperatorDecisions): string {
  const doc = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      name: route.metadata.name,
      namespace: route.metadata.namespace,
      generation: generationOf(route),
      annotations: decisionAnnotations(decisions),
    },
    spec: route.spec,
  };
  return `# Rendered by the bellwether operator from RelayRoute ${route.metadata.namespace}/${route.metadata.name}; do not edit.\n${stringify(doc, { sortMapEntries: true, lineWidth: 0 })}`;
}

export function renderConfigMap(route: RelayRoute, decisions: OperatorDecisions): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(route, configMapName(route.metadata.name), decisionAnnotations(decisions)),
    data: { [ROUTE_KEY]: renderRouteDocument(route, decisions) },
  };
}

export function renderRbac(route: RelayRoute): { role: V1Role; roleBinding: V1RoleBinding } {
  const name = rbacName(route.metadata.name);
  return {
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(route, name),
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [configMapName(route.metadata.name)], verbs: ['get', 'watch'] }],
    },
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(route, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `system:serviceaccounts:${route.metadata.namespace}` }],
    },
  };
}

/** What the operator owns on the objects it renders. */
export interface Rendered {
  metadata?: V1ObjectMeta;
  data?: Record<string, string>;
  rules?: unknown;
  roleRef?: unknown;
  subjects?: unknown;
}

/**
 * The owned fields where `current` differs from `desired`: the labels and
 * annotations the operator sets (other keys belong to others and are left
 * alone; a decision annotation the operator no longer sets must go), its
 * controller owner reference, and `data`, `rules`, `roleRef`, `subjects`
 * as a whole. `roleRef` cannot be updated in place: when it differs, the
 * caller deletes and recreates the RoleBinding.
 */
export function ownedDifferences(current: Rendered, desired: Rendered): string[] {
  const diffs: string[] = [];
  const cur = current.metadata ?? {};
  const want = desired.metadata ?? {};
  for (const [k, v] of Object.entries(want.labels ?? {})) if (cur.labels?.[k] !== v) diffs.push(`metadata.labels[${k}]`);
  for (const [k, v] of Object.entries(want.annotations ?? {})) if (cur.annotations?.[k] !== v) diffs.push(`metadata.annotations[${k}]`);
  for (const k of DECISION_KEYS) {
    if (cur.annotations?.[k] !== undefined && want.annotations?.[k] === undefined) diffs.push(`metadata.annotations[${k}]`);
  }
  for (const ref of want.ownerReferences ?? []) {
    if (!(cur.ownerReferences ?? []).some((r) => isDeepStrictEqual(normalizeRef(r), normalizeRef(ref)))) diffs.push('metadata.ownerReferences');
  }
  for (const field of ['data', 'rules', 'roleRef', 'subjects'] as const) {
    if (desired[field] !== undefined && !isDeepStrictEqual(current[field], desired[field])) diffs.push(field);
  }
  return diffs;
}

function normalizeRef(r: V1OwnerReference) {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid, controller: r.controller ?? false, blockOwnerDeletion: r.blockOwnerDeletion ?? false };
}

/** True when an owned field differs; false means: do not write. */
export function needsUpdate(current: Rendered, desired: Rendered): boolean {
  return ownedDifferences(current, desired).length > 0;
}

/**
 * `current` with the owned fields of `desired` applied and everything else
 * (others' labels and annotations, other owner references, resourceVersion)
 * kept: the object to PUT.
 */
export function withOwnedFields<T extends Rendered>(current: T, desired: Rendered): T {
  const cur = current.metadata ?? {};
  const want = desired.metadata ?? {};
  const annotations = { ...(cur.annotations ?? {}) };
  for (const k of DECISION_KEYS) delete annotations[k];
  Object.assign(annotations, want.annotations ?? {});
  // Ours by uid, or an earlier incarnation of the same route (same kind and name).
  const ours = (r: V1OwnerReference) => (want.ownerReferences ?? []).some((w) => w.uid === r.uid || (w.kind === r.kind && w.name === r.name));
  const out: T = {
    ...current,
    metadata: {
      ...cur,
      labels: { ...(cur.labels ?? {}), ...(want.labels ?? {}) },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [...(cur.ownerReferences ?? []).filter((r) => !ours(r)), ...(want.ownerReferences ?? [])],
    },
  };
  for (const field of ['data', 'rules', 'roleRef', 'subjects'] as const) {
    if (desired[field] !== undefined) (out as Rendered)[field] = desired[field] as never;
  }
  return out;
}
