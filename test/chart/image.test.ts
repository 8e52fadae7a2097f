/**
 * The container image, without a Docker engine (there is none here):
 * - every path the Dockerfile copies exists (build-context paths in the
 *   repository, `--from=build /src/...` paths after `npm run build`), and
 *   .dockerignore does not drop any of them;
 * - its production install — the Dockerfile's own `npm ci --omit=dev` line,
 *   run in a temp dir with the package files, plus dist/ and crds/ as the
 *   runtime stage copies them — starts both programs: `--help` of each, and a
 *   real sidecar that serves /healthz from a route file, with the image's
 *   NODE_OPTIONS;
 * - the chart's default image and tag are the Dockerfile's.
 * It prints that install's size (MiB).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART, ROOT } from './helm.js';

const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
const lines = dockerfile.split('\n').filter((l) => !l.trimStart().startsWith('#'));
const env = Object.fromEntries([...dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map((m) => [m[1]!, m[2]!]));
/** [from-stage or undefined, source] for every COPY line. */
const copies = lines
  .filter((l) => /^COPY\s/.test(l))
  .flatMap((l) => {
    const parts = l.replace(/^COPY\s+/, '').split(/\s+/);
    const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
    const args = parts.filter((p) => !p.startsWith('--'));
    return args.slice(0, -1).map((src) => ({ from, src }));
  });

function dirSize(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, e) => sum + dirSize(join(path, e)), 0);
}

describe('Dockerfile', () => {
  it('is multi-stage on a pinned Node LTS, runs as a numeric non-root user, with the bench’s NODE_OPTIONS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)\.\d+\.\d+-[a-z]+-slim$/m);
    expect(lines.filter((l) => /^FROM\s/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(env.NODE_OPTIONS).toBe('--max-semi-space-size=2');
    // The bench measures memory "with the container image's env": the same value.
    const bench = readFileSync(`${ROOT}bench/lib/contestants.mjs`, 'utf8');
    expect(/^export const IMAGE_ENV = \{ NODE_OPTIONS: '([^']*)' \};$/m.exec(bench)?.[1]).toBe(env.NODE_OPTIONS);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/dist\/sidecar\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
  });

  it('copies only paths that exist (after npm run build) and that .dockerignore lets through', () => {
    if (!existsSync(`${ROOT}dist/operator/main.js`)) throw new Error('dist/ is missing: run `npm run build` (make test builds first)');
    const ignore = readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    expect(ignore[0]).toBe('*'); // everything out, then what is copied back in
    const missing: string[] = [];
    for (const { from, src } of copies) {
      if (from === 'prod-deps') continue; // node_modules made inside the image
      const path = from === 'build' ? src.replace(/^\/src\//, '') : src.replace(/\/$/, '');
      if (!existsSync(`${ROOT}${path}`)) missing.push(`${from ?? 'context'}: ${src}`);
      if (from === undefined && !allowed.some((a) => path === a || path.startsWith(`${a}/`))) missing.push(`.dockerignore drops ${src}`);
    }
    expect(missing).toEqual([]);
    expect(copies.map((c) => c.src)).toEqual(expect.arrayContaining(['/src/dist/sidecar', '/src/dist/operator', 'crds']));
  });

  it('the chart runs this image: repository and tag (= appVersion = package.json version) match', () => {
    const values = parse(readFileSync(`${CHART}/values.yaml`, 'utf8')) as { image: { repository: string; tag: string } };
    const chart = parse(readFileSync(`${CHART}/Chart.yaml`, 'utf8')) as { appVersion: string };
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(values.image).toMatchObject({ repository: 'ghcr.io/bellwether/bellwether', tag: '' });
    expect(chart.appVersion).toBe(pkg.version);
    const makefile = readFileSync(`${ROOT}Makefile`, 'utf8');
    expect(makefile).toMatch(/^IMAGE \?= ghcr\.io\/bellwether\/bellwether$/m);
  });
});

describe('the production install starts both programs', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(`${ROOT}dist/sidecar/main.js`)) throw new Error('dist/ is missing: run `npm run build` (make test builds first)');
    dir = mkdtempSync(join(tmpdir(), 'bw-image-'));
    for (const f of ['package.json', 'package-lock.json']) cpSync(`${ROOT}${f}`, join(dir, f));
    // The Dockerfile's own line.
    const install = /^RUN (npm ci --omit=dev[^&\n]*)/m.exec(dockerfile)![1]!.trim().split(/\s+/);
    execFileSync('npm', install.slice(1), { cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_loglevel: 'error' } });
    cpSync(`${ROOT}crds`, join(dir, 'crds'), { recursive: true });
    for (const d of ['sidecar', 'operator']) cpSync(`${ROOT}dist/${d}`, join(dir, 'dist', d), { recursive: true });
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(`production install: node_modules ${mib(dirSize(join(dir, 'node_modules')))} MiB, dist ${mib(dirSize(join(dir, 'dist')))} MiB, total ${mib(dirSize(dir))} MiB`);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: env.NODE_OPTIONS } });

  it('has no package the lockfile marks dev-only (typescript, vitest, openai ...)', () => {
    const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => p.dev === true && path.startsWith('node_modules/'));
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.map(([path]) => path).filter((path) => existsSync(join(dir, path)))).toEqual([]);
    expect(existsSync(join(dir, 'node_modules/@kubernetes/client-node'))).toBe(true);
  });

  it('operator: --help and --version', () => {
    expect(node(['dist/operator/main.js', '--help'])).toContain('--webhook-registration MODE');
    expect(node(['dist/operator/main.js', '--version'])).toMatch(/^bellwether-operator \d+\.\d+\.\d+/);
  });

  it('sidecar: --help, then a real start that serves /healthz from a route file', async () => {
    expect(node(['dist/sidecar/main.js', '--help'])).toContain('--admin-port');
    cpSync(`${ROOT}examples/route.yaml`, join(dir, 'route.yaml'));
    const child = spawn(process.execPath, ['dist/sidecar/main.js', '--route', 'route.yaml', '--port', '0', '--admin-port', '0', '--admin-host', '127.0.0.1', '--drain-delay', '0'], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: env.NODE_OPTIONS, BELLWETHER_RELAY_API_KEY: 'fake-relay-key-for-image-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const admin = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /"admin":"([^"]+)".*bellwether sidecar listening/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (b: Buffer) => (out += b.toString()));
        child.once('exit', (code) => reject(new Error(`sidecar exited ${code}: ${out}`)));
      });
      const res = await fetch(`http://${admin}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
