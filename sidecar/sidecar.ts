/**
 * Wiring: config source → runtime → app server + admin server. `startSidecar`
 * is what `main.ts` runs and what the integration tests start in-process.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { systemClock, type Clock, type Random } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './admin/metrics.js';
import { createAdminServer } from './admin/server.js';
import { ConfigSource, type KeySource } from './config/source.js';
import { Runtime } from './runtime.js';
import { createAppServer } from './proxy/server.js';

export interface SidecarOptions {
  routeFile: string;
  relayKey?: KeySource;
  officialKey?: KeySource;
  port?: number;
  adminPort?: number;
  adminHost?: string;
  pollMs?: number;
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
  close(): Promise<void>;
}

export async function startSidecar(opts: SidecarOptions): Promise<Sidecar> {
  const log = opts.logger ?? createLogger('info');
  const metrics = new Metrics({ defaultMetrics: opts.processMetrics ?? true });
  const source = new ConfigSource({
    routeFile: opts.routeFile,
    relayKey: opts.relayKey ?? {},
    officialKey: opts.officialKey ?? {},
    pollMs: opts.pollMs ?? 1000,
    log,
    reporter: metrics.reloadReporter(),
  });
  const initial = source.load();
  const rt = new Runtime(initial.route, { clock: opts.clock ?? systemClock, random: opts.random ?? Math.random, metrics, log });
  rt.keys = initial.keys;
  if (!rt.keys.relay) log.warn('no relay API key loaded: relay-picked requests go to the official API (if spec.canary.fallbackToOfficial) until one is');

  let listening = false;
  const app = createAppServer(() => rt);
  const admin = createAdminServer({ runtime: () => rt, health: () => source.health, ready: () => listening });
  await listen(app.server, opts.port ?? 14000, '127.0.0.1');
  await listen(admin, opts.adminPort ?? 14001, opts.adminHost ?? '0.0.0.0');
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

  const appPort = (app.server.address() as AddressInfo).port;
  const adminAddr = admin.address() as AddressInfo;
  const adminHost = adminAddr.address === '0.0.0.0' || adminAddr.address === '::' ? '127.0.0.1' : adminAddr.address;
  log.info(
    { app: `127.0.0.1:${appPort}`, admin: `${adminAddr.address}:${adminAddr.port}`, route: `${rt.route.namespace}/${rt.route.name}`, generation: rt.route.generation, weight: rt.route.canary.weight },
    'bellwether sidecar listening',
  );
  return {
    baseURL: `http://127.0.0.1:${appPort}/v1`,
    adminURL: `http://${adminHost}:${adminAddr.port}`,
    runtime: () => rt,
    source,
    async close() {
      listening = false;
      source.stop();
      await Promise.all([app.close(), new Promise<void>((r) => admin.close(() => r()))]);
    },
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
