/**
 * Wiring: config source → runtime → app server + admin server. `startSidecar`
 * is what `main.ts` runs and what the integration tests start in-process.
 */
import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import { systemClock, type Clock, type Random } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './admin/metrics.js';
import { createAdminServer, listenAdmin } from './admin/server.js';
import { ConfigSource, type KeySource } from './config/source.js';
import { Runtime } from './runtime.js';
import { createAppServer } from './proxy/server.js';
import { ConfigMapWatch, type ConfigMapWatchOptions } from './config/configmap-watch.js';
import { redactProxyURL, type ProxyConfig } from './proxy/egress-proxy.js';
import { runShutdown, type ShutdownOptions } from './shutdown.js';

export interface SidecarOptions {
  routeFile: string;
  relayKey?: KeySource;
  officialKey?: KeySource;
  /**
   * The Redis password for spec.cache.backend redis, watched like the key
   * files. A file that is missing (the injector mounts the Secret as an
   * optional volume) does not stop the sidecar: the cache reports
   * `auth_missing` and misses until the file appears.
   */
  redisPassword?: KeySource;
  port?: number;
  adminPort?: number;
  /** Default `::` (dual-stack; `0.0.0.0` where IPv6 is disabled). */
  adminHost?: string;
  pollMs?: number;
  /** Upstream connections per origin (default 1024); over it requests queue. */
  maxUpstreamConnections?: number;
  /** Bytes held in memory for all in-flight requests together (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Egress proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, read by cli.ts). */
  proxy?: ProxyConfig;
  /**
   * Follow the rendered ConfigMap through the API server (in a pod: the
   * injector sets it up). The mounted route file stays the boot and fallback copy.
   */
  kube?: Omit<ConfigMapWatchOptions, 'clock' | 'random' | 'log' | 'onText'>;
  /** The deadline `close()` gives in-flight requests (default 25 s). */
  shutdownTimeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  random?: Random;
  /** Collect Node process metrics (default true; tests turn it off). */
  processMetrics?: boolean;
}

export interface Sidecar {
  /** `http://127.0.0.1:PORT/v1`: what the app uses as OPENAI_BASE_URL. */
  baseURL: string;
  adminURL: string;
  runtime: () => Runtime;
  source: ConfigSource;
  /**
   * The shutdown sequence (shutdown.ts): drain, stop accepting, wait for
   * in-flight requests until the deadline, end the rest. Called again, it
   * returns the sequence already running.
   */
  shutdown(opts: ShutdownOptions): Promise<void>;
  /** `shutdown` without a drain delay, with the `shutdownTimeoutMs` deadline. */
  close(): Promise<void>;
}

export async function startSidecar(opts: SidecarOptions): Promise<Sidecar> {
  const log = opts.logger ?? createLogger('info');
  const metrics = new Metrics({ defaultMetrics: opts.processMetrics ?? true });
  let watch: ConfigMapWatch | undefined;
  const source = new ConfigSource({
    routeFile: opts.routeFile,
    relayKey: opts.relayKey ?? {},
    officialKey: opts.officialKey ?? {},
    ...(opts.redisPassword ? { redisPassword: opts.redisPassword } : {}),
    pollMs: opts.pollMs ?? 1000,
    log,
    reporter: metrics.reloadReporter(),
    apiLive: () => watch?.state === 'watching',
  });
  const initial = source.load();
  const redisPasswordFile = opts.redisPassword?.file !== undefined;
  const rt = new Runtime(initial.route, { clock: opts.clock ?? systemClock, random: opts.random ?? Math.random, metrics, log, redisPasswordFile });
  rt.keys = initial.keys;
  if (!rt.keys.relay) log.warn('no relay API key loaded: every request goes to the official API, and nothing counts against the relay, until one is');
  if (redisPasswordFile && !rt.keys.redis) {
    log.warn(
      { file: opts.redisPassword?.file },
      'no Redis password loaded (is the Secret of spec.cache.redis.passwordSecretRef there?): the Redis cache does not connect, and every lookup is a miss, until the file appears',
    );
  }

  let listening = false;
  let draining = false;
  const poolOptions = {
    ...(opts.maxUpstreamConnections !== undefined ? { maxConnectionsPerOrigin: opts.maxUpstreamConnections } : {}),
    ...(opts.proxy ? { proxy: opts.proxy } : {}),
    ...(opts.maxBufferedBytes !== undefined ? { maxBufferedBytes: opts.maxBufferedBytes } : {}),
  };
  const app = createAppServer(() => rt, poolOptions);
  const admin = createAdminServer({ runtime: () => rt, health: () => source.health, ready: () => listening && !draining, draining: () => draining });
  await listen(app.server, opts.port ?? 14000, '127.0.0.1');
  try {
    await listenAdmin(admin, opts.adminPort ?? 14001, opts.adminHost ?? '::', log);
  } catch (err) {
    app.server.close();
    await app.pools.close();
    throw err;
  }
  listening = true;
  source.start(
    (route) => {
      rt.apply(route);
      app.pools.setConnectTimeout(route.timeouts.connectMs);
    },
    (keys) => {
      rt.keys = keys;
    },
  );
  watch = opts.kube
    ? new ConfigMapWatch({ ...opts.kube, clock: opts.clock ?? systemClock, random: opts.random ?? Math.random, log, onText: (text) => source.offerApiRoute(text) })
    : undefined;

  const appPort = (app.server.address() as AddressInfo).port;
  const adminAddr = admin.address() as AddressInfo;
  const adminHost = adminAddr.address === '0.0.0.0' || adminAddr.address === '::' ? '127.0.0.1' : adminAddr.address;
  const proxies = opts.proxy ? { httpsProxy: opts.proxy.https && redactProxyURL(opts.proxy.https), httpProxy: opts.proxy.http && redactProxyURL(opts.proxy.http), noProxy: opts.proxy.noProxy } : undefined;
  log.info(
    {
      app: `127.0.0.1:${appPort}`,
      admin: `${adminAddr.family === 'IPv6' ? `[${adminAddr.address}]` : adminAddr.address}:${adminAddr.port}`,
      route: `${rt.route.namespace}/${rt.route.name}`,
      generation: rt.route.generation,
      weight: rt.route.canary.weight,
      maxUpstreamConnections: app.pools.maxConnectionsPerOrigin,
      ...(proxies ? { proxy: proxies } : {}),
    },
    'bellwether sidecar listening',
  );

  let inflight = 0;
  app.server.on('request', (_req, res: ServerResponse) => {
    inflight++;
    res.once('close', () => inflight--);
  });
  let shutting: Promise<void> | undefined;
  const shutdown = (o: ShutdownOptions): Promise<void> => {
    shutting ??= runShutdown(
      {
        startDraining: () => {
          draining = true;
          rt.shadow.abortAll(); // shadow copies are nobody's request: they end first
        },
        inflight: () => inflight,
        stopAccepting: () => app.close(),
        abortAll: (reason) => app.abortAll(reason),
        forceClose: () => app.server.closeAllConnections(),
        closeRest: async () => {
          listening = false;
          source.stop();
          await watch?.stop();
          rt.logThrottle.close();
          await rt.cache?.close();
          await new Promise<void>((r) => {
            admin.close(() => r());
            admin.closeAllConnections();
          });
        },
      },
      o,
      log,
    );
    return shutting;
  };
  return {
    baseURL: `http://127.0.0.1:${appPort}/v1`,
    adminURL: `http://${adminHost.includes(':') ? `[${adminHost}]` : adminHost}:${adminAddr.port}`,
    runtime: () => rt,
    source,
    shutdown,
    close: () => shutdown({ drainDelayMs: 0, timeoutMs: opts.shutdownTimeoutMs ?? 25_000 }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
