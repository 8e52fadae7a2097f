/**
 * Records core/v1 Events for RelayRoutes the way client-go's recorder does:
 * an Event repeated (same object, type, reason and message) is not created
 * again but its `count` goes up and `lastTimestamp` moves, so `kubectl
 * describe rr` shows `(x12 over 3m)` instead of twelve lines. The cache of
 * recent Events is bounded (LRU); a repeat whose Event expired (404) is
 * created afresh.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Clock } from '../../sidecar/clock.js';
import type { EventRecord } from '../events.js';
import { API_VERSION, KIND } from '../names.js';
import type { RelayRoute } from '../route.js';
import { isNotFound, type KubeClient } from './client.js';

export const COMPONENT = 'bellwether-operator';

interface Seen {
  name: string;
  count: number;
  first: string;
}

export class EventRecorder {
  readonly #seen = new Map<string, Seen>();

  constructor(
    private readonly kube: KubeClient,
    private readonly clock: Clock,
    /** Pod name (or host name): Event.reportingInstance and source.host. */
    private readonly instance: string,
    private readonly maxCached = 4096,
  ) {}

  async record(route: RelayRoute, e: EventRecord): Promise<void> {
    const { namespace, name, uid } = route.metadata;
    const key = [namespace, name, uid, e.type, e.reason, e.message].join('\u0000');
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.#seen.get(key);
    if (seen) {
      this.#seen.delete(key); // re-insert: most recently used last
      try {
        await this.kube.patchEvent(namespace, seen.name, { count: seen.count + 1, lastTimestamp: now as unknown as Date });
        this.#seen.set(key, { ...seen, count: seen.count + 1 });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const eventName = `${name}.${randomBytes(8).toString('hex')}`;
    const event: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName, namespace },
      involvedObject: {
        apiVersion: API_VERSION,
        kind: KIND,
        name,
        namespace,
        ...(uid ? { uid } : {}),
        ...(route.metadata.resourceVersion ? { resourceVersion: route.metadata.resourceVersion } : {}),
      },
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: 1,
      firstTimestamp: now as unknown as Date,
      lastTimestamp: now as unknown as Date,
      source: { component: COMPONENT, host: this.instance },
      reportingComponent: 'bellwether.dev/operator',
      reportingInstance: this.instance,
    };
    await this.kube.createEvent(event);
    this.#seen.set(key, { name: eventName, count: 1, first: now });
    while (this.#seen.size > this.maxCached) this.#seen.delete(this.#seen.keys().next().value as string);
  }
}
