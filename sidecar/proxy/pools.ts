/**
 * The sidecar's one way out: a keep-alive connection pool per upstream
 * origin, used by the parsed endpoints (`callUpstream`) and the pass-through
 * alike, so the connection cap and the egress proxy apply to every upstream
 * byte ([ADR 0004](../../docs/adr/0004-one-upstream-transport.md)).
 *
 * - **Connection cap.** At most `maxConnectionsPerOrigin` (default 1024)
 *   connections per origin (undici Pool `connections`). Requests over the cap
 *   wait in the pool's queue for a free connection, as Envoy's
 *   `max_connections` does with its pending queue; the queue's length is
 *   bounded by `spec.limits.maxConcurrent`, which caps the app requests in
 *   flight, and the wait counts against `spec.timeouts.firstByte`/`total`.
 * - **Egress proxy.** Origins that `proxyFor` (egress-proxy.ts) assigns a
 *   proxy go through an undici `ProxyAgent`: a CONNECT tunnel for https://
 *   origins, absolute-form requests for http:// ones. The cap applies to the
 *   connections through the proxy too.
 * - **Connect timeout.** `spec.timeouts.connect`, to the origin or to the
 *   proxy; a change applies to new connections (old pools drain and close).
 */
import { Pool, ProxyAgent, type Dispatcher, type PoolConstructorOptions } from './undici.js';
import { proxyFor, type ProxyConfig } from './egress-proxy.js';
import { preciseConnector } from './connector.js';

export type { ProxyConfig };

export interface PoolOptions {
  /** Upstream connections per origin; over it requests queue. Default 1024. */
  maxConnectionsPerOrigin?: number;
  /** Egress proxy settings (from HTTPS_PROXY, HTTP_PROXY, NO_PROXY); default none. */
  proxy?: ProxyConfig;
}

export const DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 1024;

const KEEP_ALIVE = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 } as const;

export class UpstreamPools {
  private readonly dispatchers = new Map<string, Dispatcher>();
  readonly maxConnectionsPerOrigin: number;
  private readonly proxy: ProxyConfig;

  constructor(
    private connectMs: number,
    opts: PoolOptions = {},
  ) {
    this.maxConnectionsPerOrigin = opts.maxConnectionsPerOrigin ?? DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
    this.proxy = opts.proxy ?? {};
  }

  /** A changed connect timeout applies to new connections: old pools drain and close. */
  setConnectTimeout(ms: number): void {
    if (ms === this.connectMs) return;
    this.connectMs = ms;
    const old = [...this.dispatchers.values()];
    this.dispatchers.clear();
    for (const d of old) void d.close().catch(() => undefined);
  }

  /**
   * The dispatcher for `origin` (scheme://host:port). Requests on it carry a
   * `path` only; the origin is bound, whether the connection is direct or
   * through a proxy.
   */
  dispatcher(origin: string): Dispatcher {
    let d = this.dispatchers.get(origin);
    if (!d) {
      d = this.create(origin);
      this.dispatchers.set(origin, d);
    }
    return d;
  }

  /** The proxy `origin` goes through (credentials included), or undefined. */
  proxyFor(origin: string): string | undefined {
    return proxyFor(origin, this.proxy);
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }

  private create(origin: string): Dispatcher {
    const connections = this.maxConnectionsPerOrigin;
    const proxy = proxyFor(origin, this.proxy);
    if (!proxy) return new Pool(origin, { connect: preciseConnector(this.connectMs), connections, ...KEEP_ALIVE });
    const agent = new ProxyAgent({
      uri: proxy,
      // http:// origins: absolute-form requests to the proxy (what curl and Go do); https://: CONNECT.
      proxyTunnel: false,
      proxyTls: { timeout: this.connectMs },
      requestTls: { timeout: this.connectMs },
      connections,
      ...KEEP_ALIVE,
      // Every pool the agent makes — to the origin through a tunnel, or to the proxy itself
      // for absolute-form requests — gets the cap.
      factory: (o, opts) => new Pool(o, { ...(opts as PoolConstructorOptions), connections, ...KEEP_ALIVE }),
    });
    // Bind the origin, as a Pool does, so callers pass only a path.
    return agent.compose((dispatch) => (opts, handler) => dispatch({ ...opts, origin }, handler));
  }
}
