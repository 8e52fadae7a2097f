/**
 * A RelayRoute's Events, newest last: core/v1 Events (`involvedObject`) and
 * events.k8s.io/v1 Events (`regarding`) — the operator may write either —
 * selected by field selector on the server, as `kubectl describe` does.
 */
import { CoreV1Api, EventsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { KIND } from '../names.js';
import type { RouteEvent } from './describe.js';

const ms = (...ts: Array<Date | string | undefined | null>): number => {
  for (const t of ts) if (t) return new Date(t).getTime();
  return 0;
};

export async function routeEvents(kc: KubeConfig, namespace: string, name: string, limit: number): Promise<RouteEvent[]> {
  const core = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${KIND},involvedObject.name=${name}` });
  const events: RouteEvent[] = core.items.map((e) => ({
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    time: ms(e.lastTimestamp, e.eventTime as Date | undefined, e.firstTimestamp, e.metadata.creationTimestamp),
    count: e.count ?? 1,
  }));
  try {
    const v1 = await kc.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace, fieldSelector: `regarding.kind=${KIND},regarding.name=${name}` });
    for (const e of v1.items) {
      events.push({
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.note ?? '',
        time: ms(e.series?.lastObservedTime as Date | undefined, e.eventTime as Date | undefined, e.deprecatedLastTimestamp, e.metadata?.creationTimestamp),
        count: e.series?.count ?? e.deprecatedCount ?? 1,
      });
    }
  } catch {
    // events.k8s.io not readable (RBAC) or not served: the core/v1 ones still show.
  }
  return events.sort((a, b) => a.time - b.time).slice(-limit);
}
