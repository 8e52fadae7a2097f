/**
 * The injection decision and patch, as Linkerd's injector does it: a pure
 * `injectable(pod) -> {inject, reasons}` and a JSON patch that follows from
 * it, tested with golden files (testdata/inject/*-request.json → *-patch.json).
 *
 * The webhook never blocks a pod: `review` always allows, and a skipped pod
 * gets only the annotation `bellwether.dev/skip-reason` saying why. A pod
 * that already has a container named `bellwether` gets no patch at all, so a
 * second pass over an injected pod changes nothing.
 *
 * Skipped (all reasons are collected, joined by "; "):
 * - the operator's own namespace, and kube-system, kube-public, kube-node-lease;
 * - `bellwether.dev/inject: "false"`;
 * - already injected (idempotence; no annotation either);
 * - hostNetwork: ports 14000/14001 would be the node's, shared by every such pod;
 * - an app container that already declares port 14000 or 14001, or a volume
 *   with one of the sidecar's volume names;
 * - without native sidecars (< 1.29), a pod with `restartPolicy` Never or
 *   OnFailure (Jobs): a plain sidecar container never exits, so the pod never
 *   completes;
 * - no RelayRoute selects the pod, or more than one does.
 *
 * App env: `OPENAI_BASE_URL` and `OPENAI_API_BASE` are added to every app
 * container (`containers`, not init containers: with a plain sidecar they run
 * before it) that sets neither as literal `env`. They are one setting: a
 * container that points either at its own endpoint keeps it, and does not get
 * the other pointed at the sidecar (old and new SDKs in one container would
 * then go different ways). Values that come from
 * `envFrom` cannot be seen here; a literal env var added by the webhook takes
 * precedence over `envFrom`, so a team that sets the URL through a ConfigMap
 * opts out with `bellwether.dev/inject: "false"` or sets it literally.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { ADMISSION_API_VERSION, type AdmissionReview } from './admission.js';
import { escapePointer, type JsonPatchOp } from './json-patch.js';
import { ADMIN_PORT, Annotation, PROXY_PORT, SIDECAR_NAME } from './names.js';
import type { RelayRoute } from './route.js';
import { selects } from './selector.js';
import { APP_ENV, VolumeName, sidecarContainer, sidecarVolumes, type SidecarConfig } from './sidecar-spec.js';

export interface InjectContext {
  /** The RelayRoutes in the pod's namespace. */
  routes: readonly RelayRoute[];
  /** The pod's namespace when the pod does not say (AdmissionRequest.namespace). */
  namespace?: string;
  operatorNamespace: string;
  /** The API server's version: `{major: '1', minor: '29+'}` (VersionInfo) or `v1.29.3`. */
  serverVersion: { major: string; minor: string } | string;
  sidecar: SidecarConfig;
}

export interface InjectDecision {
  inject: boolean;
  /** Why not; empty when injecting. */
  reasons: string[];
  /** The RelayRoute that selects the pod, when exactly one does. */
  route?: RelayRoute;
  /** The pod already carries the sidecar: no patch at all. */
  alreadyInjected?: boolean;
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** Native sidecars (`restartPolicy: Always` init containers) are on by default from 1.29. */
export function supportsNativeSidecars(version: InjectContext['serverVersion']): boolean {
  const [major, minor] =
    typeof version === 'string'
      ? (/^v?(\d+)\.(\d+)/.exec(version)?.slice(1) ?? ['0', '0'])
      : [version.major, version.minor];
  const ma = parseInt(major ?? '0', 10);
  const mi = parseInt(minor ?? '0', 10); // "29+" → 29
  return ma > 1 || (ma === 1 && mi >= 29);
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

export function injectable(pod: V1Pod, ctx: InjectContext): InjectDecision {
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  if ([...containers, ...inits].some((c) => c.name === SIDECAR_NAME)) {
    return { inject: false, reasons: [`pod already has a container named "${SIDECAR_NAME}"`], alreadyInjected: true };
  }
  const reasons: string[] = [];
  const namespace = pod.metadata?.namespace || ctx.namespace || '';
  if (namespace === ctx.operatorNamespace) reasons.push(`pod is in the operator's namespace "${namespace}"`);
  else if (SYSTEM_NAMESPACES.has(namespace)) reasons.push(`pod is in the system namespace "${namespace}"`);
  if (pod.metadata?.annotations?.[Annotation.inject] === 'false') reasons.push(`annotation ${Annotation.inject} is "false"`);
  if (pod.spec?.hostNetwork) reasons.push(`pod uses the host network, where ports ${PROXY_PORT} and ${ADMIN_PORT} would be the node's`);
  for (const c of [...containers, ...inits]) {
    for (const p of c.ports ?? []) {
      if (p.containerPort === PROXY_PORT || p.containerPort === ADMIN_PORT) reasons.push(`container "${c.name}" already uses port ${p.containerPort}`);
    }
  }
  const ours = new Set<string>(Object.values(VolumeName));
  for (const v of pod.spec?.volumes ?? []) if (ours.has(v.name)) reasons.push(`pod already has a volume named "${v.name}"`);
  const native = supportsNativeSidecars(ctx.serverVersion);
  const restart = pod.spec?.restartPolicy;
  if (!native && (restart === 'Never' || restart === 'OnFailure')) {
    reasons.push(`pod has restartPolicy ${restart} and this cluster has no native sidecars (1.29+): a plain sidecar would keep it from completing`);
  }
  const matching = ctx.routes.filter((r) => r.metadata.deletionTimestamp === undefined && selects(r.spec.selector, pod.metadata?.labels));
  if (matching.length === 0) reasons.push('no RelayRoute selects this pod');
  if (matching.length > 1) {
    const names = quoteList(matching.map((r) => r.metadata.name).sort());
    reasons.push(`RelayRoutes ${names} ${matching.length === 2 ? 'both' : 'all'} select this pod; make their selectors disjoint`);
  }
  if (reasons.length > 0) return { inject: false, reasons };
  return { inject: true, reasons: [], route: matching[0] as RelayRoute };
}

/** Ops that set these annotations, creating the map when the pod has none; only values that differ. */
function annotate(pod: V1Pod, values: Record<string, string>): JsonPatchOp[] {
  const current = pod.metadata?.annotations;
  if (current === undefined) return [{ op: 'add', path: '/metadata/annotations', value: values }];
  return Object.entries(values)
    .filter(([k, v]) => current[k] !== v)
    .map(([k, v]) => ({ op: 'add', path: `/metadata/annotations/${escapePointer(k)}`, value: v }));
}

function appEnv(c: V1Container, i: number): JsonPatchOp[] {
  // The pair is one setting: a container that sets either chose its own endpoint.
  if ((c.env ?? []).some((have) => APP_ENV.some((e) => e.name === have.name))) return [];
  const missing = APP_ENV;
  if (c.env === undefined) return [{ op: 'add', path: `/spec/containers/${i}/env`, value: missing }];
  return missing.map((e) => ({ op: 'add', path: `/spec/containers/${i}/env/-`, value: e }));
}

export function injectPatch(pod: V1Pod, ctx: InjectContext): JsonPatchOp[] {
  const decision = injectable(pod, ctx);
  if (decision.alreadyInjected) return [];
  if (!decision.inject || decision.route === undefined) {
    return annotate(pod, { [Annotation.skipReason]: decision.reasons.join('; ') });
  }
  const route = decision.route;
  const native = supportsNativeSidecars(ctx.serverVersion);
  const ops: JsonPatchOp[] = (pod.spec?.containers ?? []).flatMap(appEnv);
  const container = sidecarContainer(route, ctx.sidecar, native);
  if (!native) ops.push({ op: 'add', path: '/spec/containers/-', value: container });
  else if (pod.spec?.initContainers === undefined) ops.push({ op: 'add', path: '/spec/initContainers', value: [container] });
  else ops.push({ op: 'add', path: '/spec/initContainers/0', value: container });
  const volumes = sidecarVolumes(route);
  if (pod.spec?.volumes === undefined) ops.push({ op: 'add', path: '/spec/volumes', value: volumes });
  else ops.push(...volumes.map((v): JsonPatchOp => ({ op: 'add', path: '/spec/volumes/-', value: v })));
  ops.push(...annotate(pod, { [Annotation.injected]: 'true', [Annotation.route]: route.metadata.name }));
  if (pod.metadata?.annotations?.[Annotation.skipReason] !== undefined) {
    ops.push({ op: 'remove', path: `/metadata/annotations/${escapePointer(Annotation.skipReason)}` });
  }
  return ops;
}

/**
 * Answers an AdmissionReview. Always allowed — a pod is never blocked; a Pod
 * CREATE gets the patch (base64 JSONPatch) when there is one. Anything else
 * (another kind or operation, no object) is allowed unchanged.
 */
export function review(req: AdmissionReview, ctx: InjectContext): AdmissionReview {
  const request = req.request;
  const uid = request?.uid ?? '';
  const base: AdmissionReview = { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response: { uid, allowed: true } };
  const isPod = request?.kind?.kind === 'Pod' && (request.kind.group ?? '') === '' && request.subResource === undefined;
  const pod = request?.object as V1Pod | undefined;
  if (!isPod || request?.operation !== 'CREATE' || pod === null || typeof pod !== 'object' || !Array.isArray(pod.spec?.containers)) return base;
  const ops = injectPatch(pod, { ...ctx, ...(request.namespace ? { namespace: request.namespace } : {}) });
  if (ops.length === 0) return base;
  return { ...base, response: { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') } };
}
