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

/** The environment without any BELLWETHER_* the developer may have set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BELLWETHER_')));
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
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
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

const FLAGS = ['--route', '--relay-key-file', '--official-key-file', '--port', '--admin-port', '--admin-host', '--watch-interval', '--log-level', '--check'];

describe('arguments', () => {
  it('--help exits 0 and documents every flag and the key variable', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of FLAGS) expect(stdout).toMatch(new RegExp(`^\\s+${flag}\\b`, 'm'));
    expect(stdout).toContain('BELLWETHER_RELAY_API_KEY');
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
      ['--route', routeFile, '--port', String(port), '--admin-port', String(adminPort), '--admin-host', '127.0.0.1', '--log-level', 'debug'],
      { BELLWETHER_RELAY_API_KEY: ENV_RELAY_KEY },
    );
    const admin = `http://127.0.0.1:${adminPort}`;
    await eventually(() => fetch(`${admin}/readyz`).then((r) => r.status === 200, () => false), 15_000);

    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: APP_KEY, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(relay.requests[0]!.headers['authorization']).toBe(`Bearer ${ENV_RELAY_KEY}`);
    expect(((await (await fetch(`${admin}/status`)).json()) as { keys: unknown }).keys).toEqual({ relay: 'loaded', official: 'app' });

    // Loopback only: the app port must not answer on the machine's other addresses.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (external) {
      expect(await tryConnect(external, port)).toBe('ECONNREFUSED');
      expect(await tryConnect(external, adminPort)).toBe('ECONNREFUSED'); // --admin-host 127.0.0.1
    } else {
      // This machine has no non-loopback IPv4 address: nothing else to connect through.
      console.warn('cli.test: no non-loopback IPv4 address; loopback-only binding not checked');
    }
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');

    proc.child.kill('SIGTERM');
    // The drain timer is 25 s; an idle sidecar must not wait for it.
    const exit = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    const out = proc.out();
    expect(out).toContain('bellwether sidecar listening');
    expect(out).toContain('shutting down');
    expect(out).not.toContain(ENV_RELAY_KEY);
    expect(out).not.toContain(APP_KEY);
  });

  it('accepts port 0 for both ports', async () => {
    proc = start(['--route', routeFile, '--port', '0', '--admin-port', '0', '--admin-host', '127.0.0.1']);
    const line = await eventually(() => proc!.out().split('\n').find((l) => l.includes('bellwether sidecar listening')) ?? '', 15_000);
    const { app, admin } = JSON.parse(line) as { app: string; admin: string };
    expect(app).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect((await fetch(`http://${admin}/readyz`)).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });
});
