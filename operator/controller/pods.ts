/**
 * Which of a route's pods count for what — pure, on plain Pod objects.
 *
 * - selected: pods the route's selector matches that are Running and not
 *   being deleted (a Pending pod has no sidecar to ask yet; a Succeeded Job
 *   pod sends nothing any more);
 * - injected: of those, the ones the webhook gave this route's sidecar
 *   (`bellwether.dev/injected: "true"` and `bellwether.dev/route: <name>`);
 * - polled: of those, the Ready ones with a pod IP — the ones whose `/status`
 *   the fleet poller reads. An injected pod that is not Ready still counts as
 *   injected and, not being asked, as not reporting.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { Annotation } from '../names.js';
import type { RelayRoute } from '../route.js';
import { selects } from '../selector.js';

export function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
}

export function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isInjectedFor(pod: V1Pod, route: RelayRoute): boolean {
  const a = pod.metadata?.annotations ?? {};
  return a[Annotation.injected] === 'true' && a[Annotation.route] === route.metadata.name;
}

export interface RoutePods {
  selected: V1Pod[];
  injected: V1Pod[];
  polled: V1Pod[];
}

export function routePods(route: RelayRoute, pods: ReadonlyArray<V1Pod>): RoutePods {
  const selected = pods.filter(
    (p) => p.metadata?.namespace === route.metadata.namespace && isRunning(p) && selects(route.spec.selector, p.metadata?.labels ?? {}),
  );
  const injected = selected.filter((p) => isInjectedFor(p, route));
  const polled = injected.filter((p) => isReady(p) && Boolean(p.status?.podIP));
  return { selected, injected, polled };
}
