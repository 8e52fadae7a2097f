/**
 * One pod informer per RelayRoute, listing and watching only the pods its
 * selector matches (the selector as a server-side `labelSelector`).
 *
 * Why not one cluster-wide pod informer: the operator would hold every pod
 * of the cluster in memory and get every pod event of every namespace to
 * count the few that carry a sidecar. Why not filter by the webhook's
 * annotations: the API server cannot select by annotation, and `selected`
 * must count pods without a sidecar too. Routes are few (one per workload
 * that moves traffic), so a watch each costs the API server little, and the
 * cache holds exactly the pods `status.pods` counts. A selector change
 * restarts that route's informer; a deleted route stops it.
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../sidecar/clock.js';
import { RestartingInformer } from '../kube/informer.js';
import type { RelayRoute } from '../route.js';
import { describeSelector } from '../selector.js';
import type { Backoff } from './backoff.js';
import { routeKey } from './reconcile.js';

/** The selector as a labelSelector query, or undefined when it selects nothing. `{}` selects every pod: `''`. */
export function labelSelectorOf(route: RelayRoute): string | undefined {
  const s = route.spec.selector;
  if (s === undefined) return undefined;
  const text = describeSelector(s);
  return text === '(every pod)' ? '' : text;
}

interface Entry {
  selector: string;
  informer: RestartingInformer<V1Pod>;
}

export class PodWatches {
  readonly #entries = new Map<string, Entry>();
  readonly #core: CoreV1Api;

  constructor(
    private readonly kc: KubeConfig,
    private readonly o: { clock: Clock; log: Logger; backoff?: Backoff; onChange: (key: string) => void; onRestart?: (name: string) => void; syncTimeoutMs?: number },
  ) {
    this.#core = kc.makeApiClient(CoreV1Api);
  }

  /**
   * The route's cached pods; starts (or restarts, on a selector change) its
   * informer and waits for its first list, so a reconcile never counts 0 pods
   * just because the cache is new. Throws when it does not sync in time (the
   * reconcile is retried with backoff).
   */
  async podsOf(route: RelayRoute): Promise<ReadonlyArray<V1Pod>> {
    const key = routeKey(route.metadata.namespace, route.metadata.name);
    const selector = labelSelectorOf(route);
    const entry = this.#entries.get(key);
    if (selector === undefined) {
      this.drop(key);
      return [];
    }
    if (entry?.selector === selector) return this.#synced(entry.informer, route);
    if (entry) this.drop(key);
    const namespace = route.metadata.namespace;
    const informer = new RestartingInformer<V1Pod>(this.kc, {
      name: 'pods',
      path: `/api/v1/namespaces/${namespace}/pods`,
      list: () => this.#core.listNamespacedPod({ namespace, labelSelector: selector }),
      labelSelector: selector,
      onChange: () => this.o.onChange(key),
      clock: this.o.clock,
      log: this.o.log.child({ route: key }),
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      ...(this.o.onRestart ? { onRestart: this.o.onRestart } : {}),
    });
    this.#entries.set(key, { selector, informer });
    void informer.start();
    return this.#synced(informer, route);
  }

  async #synced(informer: RestartingInformer<V1Pod>, route: RelayRoute): Promise<ReadonlyArray<V1Pod>> {
    if (!informer.synced) {
      const timeout = new AbortController();
      await Promise.race([informer.whenSynced(), this.o.clock.sleep(this.o.syncTimeoutMs ?? 5000, timeout.signal).catch(() => undefined)]);
      timeout.abort();
      if (!informer.synced) throw new Error(`the pod informer of RelayRoute ${route.metadata.namespace}/${route.metadata.name} has not listed yet`);
    }
    return informer.list(route.metadata.namespace);
  }

  drop(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    void e.informer.stop();
  }

  async stop(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(all.map((e) => e.informer.stop()));
  }
}
