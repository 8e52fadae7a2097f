/**
 * The built `bellwether-sidecar` binary as a user runs it: a child process
 * with flags and environment, real ports, signals and exit codes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { startForwardProxy } from '../fakes/forward-proxy.js';
import { APP_KEY, baseSpec, eventually } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist/sidecar/main.js');
const ENV_RELAY_KEY = 'relay-secret-key-from-env-0005';

let dir: string;
beforeAll(() => {
  // Always rebuild (≈2 s): a stale dist/ would test yesterday's binary.
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the build failed:\n${String((err as { stdout?: Buffer }).stdout ?? err)}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'bellwether-cli-'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without any BELLWETHER_* or proxy variable the developer may have set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BELLWETHER_') && !/^(https?|no)_proxy$/i.test(k)));
  return { ...env, ...extra };
}

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  // 'close', not 'exit': only then has all of stdout and stderr been read.
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { child, out: () => `${stdout}\n--- stderr ---\n${stderr}`, exited };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const p = start(args, env);
  const { code } = await p.exited;
  const [stdout, stderr] = p.out().split('\n--- stderr ---\n') as [string, string];
  return { code, stdout, stderr };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves with the error code of a TCP connect, or 'connected'. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 2000 });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('timeout', () => (s.destroy(), resolve('timeout')));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

const FLAGS = [
  '--route', '--relay-key-file', '--official-key-file', '--port', '--admin-port', '--admin-host', '--watch-interval',
  '--max-upstream-connections', '--redis-password-file', '--drain-delay', '--shutdown-timeout', '--log-level', '--check',
];

describe('arguments', () => {
  it('--help exits 0 and documents every flag and the key variable', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of FLAGS) expect(stdout).toMatch(new RegExp(`^\\s+${flag}\\b`, 'm'));
    expect(stdout).toContain('BELLWETHER_RELAY_API_KEY');
    for (const v of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) expect(stdout).toMatch(new RegExp(`^\\s+${v}\\b`, 'm'));
    expect(stdout).toContain('Default ::'); // the admin host
    expect(stdout).toContain('Default 5s'); // the drain delay
    expect(stdout).toContain('Default 25s'); // the shutdown timeout
    expect(stdout).toContain('Default 256'); // upstream connections
  });

  it('bad shutdown, connection and proxy settings exit 2 without echoing the proxy URL', async () => {
    for (const args of [
      ['--drain-delay', 'soon'],
      ['--shutdown-timeout', '-1s'],
      ['--drain-delay', '30s', '--shutdown-timeout', '25s'],
      ['--max-upstream-connections', '0'],
      ['--max-upstream-connections', '2.5'],
    ]) {
      const r = await run(['--route', 'x.yaml', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(args[0]!);
    }
    const socks = await run(['--route', 'x.yaml'], { HTTPS_PROXY: 'socks5://user:pw-secret@proxy:1080' });
    expect(socks.code).toBe(2);
    expect(socks.stderr).toContain('HTTPS_PROXY');
    expect(socks.stderr).not.toContain('pw-secret');
  });

  it('an unknown flag exits 2 and names it', async () => {
    const { code, stderr } = await run(['--route', 'x.yaml', '--canary-weight', '50']);
    expect(code).toBe(2);
    expect(stderr).toContain('--canary-weight');
    expect(stderr).toContain('--help');
  });

  it('a missing --route or a bad port exits 2', async () => {
    expect((await run([])).code).toBe(2);
    const bad = await run(['--route', 'x.yaml', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port');
  });

  it('--check accepts examples/route.yaml and rejects an invalid file with field paths', async () => {
    const good = await run(['--route', join(ROOT, 'examples/route.yaml'), '--check']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('shop/support-bot');

    const file = join(dir, 'invalid.yaml');
    const example = readFileSync(join(ROOT, 'examples/route.yaml'), 'utf8');
    writeFileSync(file, example.replace(/weight: 25\b/, 'weight: 150').replace(/maxErrorRate: 0\.01/, 'maxErrorRate: 2'));
    const bad = await run(['--route', file, '--check']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.canary.weight');
    expect(bad.stderr).toContain('spec.rollback.maxErrorRate');
    expect(bad.stdout).toBe('');
  });

  it('starting with an invalid route exits 1', async () => {
    const file = join(dir, 'garbage.yaml');
    writeFileSync(file, 'spec: [');
    const { code, stderr } = await run(['--route', file, '--port', '0', '--admin-port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid route');
  });
});

describe('a real run', () => {
  let official: FakeUpstream;
  let relay: FakeUpstream;
  let proc: Proc | undefined;
  let routeFile: string;
  beforeAll(async () => {
    official = await startFakeUpstream({ name: 'official' });
    relay = await startFakeUpstream({ name: 'relay' });
    routeFile = join(dir, 'route.yaml');
    const doc = { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', metadata: { name: 'support-bot', namespace: 'shop' } };
    writeFileSync(routeFile, stringify({ ...doc, spec: { ...baseSpec(official, relay), canary: { weight: 100 } } }));
  });
  afterAll(async () => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await Promise.all([official.close(), relay.close()]);
  });

  it('serves on loopback, uses the env key, never prints it, and exits 0 on SIGTERM', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    proc = start(
      ['--route', routeFile, '--port', String(port), '--admin-port', String(adminPort), '--admin-host', '127.0.0.1', '--log-level', 'debug', '--drain-delay', '0'],
      { BELLWETHER_RELAY_API_KEY: ENV_RELAY_KEY },
    );
    const admin = `http://127.0.0.1:${adminPort}`;
    await eventually(() => fetch(`${admin}/readyz`).then((r) => r.status === 200, () => false), 15_000);

    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: APP_KEY, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(relay.requests[0]!.headers['authorization']).toBe(`Bearer ${ENV_RELAY_KEY}`);
    expect(((await (await fetch(`${admin}/status`)).json()) as { keys: unknown }).keys).toEqual({ relay: 'loaded', official: 'app' });

    // Loopback only: bound to 127.0.0.1, the app port must refuse connections on any other
    // address — another loopback address (Linux routes all of 127/8 to lo, so this check
    // needs no network) and the machine's external address where it has one. The admin
    // port, with --admin-host 127.0.0.1, the same.
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const addr of ['127.0.0.2', ...external]) {
      expect(await tryConnect(addr, port), `app port on ${addr}`).toBe('ECONNREFUSED');
      expect(await tryConnect(addr, adminPort), `admin port on ${addr}`).toBe('ECONNREFUSED');
    }
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect('127.0.0.1', adminPort)).toBe('connected');

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const out = proc.out();
    expect(out).toContain('bellwether sidecar listening');
    // The phases, in order (--drain-delay 0: the drain phase is logged but has no wait).
    const phases = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; phase?: string })
      .filter((l) => l.phase || l.msg === 'shutting down')
      .map((l) => l.phase ?? l.msg);
    expect(phases, out).toEqual(['shutting down', 'drain', 'stop_accepting', 'drained', 'done']);
    expect(out).not.toContain(ENV_RELAY_KEY);
    expect(out).not.toContain(APP_KEY);
  });

  it('accepts port 0 for both ports, and the default admin host answers on IPv4 and IPv6 loopback', async () => {
    proc = start(['--route', routeFile, '--port', '0', '--admin-port', '0']);
    const line = await eventually(() => proc!.out().split('\n').find((l) => l.includes('bellwether sidecar listening')) ?? '', 15_000);
    const { app, admin } = JSON.parse(line) as { app: string; admin: string };
    expect(app).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    const adminPort = Number(admin.slice(admin.lastIndexOf(':') + 1));
    expect((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status).toBe(200);
    if (admin.startsWith('[::]:')) {
      if (Object.values(networkInterfaces()).flat().some((a) => a?.internal && a.address === '::1')) {
        expect((await fetch(`http://[::1]:${adminPort}/readyz`)).status).toBe(200);
      }
    } else {
      // IPv6 is disabled here: the fallback, with its log line.
      expect(admin).toBe(`0.0.0.0:${adminPort}`);
      expect(proc.out()).toContain('listening on 0.0.0.0 (IPv4 only) instead');
    }
    proc.child.kill('SIGINT'); // SIGINT: no drain delay
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });

  it('sends upstream traffic through HTTP_PROXY from the environment, and never logs its credentials', async () => {
    const fwd = await startForwardProxy();
    try {
      const withAuth = fwd.url.replace('http://', 'http://ops:proxy-pw-0007@');
      proc = start(['--route', routeFile, '--port', '0', '--admin-port', '0', '--admin-host', '127.0.0.1', '--drain-delay', '0'], {
        BELLWETHER_RELAY_API_KEY: ENV_RELAY_KEY,
        http_proxy: withAuth,
        no_proxy: 'example.com',
      });
      const line = await eventually(() => proc!.out().split('\n').find((l) => l.includes('bellwether sidecar listening')) ?? '', 15_000);
      const { app, proxy } = JSON.parse(line) as { app: string; proxy: { httpProxy: string; noProxy: string } };
      expect(proxy).toEqual({ httpProxy: fwd.url, noProxy: 'example.com' });
      const res = await fetch(`http://${app}/v1/models`);
      expect(res.status).toBe(200);
      expect(fwd.seen).toEqual([`GET ${new URL(relay.url).origin}/v1/models`]);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(proc.out()).not.toContain('proxy-pw-0007');
    } finally {
      await fwd.close();
    }
  });

  it('a second signal exits at once', async () => {
    // A long drain delay: only the second signal can end the process before it.
    proc = start(['--route', routeFile, '--port', '0', '--admin-port', '0', '--admin-host', '127.0.0.1', '--drain-delay', '10m', '--shutdown-timeout', '20m']);
    await eventually(() => proc!.out().includes('bellwether sidecar listening'), 15_000);
    proc.child.kill('SIGTERM');
    await eventually(() => proc!.out().includes('"phase":"drain"'), 15_000);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 143, signal: null });
    expect(proc.out()).toContain('second signal: exiting at once');
    expect(proc.out()).not.toContain('"phase":"stop_accepting"');
  });
});
