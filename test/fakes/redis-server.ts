/**
 * A real redis-server (Debian's, installed by `make redis`) for the cache
 * tests: started on a free loopback port in a temp dir with persistence off,
 * stopped (SIGKILL) and removed after. Never a mock. Must not import vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: the connection drops at once, as when a Redis pod dies. */
  kill(): Promise<void>;
  /** Start again on the same port (after kill). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that holds connections open and answers nothing. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function launch(port: number, dir: string, password: string | undefined): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const auth = password ? ['--requirepass', password] : [];
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...auth], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('error', (err) => reject(new Error(`cannot start redis-server (run \`make redis\` to install it): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready: ${out.slice(-500)}`)));
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
}

export async function startRedis(opts: { password?: string } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bellwether-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  for (let tries = 0; child === undefined; tries++) {
    port = await freePort();
    try {
      child = await launch(port, dir, opts.password);
    } catch (err) {
      if (tries >= 3 || (err as Error).message.startsWith('cannot start')) throw err; // a port race: try another
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stop(child),
    restart: async () => {
      child = await launch(port, dir, opts.password);
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP server that accepts connections and never sends a byte: a Redis address that answers nothing. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.resume();
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
