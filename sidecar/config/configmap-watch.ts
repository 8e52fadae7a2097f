/**
 * Following one ConfigMap through the Kubernetes API server: the rendered
 * route reaches the sidecar within a second of the operator writing it,
 * where the kubelet's refresh of the mounted copy takes up to a minute.
 *
 * Deliberately not `@kubernetes/client-node`: loading it costs an idle
 * sidecar ~45 MiB of RSS on top of undici (measured; ADR 0007), and the
 * sidecar needs two requests of the API — a GET of one object and a watch of
 * it by name — which undici, already loaded for the upstreams, does in a
 * page of code. The operator uses client-node.
 *
 * The loop: GET the ConfigMap (its data and resourceVersion), then watch it
 * (`fieldSelector=metadata.name=<name>`, from that resourceVersion, with
 * bookmarks), deliver every ADDED/MODIFIED's data, and reconnect from the
 * last resourceVersion when the watch ends. A 410 Gone (the resourceVersion
 * is too old) starts over with a GET. Errors back off exponentially with
 * full jitter. The service-account token is re-read on every connect
 * (projected tokens rotate). What the watch delivers is offered to the
 * config source like any other copy: validated, and applied only if newer.
 */
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Agent, type Dispatcher } from '../proxy/undici.js';
import type { Logger } from '../log.js';
import type { Clock, Random } from '../clock.js';

export interface ConfigMapWatchOptions {
  /** `https://10.96.0.1:443` — from KUBERNETES_SERVICE_HOST/PORT, read by cli.ts. */
  server: string;
  namespace: string;
  name: string;
  /** The data key holding the route: `route.yaml`. */
  key: string;
  tokenFile: string;
  /** The cluster CA (the service account's `ca.crt`); none: the system's. */
  caFile?: string;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Called with each new text of the key (and on the first read). */
  onText: (text: string) => void;
  backoff?: { baseMs: number; maxMs: number };
  /** Server-side watch timeout; the watch is renewed after it. Default 5 min. */
  watchTimeoutSeconds?: number;
}

export type WatchState = 'starting' | 'watching' | 'retrying' | 'stopped';

class Gone extends Error {}

export class ConfigMapWatch {
  #state: WatchState = 'starting';
  #stop = new AbortController();
  #agent: Agent;
  #resourceVersion: string | undefined;
  #failures = 0;
  #lastText: string | undefined;
  /** Resolves when the loop has ended (after `stop`). */
  readonly done: Promise<void>;

  constructor(private readonly opts: ConfigMapWatchOptions) {
    const ca = opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined;
    this.#agent = new Agent({ connect: ca ? { ca } : {}, keepAliveTimeout: 30_000 });
    this.done = this.#loop();
  }

  get state(): WatchState {
    return this.#state;
  }

  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#stop.abort();
    await this.done.catch(() => undefined);
    await this.#agent.close().catch(() => undefined);
  }

  async #loop(): Promise<void> {
    const { log } = this.opts;
    while (!this.#stop.signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) await this.#get();
        this.#state = 'watching';
        const began = this.opts.clock.now();
        await this.#watch();
        this.#failures = 0;
        // A watch that ended normally (its timeout) is renewed at once — unless the server ends
        // watches as soon as they start, which would otherwise be a tight request loop.
        if (this.opts.clock.now() - began < 1000) await this.opts.clock.sleep(1000, this.#stop.signal).catch(() => undefined);
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        if (err instanceof Gone) {
          this.#resourceVersion = undefined; // too old: list again
          continue;
        }
        this.#state = 'retrying';
        this.#failures++;
        const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 500, maxMs: 30_000 };
        const delay = this.opts.random() * Math.min(maxMs, baseMs * 2 ** Math.min(this.#failures - 1, 20));
        if (this.#failures === 1 || this.#failures % 10 === 0) {
          log.warn({ configMap: `${this.opts.namespace}/${this.opts.name}`, failures: this.#failures, err: describe(err) }, 'cannot follow the rendered config through the API server; serving the last good config (the mounted file still applies)');
        }
        await this.opts.clock.sleep(delay, this.#stop.signal).catch(() => undefined);
      }
    }
  }

  #headers(): Record<string, string> {
    const token = readFileSync(this.opts.tokenFile, 'utf8').trim();
    return { authorization: `Bearer ${token}`, accept: 'application/json' };
  }

  /** A GET of `url` through the agent (what undici's top-level `request(url, { dispatcher })` does). */
  #request(url: string, opts: Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'>): Promise<Dispatcher.ResponseData> {
    const u = new URL(url);
    return this.#agent.request({ ...opts, origin: u.origin, path: `${u.pathname}${u.search}`, method: 'GET' });
  }

  #base(): string {
    return `${this.opts.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(this.opts.namespace)}/configmaps`;
  }

  async #get(): Promise<void> {
    const res = await this.#request(`${this.#base()}/${encodeURIComponent(this.opts.name)}`, {
      headers: this.#headers(),
      signal: this.#stop.signal,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = (await res.body.json()) as KubeObject;
    if (res.statusCode !== 200) throw new Error(`GET configmap: HTTP ${res.statusCode} ${body?.message ?? ''}`.trim());
    this.#resourceVersion = body.metadata?.resourceVersion;
    this.#deliver(body);
  }

  async #watch(): Promise<void> {
    const q = new URLSearchParams({
      watch: 'true',
      fieldSelector: `metadata.name=${this.opts.name}`,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.opts.watchTimeoutSeconds ?? 300),
    });
    if (this.#resourceVersion !== undefined) q.set('resourceVersion', this.#resourceVersion);
    const res = await this.#request(`${this.#base()}?${q.toString()}`, {
      headers: this.#headers(),
      signal: this.#stop.signal,
      headersTimeout: 10_000,
      // Bookmarks arrive about once a minute; a silent watch for 3 minutes is a dead one.
      bodyTimeout: 180_000,
    });
    if (res.statusCode === 410) {
      await res.body.dump();
      throw new Gone();
    }
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new Error(`watch configmap: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    }
    let pending = '';
    const utf8 = new StringDecoder('utf8'); // a character split across chunks stays whole
    for await (const chunk of res.body) {
      pending += utf8.write(chunk as Buffer);
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) this.#event(JSON.parse(line) as WatchEvent);
      }
    }
  }

  #event(ev: WatchEvent): void {
    const obj = ev.object;
    if (ev.type === 'ERROR') {
      if ((obj as { code?: number }).code === 410) throw new Gone();
      throw new Error(`watch error: ${(obj as { message?: string }).message ?? 'unknown'}`);
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv !== undefined) this.#resourceVersion = rv;
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.#deliver(obj);
    else if (ev.type === 'DELETED') this.opts.log.warn({ configMap: `${this.opts.namespace}/${this.opts.name}` }, 'the rendered config was deleted; serving the last good config');
  }

  #deliver(obj: KubeObject): void {
    const text = obj.data?.[this.opts.key];
    if (text === undefined || text === this.#lastText) return;
    this.#lastText = text;
    this.opts.onText(text);
  }
}

interface KubeObject {
  metadata?: { resourceVersion?: string; name?: string };
  data?: Record<string, string>;
  message?: string;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

function describe(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${code}: ${message}` : message;
}
