/**
 * The operator's control loop, wired: informers → work queue → reconcile,
 * the fleet poller, and leader election. Decisions stay in the pure core;
 * this file only decides *when* things run and *who* may write.
 *
 * - Informers (all replicas, so a new leader starts warm): RelayRoutes
 *   (cluster-wide); the ConfigMaps, Roles and RoleBindings labelled
 *   `app.kubernetes.io/managed-by=bellwether` (an edited or deleted one
 *   enqueues its route, which rewrites or recreates it); one pod informer per
 *   route (pod-watches.ts says why).
 * - Secrets are NOT watched: an informer would list and cache every Secret's
 *   values cluster-wide and need `list`/`watch` on all Secrets. Reconcile
 *   GETs the one or two Secrets a route names (only `get` is needed), and
 *   every route is reconciled at least every `--status-interval` (after its
 *   fleet poll), so a Secret created later is noticed within one interval.
 * - Only the leader works the queue and polls the fleet; every write goes
 *   through `leaderOnlyWrites`, so a replica that loses the Lease stops
 *   writing at once. On becoming the leader every route is enqueued.
 */
import { CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../sidecar/clock.js';
import { clientNodeKube } from '../kube/client-node.js';
import type { KubeClient } from '../kube/client.js';
import { NotLeaderError, leaderOnlyWrites } from '../kube/guard.js';
import { RestartingInformer } from '../kube/informer.js';
import { EventRecorder } from '../kube/recorder.js';
import { LeaderElector } from '../leader/elector.js';
import type { PodDoc } from '../merge.js';
import type { OperatorMetrics } from '../metrics.js';
import { GROUP, Label, MANAGED_BY, PLURAL, VERSION } from '../names.js';
import type { RelayRoute } from '../route.js';
import { routeSeries } from '../route-metrics.js';
import type { Backoff } from './backoff.js';
import { FleetReader, statusURLResolver, type StatusURL } from './fleet.js';
import { PodWatches } from './pod-watches.js';
import { reconcile, routeKey, type ReconcileOutcome } from './reconcile.js';
import { routePods } from './pods.js';
import { WorkQueue } from './queue.js';
import type { SpendTally } from '../spend.js';

export interface OperatorOptions {
  kubeconfig: KubeConfig;
  /** The operator's own namespace: where the Lease lives. */
  namespace: string;
  /** This replica's name (pod name): the Lease holder and the Events' reportingInstance. */
  identity: string;
  log: Logger;
  /** Default true. Off: this replica always leads (one replica only!). */
  leaderElect?: boolean;
  /** Fleet poll (and resync) interval. Default 10 s. */
  statusIntervalMs?: number;
  clock?: Clock;
  metrics?: OperatorMetrics;
  /** Where a pod's /status is (fleet.ts). Default: podIP:14001. */
  statusURL?: StatusURL;
  fleetConcurrency?: number;
  fleetTimeoutMs?: number;
  /** Keys reconciled at once. Default 4. */
  workers?: number;
  queueBackoff?: Backoff;
  informerBackoff?: Backoff;
  lease?: { durationSeconds?: number; renewDeadlineMs?: number; renewPeriodMs?: number; retryPeriodMs?: number };
  /** Replace the client-node KubeClient (tests). */
  kube?: KubeClient;
}

type Owned = KubernetesObject & { metadata?: { labels?: Record<string, string> } };

export class Operator {
  readonly #o: OperatorOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #kube: KubeClient;
  readonly #elector: LeaderElector | undefined;
  readonly #queue: WorkQueue;
  readonly #routes: RestartingInformer<RelayRoute & KubernetesObject>;
  readonly #owned: Array<RestartingInformer<Owned>>;
  readonly #pods: PodWatches;
  readonly #fleet: FleetReader;
  /** The last poll's documents per route, with the poll's sequence number (an older poll that ends later must not overwrite). */
  readonly #docs = new Map<string, { seq: number; docs: PodDoc[] }>();
  #pollSeq = 0;
  /** The day's spend tally per route (operator/spend.ts): the fleet's budget figure stays monotonic across pod restarts. */
  readonly #budgets = new Map<string, SpendTally>();
  readonly #stop = new AbortController();
  readonly #polls = new Set<Promise<void>>();
  #ticker: Promise<void> | undefined;
  /** The last reconcile outcome per key (tests and debugging). */
  readonly outcomes = new Map<string, ReconcileOutcome>();

  constructor(o: OperatorOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.log;
    const kc = o.kubeconfig;
    const m = o.metrics;
    const elect = o.leaderElect ?? true;
    const base = o.kube ?? clientNodeKube(kc);
    this.#elector = elect
      ? new LeaderElector({
          kube: base,
          namespace: o.namespace,
          identity: o.identity,
          clock: this.#clock,
          log: o.log,
          ...(o.lease?.durationSeconds !== undefined ? { leaseDurationSeconds: o.lease.durationSeconds } : {}),
          ...(o.lease?.renewDeadlineMs !== undefined ? { renewDeadlineMs: o.lease.renewDeadlineMs } : {}),
          ...(o.lease?.renewPeriodMs !== undefined ? { renewPeriodMs: o.lease.renewPeriodMs } : {}),
          ...(o.lease?.retryPeriodMs !== undefined ? { retryPeriodMs: o.lease.retryPeriodMs } : {}),
          onStartedLeading: () => this.#startedLeading(),
          onStoppedLeading: () => this.#stoppedLeading(),
        })
      : undefined;
    this.#kube = leaderOnlyWrites(base, () => this.isLeader());
    const recorder = new EventRecorder(this.#kube, this.#clock, o.identity);

    this.#queue = new WorkQueue({
      concurrency: o.workers ?? 4,
      backoff: o.queueBackoff ?? { baseMs: 500, maxMs: 5 * 60_000 },
      clock: this.#clock,
      retryable: (err) => !(err instanceof NotLeaderError),
      onError: (key, err, retryInMs) => {
        m?.reconcileErrors.inc();
        this.#log.warn({ route: key, err: err instanceof Error ? err.message : String(err), retryInMs }, 'reconcile failed');
      },
      worker: async (key) => {
        try {
          const out = await reconcile(
            {
              kube: this.#kube,
              recorder,
              clock: this.#clock,
              log: this.#log,
              routesIn: (ns) => this.#routes.list(ns),
              podsOf: (route) => this.#pods.podsOf(route),
              fleetDocs: (k) => this.#docs.get(k)?.docs,
              budgets: this.#budgets,
            },
            key,
          );
          this.outcomes.set(key, out);
          const { namespace, name } = this.#split(key);
          if (m && out.found) {
            if (out.budget) {
              m.budgetSpent.set({ namespace, route: name }, out.budget.spentTodayUSD);
              m.budgetExceeded.set({ namespace, route: name }, out.budget.exhausted ? 1 : 0);
            } else {
              m.budgetSpent.remove({ namespace, route: name });
              m.budgetExceeded.remove({ namespace, route: name });
            }
          }
          if (out.route && out.status) m?.observeRoute(namespace, name, routeSeries(out.route, out.status));
          if (out.events?.some((e) => e.reason === 'RolledBack')) m?.rollbacks.inc({ namespace, route: name });
          if (out.events?.some((e) => e.reason === 'ShadowPassed')) m?.shadowPassed.inc({ namespace, route: name });
          const steps = out.events?.filter((e) => e.reason === 'Advanced').length ?? 0;
          if (steps > 0) m?.advances.inc({ namespace, route: name }, steps);
          m?.reconciles.inc({ result: 'success' });
        } catch (err) {
          m?.reconciles.inc({ result: 'error' });
          throw err;
        } finally {
          m?.queueDepth.set(this.#queue.depth);
        }
      },
    });

    const informerCommon = {
      clock: this.#clock,
      ...(o.informerBackoff ? { backoff: o.informerBackoff } : {}),
      onRestart: (name: string) => m?.informerRestarts.inc({ informer: name }),
    };
    const crs = kc.makeApiClient(CustomObjectsApi);
    this.#routes = new RestartingInformer<RelayRoute & KubernetesObject>(kc, {
      ...informerCommon,
      name: 'relayroutes',
      path: `/apis/${GROUP}/${VERSION}/${PLURAL}`,
      list: () => crs.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }),
      log: o.log.child({ informer: 'relayroutes' }),
      onChange: (type, route) => this.#routeChanged(type, route),
    });
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const managed = `${Label.managedBy}=${MANAGED_BY}`;
    const ownedInformer = (name: string, path: string, list: () => Promise<{ items: Owned[] }>) =>
      new RestartingInformer<Owned>(kc, {
        ...informerCommon,
        name,
        path,
        list: list as never,
        labelSelector: managed,
        log: o.log.child({ informer: name }),
        onChange: (_type, obj) => {
          const route = obj.metadata?.labels?.[Label.route];
          if (route && obj.metadata?.namespace) this.enqueue(routeKey(obj.metadata.namespace, route));
        },
      });
    this.#owned = [
      ownedInformer('configmaps', '/api/v1/configmaps', () => core.listConfigMapForAllNamespaces({ labelSelector: managed })),
      ownedInformer('roles', '/apis/rbac.authorization.k8s.io/v1/roles', () => rbac.listRoleForAllNamespaces({ labelSelector: managed })),
      ownedInformer('rolebindings', '/apis/rbac.authorization.k8s.io/v1/rolebindings', () => rbac.listRoleBindingForAllNamespaces({ labelSelector: managed })),
    ];
    this.#pods = new PodWatches(kc, {
      clock: this.#clock,
      log: o.log.child({ informer: 'pods' }),
      ...(o.informerBackoff ? { backoff: o.informerBackoff } : {}),
      onChange: (key) => this.enqueue(key),
      onRestart: (name) => m?.informerRestarts.inc({ informer: name }),
    });
    this.#fleet = new FleetReader({
      statusURL: o.statusURL ?? statusURLResolver(),
      concurrency: o.fleetConcurrency ?? 16,
      timeoutMs: o.fleetTimeoutMs ?? 2000,
    });
  }

  #split(key: string): { namespace: string; name: string } {
    const i = key.indexOf('/');
    return { namespace: key.slice(0, i), name: key.slice(i + 1) };
  }

  #routeChanged(type: string, route: RelayRoute): void {
    const { namespace, name } = route.metadata;
    const key = routeKey(namespace, name);
    if (type === 'delete') {
      this.#pods.drop(key);
      this.#docs.delete(key);
      this.#budgets.delete(key);
      this.outcomes.delete(key);
      this.#o.metrics?.forgetRoute(namespace, name);
    } else {
      this.enqueue(key);
    }
    // The siblings' verdicts (selector overlap) depend on this route.
    for (const other of this.#routes.list(namespace)) if (other.metadata.name !== name) this.enqueue(routeKey(namespace, other.metadata.name));
  }

  /** Enqueue a route key (ignored while not the leader: the new leader enqueues everything). */
  enqueue(key: string): void {
    if (this.#stop.signal.aborted || !this.isLeader()) return;
    this.#queue.add(key);
    this.#o.metrics?.queueDepth.set(this.#queue.depth);
  }

  /** Whether this replica may write now (in-flight reconciles keep writing during a graceful stop, until the Lease is released). */
  isLeader(): boolean {
    return this.#elector ? this.#elector.isLeader() : true;
  }

  /** Every informer has listed at least once. */
  ready(): boolean {
    return this.#routes.synced && this.#owned.every((i) => i.synced);
  }

  async whenSynced(): Promise<void> {
    await Promise.all([this.#routes.whenSynced(), ...this.#owned.map((i) => i.whenSynced())]);
  }

  #startedLeading(): void {
    this.#o.metrics?.leader.set(1);
    // Poll first, then reconcile: a new leader decides on the fleet's windows, not on an empty view
    // (pollFleet enqueues every route, polled or not).
    void this.whenSynced()
      .then(() => this.pollFleet())
      .catch((err: unknown) => this.#log.warn({ err: String(err) }, 'first fleet poll failed'));
  }

  #stoppedLeading(): void {
    this.#o.metrics?.leader.set(0);
    this.#queue.clear();
    // Another replica leads now: what this one remembers of the fleet goes stale. Leading again
    // starts from the written status (spend.ts takes status.budget as the offset) and a fresh poll.
    this.#docs.clear();
    this.#budgets.clear();
  }

  async start(): Promise<void> {
    await Promise.all([this.#routes.start(), ...this.#owned.map((i) => i.start())]);
    if (this.#elector) this.#elector.start();
    else this.#startedLeading();
    this.#ticker = this.#tick();
  }

  async #tick(): Promise<void> {
    const signal = this.#stop.signal;
    for (;;) {
      try {
        await this.#clock.sleep(this.#o.statusIntervalMs ?? 10_000, signal);
      } catch {
        return;
      }
      if (this.isLeader() && this.ready()) await this.pollFleet().catch((err: unknown) => this.#log.warn({ err: String(err) }, 'fleet poll failed'));
    }
  }

  /** One fleet poll: read every route's ready, injected pods' /status, keep the documents, enqueue the route. */
  pollFleet(): Promise<void> {
    const p = this.#pollOnce();
    this.#polls.add(p);
    void p.finally(() => this.#polls.delete(p)).catch(() => undefined);
    return p;
  }

  async #pollOnce(): Promise<void> {
    const m = this.#o.metrics;
    const seq = ++this.#pollSeq;
    await Promise.all(
      this.#routes.list().map(async (route) => {
        const key = routeKey(route.metadata.namespace, route.metadata.name);
        try {
          const { polled } = routePods(route, await this.#pods.podsOf(route));
          const docs = await this.#fleet.read(polled);
          const answered = docs.filter((d) => d.doc !== undefined).length;
          m?.fleetPolls.inc({ result: 'answered' }, answered);
          m?.fleetPolls.inc({ result: 'silent' }, docs.length - answered);
          // A poll that ends after this replica lost the Lease keeps nothing (#stoppedLeading cleared the rest).
          if (this.isLeader() && (this.#docs.get(key)?.seq ?? 0) < seq) {
            m?.podsReporting.set({ namespace: route.metadata.namespace, route: route.metadata.name }, answered);
            this.#docs.set(key, { seq, docs });
          }
        } catch (err) {
          this.#log.warn({ route: key, err: err instanceof Error ? err.message : String(err) }, 'fleet poll of a route failed');
        }
        this.enqueue(key);
      }),
    );
  }

  /** Resolves when no fleet poll runs, the queue is empty and no reconcile runs (tests). */
  async idle(): Promise<void> {
    while (this.#polls.size > 0) await Promise.allSettled([...this.#polls]);
    await this.#queue.idle();
  }

  /**
   * Graceful stop: stop polling and taking keys, let in-flight reconciles
   * finish, stop the informers, then release the Lease.
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#ticker;
    await this.#queue.shutdown();
    await Promise.all([this.#routes.stop(), ...this.#owned.map((i) => i.stop()), this.#pods.stop()]);
    await this.#elector?.stop();
  }
}
