/**
 * An informer that keeps going. client-node's `makeInformer` (list, then
 * watch from the list's resourceVersion) already resumes a watch the server
 * ended and relists after `410 Gone` (the ERROR event clears its
 * resourceVersion, the stream ends, it lists again and reports objects gone
 * meanwhile as deleted). What it does NOT do is restart after an error — a
 * failed list, a refused connection, a broken stream: it calls the `error`
 * callbacks and stops. This wrapper restarts it after a capped exponential
 * backoff, and reports `synced` once a list has succeeded.
 */
import { makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../sidecar/clock.js';
import { backoffDelay, type Backoff } from '../controller/backoff.js';

export type ChangeType = 'add' | 'update' | 'delete';

export interface InformerOptions<T extends KubernetesObject> {
  /** For logs and metrics: `relayroutes`, `pods shop/support-bot` … */
  name: string;
  /** The watch path, e.g. `/api/v1/configmaps`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  onChange: (type: ChangeType, obj: T) => void;
  clock: Clock;
  log: Logger;
  backoff?: Backoff;
  /** Counts restarts (metrics). */
  onRestart?: (name: string) => void;
}

export class RestartingInformer<T extends KubernetesObject> {
  readonly #inf: Informer<T> & ObjectCache<T>;
  readonly #opts: InformerOptions<T>;
  readonly #stop = new AbortController();
  #failures = 0;
  #listed = false;
  #synced = false;
  #restarts = 0;
  #onSynced: Array<() => void> = [];

  constructor(kc: KubeConfig, opts: InformerOptions<T>) {
    this.#opts = opts;
    const list = async (): Promise<KubernetesListObject<T>> => {
      const l = await opts.list();
      this.#listed = true;
      this.#failures = 0;
      return l;
    };
    this.#inf = makeInformer(kc, opts.path, list, opts.labelSelector);
    const on = (type: ChangeType) => (obj: T) => {
      this.#failures = 0;
      opts.onChange(type, obj);
    };
    this.#inf.on('add', on('add'));
    this.#inf.on('update', on('update'));
    this.#inf.on('delete', on('delete'));
    this.#inf.on('error', (err: unknown) => this.#restartLater(err));
  }

  /** Starts listing and watching; resolves when the first attempt has run (synced or not). */
  async start(): Promise<void> {
    await this.#run();
  }

  async #run(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    try {
      await this.#inf.start();
    } catch (err) {
      this.#restartLater(err);
      return;
    }
    if (this.#listed && !this.#synced) {
      this.#synced = true;
      for (const f of this.#onSynced.splice(0)) f();
    }
  }

  #restartLater(err: unknown): void {
    if (this.#stop.signal.aborted) return; // stop() aborts the stream, which reports an error
    this.#failures++;
    const delay = backoffDelay(this.#failures, this.#opts.backoff ?? { baseMs: 200, maxMs: 30_000 });
    this.#opts.log.warn({ informer: this.#opts.name, err: err instanceof Error ? err.message : String(err), retryInMs: delay }, 'informer failed; restarting');
    this.#opts.clock.sleep(delay, this.#stop.signal).then(
      () => {
        this.#restarts++;
        this.#opts.onRestart?.(this.#opts.name);
        void this.#run();
      },
      () => undefined,
    );
  }

  /** True once a list succeeded: the cache holds the server's state (as of some resourceVersion). */
  get synced(): boolean {
    return this.#synced;
  }

  get restarts(): number {
    return this.#restarts;
  }

  whenSynced(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((resolve) => this.#onSynced.push(resolve));
  }

  list(namespace?: string): ReadonlyArray<T> {
    return this.#inf.list(namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#inf.get(name, namespace);
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#inf.stop();
  }
}
