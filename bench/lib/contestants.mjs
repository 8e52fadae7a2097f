// The contestants. Each starts in its own process (direct has none) and says
// where the app's request goes and with which headers. The headline four are
// direct, bare, sidecar and portkey; beside them, bare-buffered (what buffering
// the reply costs the floor) and sidecar-semi2 (the sidecar with the container
// image's NODE_OPTIONS). `phases`, when set, lists the only phases a contestant
// runs in (openStreams, paced200, paced1000, max, streams).
import { writeFileSync, existsSync, mkdirSync, appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startNode, freePort, waitFor } from './procs.mjs';
import { benchRoute, FEATURES } from './route.mjs';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
export const BENCH_DIR = here;
export const REPO_DIR = dirname(here);
export const TMP_DIR = join(here, '.tmp');
/** The sidecar build under test; BENCH_SIDECAR_MAIN points at another build (an older commit's, for an A/B run). */
export const SIDECAR_MAIN = process.env.BENCH_SIDECAR_MAIN ?? join(REPO_DIR, 'dist', 'sidecar', 'main.js');
const PORTKEY_MAIN = join(here, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

const CHAT = '/v1/chat/completions';
const APP_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-app-key' };

async function ping(url, init = {}) {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res.status < 500;
}

/**
 * Node flags for every sidecar contestant, from BENCH_SIDECAR_NODE_FLAGS (space-separated): V8
 * flags NODE_OPTIONS does not take, e.g. `--no-flush-bytecode`.
 */
export const SIDECAR_NODE_FLAGS = (process.env.BENCH_SIDECAR_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** BENCH_SIDECAR_OUTPUT_DIR: every sidecar contestant's stdout and stderr go to DIR/<name>.log (e.g. a V8 trace flag's output). */
const OUTPUT_DIR = process.env.BENCH_SIDECAR_OUTPUT_DIR;

/** The sidecar on the bench route, with `env` added to its environment. */
function sidecarContestant(name, label, env = {}, phases = undefined, main = SIDECAR_MAIN, features = []) {
  return {
    label,
    phases,
    sidecar: true,
    available: () => main !== undefined && existsSync(main),
    async start({ upstream, nodeFlags = [], env: extraEnv = {} }) {
      mkdirSync(TMP_DIR, { recursive: true });
      nodeFlags = [...SIDECAR_NODE_FLAGS, ...nodeFlags];
      const routePath = join(TMP_DIR, `route-${name}.yaml`);
      const keyPath = join(TMP_DIR, 'relay-key');
      const routeFor = benchRoute(upstream, features);
      writeFileSync(routePath, routeFor.replace('__WEIGHT__', '50'));
      writeFileSync(keyPath, 'sk-bench-relay-key\n', { mode: 0o600 });
      const [port, adminPort] = [await freePort(), await freePort()];
      const entry = startNode(name, [
        ...nodeFlags,
        main,
        '--route', routePath,
        '--port', String(port),
        '--admin-port', String(adminPort),
        '--admin-host', '127.0.0.1',
        '--relay-key-file', keyPath,
        // The bench route allows 4,096 in flight; 1,000 open streams hold 1,000 upstream connections.
        '--max-upstream-connections', '4096',
        '--drain-delay', '0s', // stopped by SIGTERM between runs: no app to wait for
        '--log-level', 'warn',
      ], { cwd: TMP_DIR, env: { ...env, ...extraEnv }, ...(OUTPUT_DIR ? { log: (d) => appendFileSync(join(OUTPUT_DIR, `${name}.log`), d) } : {}) });
      const adminURL = `http://127.0.0.1:${adminPort}`;
      await waitFor(`${name} to be ready`, async () => {
        if (entry.exited) throw new Error(`${name} exited: ${entry.tail.join('')}`);
        const res = await fetch(`${adminURL}/readyz`);
        await res.arrayBuffer();
        return res.ok;
      });
      return {
        entry, pid: entry.child.pid, url: `http://127.0.0.1:${port}${CHAT}`, headers: APP_HEADERS,
        adminURL, routePath, routeFor,
      };
    },
  };
}

/** The Dockerfile's runtime ENV that changes how node runs (test/chart/image.test.ts checks the two agree). */
export const IMAGE_ENV = { NODE_OPTIONS: '--max-semi-space-size=2' };

/**
 * Extra environment for a sidecar contestant from BENCH_SIDECAR_ENV, BENCH_SIDECAR_A_ENV or
 * BENCH_SIDECAR_C_ENV: `KEY=value;KEY=value` (values may hold spaces:
 * `NODE_OPTIONS=--max-semi-space-size=2 --max-old-space-size=64;MALLOC_ARENA_MAX=1`). An A/B of
 * flags or environment on one build: sidecar-a and sidecar-c run the default build when only
 * their _ENV is set.
 */
export function envFrom(spec = '') {
  return Object.fromEntries(spec.split(';').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1)]));
}
const ENV = { sidecar: envFrom(process.env.BENCH_SIDECAR_ENV), a: envFrom(process.env.BENCH_SIDECAR_A_ENV), c: envFrom(process.env.BENCH_SIDECAR_C_ENV) };
const describeEnv = (env) => Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
const buildOf = (main, env) => main ?? (Object.keys(env).length ? SIDECAR_MAIN : undefined);

export const contestants = {
  direct: {
    label: 'direct',
    async start({ upstream }) {
      return { pid: null, url: `${upstream}${CHAT}`, headers: APP_HEADERS };
    },
  },

  bare: {
    label: 'bare undici forwarder',
    async start({ upstream, nodeFlags = [], env = {} }) {
      const entry = startNode('bare', [...nodeFlags, join(here, 'bare.mjs'), '0', upstream], { ipc: true, env });
      const { port } = await entry.message('ready');
      return { entry, pid: entry.child.pid, url: `http://127.0.0.1:${port}${CHAT}`, headers: APP_HEADERS };
    },
  },

  // The floor made fallback-safe: the reply read whole before it goes out, as the
  // sidecar must (docs/adr/0001). Only where it differs from bare: JSON requests.
  'bare-buffered': {
    label: 'bare forwarder, buffered',
    phases: ['paced1000', 'max'],
    async start({ upstream, nodeFlags = [] }) {
      const entry = startNode('bare-buffered', [...nodeFlags, join(here, 'bare-buffered.mjs'), '0', upstream], { ipc: true });
      const { port } = await entry.message('ready');
      return { entry, pid: entry.child.pid, url: `http://127.0.0.1:${port}${CHAT}`, headers: APP_HEADERS };
    },
  },

  sidecar: sidecarContestant('sidecar', `bellwether sidecar${Object.keys(ENV.sidecar).length ? `, ${describeEnv(ENV.sidecar)}` : ''}`, ENV.sidecar),

  // The same sidecar with the container image's environment (the Dockerfile's ENV:
  // NODE_OPTIONS=--max-semi-space-size=2, a 2 MiB young generation per semi-space).
  // Its own route file, so the weight flips (which rewrite the sidecar's file) do not reach it.
  'sidecar-semi2': sidecarContestant('sidecar-semi2', "bellwether sidecar, the container image's env (NODE_OPTIONS=--max-semi-space-size=2)", IMAGE_ENV, ['openStreams', 'paced1000', 'max', 'streams']),

  // A/B in one run: another build of the sidecar (BENCH_SIDECAR_A_MAIN, e.g. the
  // previous commit's dist), interleaved with `sidecar` in the same rotation.
  'sidecar-a': sidecarContestant('sidecar-a', `bellwether sidecar, A (${[process.env.BENCH_SIDECAR_A_MAIN, describeEnv(ENV.a)].filter(Boolean).join(', ')})`, ENV.a, undefined, buildOf(process.env.BENCH_SIDECAR_A_MAIN, ENV.a)),
  'sidecar-c': sidecarContestant('sidecar-c', `bellwether sidecar, C (${[process.env.BENCH_SIDECAR_C_MAIN, describeEnv(ENV.c)].filter(Boolean).join(', ')})`, ENV.c, undefined, buildOf(process.env.BENCH_SIDECAR_C_MAIN, ENV.c)),

  // What each feature costs, on at a time on top of the headline route: throughput and
  // CPU per request at max (the run's time budget). Shadow (weight 100, the worst case, and
  // weight 10, what the playbooks run) also runs at 1,000 req/s, where its copies go out beside
  // the app's requests (at max, most copies are skipped by maxConcurrent): shadow.mjs reads it.
  ...Object.fromEntries(Object.keys(FEATURES).map((f) => [`sidecar-${f}`, sidecarContestant(`sidecar-${f}`, `bellwether sidecar + ${FEATURES[f].split(':')[0]} (${f})`, {}, f.startsWith('shadow') ? ['paced1000', 'max'] : ['max'], SIDECAR_MAIN, [f])])),

  // The shadow crossover (run.mjs --crossover W): two plain sidecars, identical to the headline;
  // before each paced run one of them gets `shadow: {weight: W}` written into its route file and
  // the other has none, taking turns (run.mjs shadowedIn). Each instance is shadowed in half the
  // repetitions, so what one process instance runs faster than another cancels out. Z, beside
  // them, is reloaded as often and never shadowed: what a past of reloads costs on its own.
  'sidecar-x': sidecarContestant('sidecar-x', 'bellwether sidecar, crossover instance X', {}, ['paced1000']),
  'sidecar-y': sidecarContestant('sidecar-y', 'bellwether sidecar, crossover instance Y', {}, ['paced1000']),
  // The reload control: its route file rewritten before each paced run too (a spec change the
  // request path does not feel: limits.maxConcurrent 4096 ↔ 4095), never shadowed.
  'sidecar-z': sidecarContestant('sidecar-z', 'bellwether sidecar, crossover reload control Z', {}, ['paced1000']),

  // A feature on build A (BENCH_SIDECAR_A_MAIN), e.g. sidecar-a-shadow: what a change to the feature's
  // own code paid, measured in the same rotation as the same feature on this build.
  ...Object.fromEntries(Object.keys(FEATURES).map((f) => [`sidecar-a-${f}`, sidecarContestant(`sidecar-a-${f}`, `bellwether sidecar, build A, + ${FEATURES[f].split(':')[0]} (${f})`, {}, f.startsWith('shadow') ? ['paced1000', 'max'] : ['max'], process.env.BENCH_SIDECAR_A_MAIN, [f])])),

  portkey: {
    label: '@portkey-ai/gateway',
    async start({ upstream }) {
      const port = await freePort();
      const entry = startNode('portkey', [
        '--import', join(here, 'loopback-guard.mjs'),
        '--import', join(here, 'portkey-fix.mjs'),
        PORTKEY_MAIN, `--port=${port}`, '--headless',
      ], { env: { NODE_ENV: 'production' } });
      const url = `http://127.0.0.1:${port}${CHAT}`;
      const headers = {
        ...APP_HEADERS,
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${upstream}/v1`,
      };
      await waitFor('portkey to answer', async () => {
        if (entry.exited) throw new Error(`portkey exited: ${entry.tail.join('')}`);
        return ping(url, { method: 'POST', headers, body: '{"model":"gpt-4.1","messages":[]}' });
      });
      return { entry, pid: entry.child.pid, url, headers };
    },
  },
};

/** A typical small chat request (about 1 KiB), the same for every contestant. */
export function requestBody({ stream = false } = {}) {
  return JSON.stringify({
    model: 'gpt-4.1',
    messages: [
      {
        role: 'system',
        content:
          'You are the support assistant of an online shop. Answer in two short sentences, in the language of the customer. ' +
          'Never invent order numbers; if the order is unknown, ask for the order number and the e-mail address used at checkout. ' +
          'Be polite and specific, and do not mention internal tools or policies.',
      },
      {
        role: 'user',
        content:
          'Hi! I ordered a pair of running shoes last Tuesday (order #4471, paid with a card ending in 0219) and the tracking page has ' +
          'said "label created" ever since. Has it actually shipped? I need them before a race on Sunday, so if it has not left the ' +
          'warehouse yet I would rather cancel and buy them in a store. Thanks a lot for your help.',
      },
    ],
    temperature: 0.2,
    max_tokens: 256,
    user: 'customer-8812',
    ...(stream ? { stream: true } : {}),
  });
}
