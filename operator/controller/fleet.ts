/**
 * Reads the sidecars' `/status` documents (docs/status-format.md) — the only
 * I/O of the fleet view; merging and deciding stay in merge.ts/analysis.ts.
 *
 * Bounded: at most `concurrency` requests in flight across all routes, each
 * with a `timeoutMs` deadline and a body cap. A pod that refuses, times out,
 * answers non-2xx or not-JSON gives `doc: undefined`: not reporting, never
 * healthy (merge.ts).
 *
 * Where a pod's document lives: `statusURL(pod)`, by default
 * `http://<podIP>:14001/status` (IPv6 addresses bracketed). Test support:
 * with `adminPortAnnotation` the port comes from the pod annotation
 * `bellwether.dev/admin-port` (many sidecars on 127.0.0.1 need different
 * ports); off by default, since in a cluster a pod must not be able to point
 * the operator at another port of its own IP.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { ADMIN_PORT } from '../names.js';
import type { PodDoc } from '../merge.js';
import type { SidecarStatus } from '../sidecar-status.js';

export const ADMIN_PORT_ANNOTATION = 'bellwether.dev/admin-port';
const MAX_BODY_BYTES = 1 << 20;

export type StatusURL = (pod: V1Pod) => string | undefined;

export function statusURLResolver(opts: { adminPortAnnotation?: boolean } = {}): StatusURL {
  return (pod) => {
    const ip = pod.status?.podIP;
    if (!ip) return undefined;
    let port = ADMIN_PORT;
    const annotated = pod.metadata?.annotations?.[ADMIN_PORT_ANNOTATION];
    if (opts.adminPortAnnotation && annotated !== undefined && /^\d{1,5}$/.test(annotated) && Number(annotated) > 0 && Number(annotated) < 65536) {
      port = Number(annotated);
    }
    return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}/status`;
  };
}

/** A counting semaphore: at most `n` holders. */
export class Limiter {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  constructor(n: number) {
    this.#free = n;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

export interface FleetReaderOptions {
  statusURL: StatusURL;
  /** Requests in flight at once, all routes together. Default 16. */
  concurrency?: number;
  /** Per request. Default 2000 ms. */
  timeoutMs?: number;
}

export class FleetReader {
  readonly #limiter: Limiter;
  constructor(private readonly o: FleetReaderOptions) {
    this.#limiter = new Limiter(o.concurrency ?? 16);
  }

  /** One document per pod, `undefined` for the silent ones. */
  read(pods: ReadonlyArray<V1Pod>): Promise<PodDoc[]> {
    return Promise.all(pods.map((pod) => this.#limiter.run(async () => ({ pod: pod.metadata?.name ?? '', doc: await this.#fetch(pod) }))));
  }

  async #fetch(pod: V1Pod): Promise<SidecarStatus | undefined> {
    const url = this.o.statusURL(pod);
    if (url === undefined) return undefined;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.o.timeoutMs ?? 2000), headers: { accept: 'application/json' } });
      if (!res.ok) {
        await res.body?.cancel();
        return undefined;
      }
      const text = await res.text();
      if (text.length > MAX_BODY_BYTES) return undefined;
      const doc = JSON.parse(text) as unknown;
      return typeof doc === 'object' && doc !== null ? (doc as SidecarStatus) : undefined;
    } catch {
      return undefined;
    }
  }
}
