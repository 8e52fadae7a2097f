/**
 * The real sidecar (dist/sidecar/main.js) as a child process: spawned on two
 * free loopback ports, ready once /readyz answers, its pino lines kept, and
 * stopped with SIGTERM (then SIGKILL). `killNow` is the synchronous last
 * resort for the process 'exit' hook, so no sidecar outlives the demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DemoFailure } from './check.js';
import { demoFetch } from './connections.js';
import { ms } from './report.js';

/** dist/sidecar/main.js, seen from dist/examples/demo/sidecar-process.js. */
const SIDECAR_MAIN = new URL('../../sidecar/main.js', import.meta.url);
const READY_TIMEOUT_MS = 10_000;

/** One pino line from the sidecar. */
export interface LogLine {
  time: string;
  level: string;
  msg: string;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class SidecarProcess {
  appURL = '';
  adminURL = '';
  /** The JSON log lines of the current child. */
  readonly logs: LogLine[] = [];
  /** Everything the current child printed, log lines or not (e.g. a start-up error). */
  readonly output: string[] = [];
  #child: ChildProcess | undefined;
  #exited: Promise<Exit> | undefined;

  constructor(
    private readonly routeFile: string,
    private readonly keyFile: string,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How the child ended: its exit code, else the signal; undefined while it runs (or before it starts). */
  get exit(): number | NodeJS.Signals | undefined {
    const c = this.#child;
    return c?.exitCode ?? c?.signalCode ?? undefined;
  }

  /** Starts the sidecar on two free ports and waits for /readyz; retries if a port was taken meanwhile. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const [port, adminPort] = (await freePorts(2)) as [number, number];
      this.appURL = `http://127.0.0.1:${port}/v1`;
      this.adminURL = `http://127.0.0.1:${adminPort}`;
      const exited = this.#spawn([
        '--route', this.routeFile, '--relay-key-file', this.keyFile,
        '--port', String(port), '--admin-port', String(adminPort), '--admin-host', '127.0.0.1',
        '--watch-interval', '200ms', '--log-level', 'warn',
        // No app shares this process's fate here: on SIGTERM, stop accepting at once (no drain delay).
        '--drain-delay', '0s',
      ]);
      const outcome = await Promise.race([waitReady(this.adminURL, READY_TIMEOUT_MS), exited]);
      if (outcome === 'ready') return;
      const text = this.output.join('\n');
      if (outcome === 'timeout') throw new DemoFailure(`the sidecar did not become ready within ${ms(READY_TIMEOUT_MS)}:\n${text}`);
      if (outcome.code === 2 && text.includes('port already in use') && attempt < 3) continue;
      throw new DemoFailure(`the sidecar exited before it was ready (exit code ${outcome.code}):\n${text}`);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; says what happened. */
  async stop(graceMs = 5000): Promise<string> {
    const child = this.#child;
    if (!child || !this.#exited) return 'not started';
    if (this.exit !== undefined) return `had already exited (${this.exit})`;
    const t0 = performance.now();
    child.kill('SIGTERM');
    const done = await Promise.race([this.#exited, sleep(graceMs).then(() => undefined)]);
    if (done) return `SIGTERM → exit ${done.code ?? done.signal} in ${ms(performance.now() - t0)}`;
    child.kill('SIGKILL');
    await this.#exited;
    return `did not exit ${ms(graceMs)} after SIGTERM: killed`;
  }

  /** Synchronous SIGKILL, for when there is no time to wait (the process is exiting). */
  killNow(): void {
    if (this.#child && this.exit === undefined) this.#child.kill('SIGKILL');
  }

  #spawn(args: string[]): Promise<Exit> {
    const child = spawn(process.execPath, [fileURLToPath(SIDECAR_MAIN), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.logs.length = 0;
    this.output.length = 0;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        try {
          const j = JSON.parse(line) as { time?: string; level?: string; msg?: string };
          this.logs.push({ time: j.time ?? '', level: j.level ?? '?', msg: j.msg ?? line });
        } catch {
          // not a log line (e.g. a start-up error message): kept in `output`
        }
      });
    }
    this.#exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return this.#exited;
  }
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitReady(adminURL: string, timeoutMs: number): Promise<'ready' | 'timeout'> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await demoFetch(`${adminURL}/readyz`, { signal: AbortSignal.timeout(500) });
      await res.arrayBuffer();
      if (res.ok) return 'ready';
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  return 'timeout';
}
