/**
 * An integration stack on real loopback sockets: a fake official API, a fake
 * relay, and the sidecar started in-process from a route file in a temp dir,
 * with its log lines captured so tests can assert what never appears in them.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { startSidecar, type Sidecar, type SidecarOptions } from '../../sidecar/sidecar.js';
import { createLogger } from '../../sidecar/log.js';

export const RELAY_KEY = 'relay-secret-key-for-tests-0001';
export const OFFICIAL_KEY = 'official-secret-key-for-tests-0002';
export const APP_KEY = 'app-own-key-for-tests-0003';

export type Spec = Record<string, unknown>;

export function baseSpec(official: FakeUpstream, relay: FakeUpstream): Spec {
  return {
    selector: { matchLabels: { app: 'support-bot' } },
    official: { baseURL: official.url },
    relay: { baseURL: relay.url, apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
    models: [
      { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash'], official: 'gpt-4.1' },
      { match: ['*'], chain: ['kimi-k2'] },
    ],
    catalog: [
      { name: 'deepseek-chat', contextWindow: 64000, price: { input: 0.21, output: 0.42, cachedInput: 0.021 } },
      { name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } },
      { name: 'gemini-2.5-flash', contextWindow: 1000000, price: { input: 0.3, output: 2.5 } },
      { name: 'gpt-4.1', price: { input: 8, output: 32 } },
    ],
    canary: { weight: 100 },
  };
}

export interface Stack {
  official: FakeUpstream;
  relay: FakeUpstream;
  sidecar: Sidecar;
  dir: string;
  routeFile: string;
  relayKeyFile: string;
  logs: string[];
  client(opts?: { apiKey?: string; maxRetries?: number; timeout?: number; headers?: Record<string, string> }): OpenAI;
  /** Rewrites the route file with `spec` (merged over the base spec). */
  writeRoute(spec: Spec, metadata?: Record<string, unknown>): void;
  status(): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export async function startStack(
  spec: Spec | ((official: FakeUpstream, relay: FakeUpstream) => Spec) = {},
  extra: Partial<SidecarOptions> = {},
): Promise<Stack> {
  const official = await startFakeUpstream({ name: 'official' });
  const relay = await startFakeUpstream({ name: 'relay' });
  const dir = mkdtempSync(join(tmpdir(), 'bellwether-test-'));
  const routeFile = join(dir, 'route.yaml');
  const relayKeyFile = join(dir, 'relay-key');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const writeRoute = (s: Spec, metadata: Record<string, unknown> = {}): void => {
    const doc = {
      apiVersion: 'bellwether.dev/v1alpha1',
      kind: 'RelayRoute',
      metadata: { name: 'support-bot', namespace: 'shop', ...metadata },
      spec: { ...baseSpec(official, relay), ...s },
    };
    // Atomically, as kubelet and editors do: the sidecar never reads a half-written file.
    writeFileSync(`${routeFile}.tmp`, stringify(doc));
    renameSync(`${routeFile}.tmp`, routeFile);
  };
  writeRoute(typeof spec === 'function' ? spec(official, relay) : spec);
  writeFileSync(relayKeyFile, `${RELAY_KEY}\n`);
  const sidecar = await startSidecar({
    routeFile,
    relayKey: { file: relayKeyFile },
    port: 0,
    adminPort: 0,
    adminHost: '127.0.0.1',
    pollMs: 100,
    logger: createLogger('debug', sink),
    processMetrics: false,
    ...extra,
  });
  return {
    official,
    relay,
    sidecar,
    dir,
    routeFile,
    relayKeyFile,
    logs,
    writeRoute,
    client: (o = {}) =>
      new OpenAI({
        baseURL: sidecar.baseURL,
        apiKey: o.apiKey ?? APP_KEY,
        maxRetries: o.maxRetries ?? 0,
        timeout: o.timeout ?? 15_000,
        ...(o.headers ? { defaultHeaders: o.headers } : {}),
      }),
    status: async () => (await fetch(`${sidecar.adminURL}/status`)).json(),
    metrics: async () => (await fetch(`${sidecar.adminURL}/metrics`)).text(),
    async close() {
      await sidecar.close();
      await Promise.all([official.close(), relay.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value, or fails after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The value of one Prometheus sample, e.g. metric(text, 'bellwether_requests_total', {side: 'relay'}). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
