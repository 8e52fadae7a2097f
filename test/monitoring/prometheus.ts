/**
 * A real Prometheus (Debian's package, `make prometheus`) for the monitoring
 * tests: a temp dir, a free loopback port (Prometheus cannot listen on port 0,
 * so one is picked by binding and closing), a 1 s scrape interval and static
 * targets carrying the labels the ServiceMonitor/PodMonitor would give them.
 * Queries go through the HTTP API. Must not import vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../fakes/kube/kubelet.js';
import { eventually } from '../fakes/kube/poll.js';
import type { Target } from './scenario.js';

export const PROMETHEUS = process.env['PROMETHEUS'] ?? 'prometheus';

export interface Series {
  metric: Record<string, string>;
  /** [unix seconds, value as Prometheus prints it ("NaN", "+Inf" …)]. */
  values: Array<[number, string]>;
}

export class Prometheus {
  readonly #dir = mkdtempSync(join(tmpdir(), 'bellwether-prometheus-'));
  #proc: ChildProcess | undefined;
  #out = '';
  url = '';

  async start(targets: Target[]): Promise<void> {
    const jobs = new Map<string, Target[]>();
    for (const t of targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
      scrape_configs: [...jobs].map(([job, ts]) => ({
        job_name: job,
        honor_labels: job === 'bellwether-operator',
        static_configs: ts.map((t) => ({ targets: [t.address], labels: t.labels })),
      })),
    };
    writeFileSync(join(this.#dir, 'prometheus.yml'), stringify(config));
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      this.url = `http://127.0.0.1:${port}`;
      this.#out = '';
      const proc = spawn(
        PROMETHEUS,
        [`--config.file=${join(this.#dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(this.#dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      this.#proc = proc;
      proc.stdout!.on('data', (b: Buffer) => (this.#out += b.toString()));
      proc.stderr!.on('data', (b: Buffer) => (this.#out += b.toString()));
      const spawned = new Promise<Error | undefined>((resolve) => {
        proc.once('error', resolve);
        proc.once('spawn', () => resolve(undefined));
      });
      const err = await spawned;
      if (err) throw new Error(`${PROMETHEUS} did not start (${err.message}): run \`make prometheus\``);
      try {
        await eventually(() => fetch(`${this.url}/-/ready`).then((r) => r.ok, () => proc.exitCode !== null && Promise.reject(new Error(this.#out))), { timeoutMs: 15_000, what: 'Prometheus ready' });
        return;
      } catch (e) {
        // Someone took the port between our close and Prometheus' bind: try another.
        if (attempt < 2 && /address already in use/.test(this.#out)) continue;
        throw new Error(`Prometheus did not become ready: ${e instanceof Error ? e.message : String(e)}\n${this.#out}`);
      }
    }
  }

  output(): string {
    return this.#out;
  }

  async #api<T>(path: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<Series[]> {
    const data = await this.#api<{ resultType: string; result: Series[] }>('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) });
    return data.result;
  }

  async query(query: string, time: number): Promise<Series[]> {
    const data = await this.#api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>('/api/v1/query', { query, time: String(time) });
    if (data.resultType !== 'vector') throw new Error(`${query}: a ${data.resultType}, not a vector`);
    return data.result.map((r) => ({ metric: r.metric, values: [r.value] }));
  }

  async labelValues(label: string, match: string): Promise<string[]> {
    const res = await fetch(`${this.url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`);
    const body = (await res.json()) as { status: string; data: string[]; error?: string };
    if (body.status !== 'success') throw new Error(`label_values(${match}, ${label}): ${body.error}`);
    return body.data;
  }

  /** The targets' health, by scrape URL. */
  async targetHealth(): Promise<Record<string, string>> {
    const res = await fetch(`${this.url}/api/v1/targets`);
    const body = (await res.json()) as { data: { activeTargets: Array<{ scrapeUrl: string; health: string }> } };
    return Object.fromEntries(body.data.activeTargets.map((t) => [t.scrapeUrl, t.health]));
  }

  async stop(): Promise<void> {
    const proc = this.#proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
