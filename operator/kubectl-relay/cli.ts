/**
 * `kubectl relay`: argument parsing (node:util parseArgs) and the commands.
 * `run` returns the exit code — 0 ok, 1 error, 2 usage — and writes only to
 * the streams it is given, so tests run it in-process.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CustomObjectsApi, VersionApi, type KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { messageOf } from '../webhook/api-status.js';
import { GROUP, KIND, PLURAL, VERSION } from '../names.js';
import type { RelayRoute } from '../route.js';
import type { SidecarConfig } from '../sidecar-spec.js';
import { readRoute, resume, rollback, rollbackMessage, setWeight } from './canary.js';
import { describeRoute } from './describe.js';
import { loadKubeConfig } from './kubeconfig.js';
import { injectManifests } from './offline-inject.js';
import { routeEvents } from './route-events.js';
import { HELP, UsageError } from './usage.js';

export const DEFAULT_SIDECAR_IMAGE = 'ghcr.io/bellwether/sidecar:0.1.0';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** For `inject -f -`. */
  stdin?: AsyncIterable<Buffer | string>;
  now?: () => number;
}

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  events: { type: 'string' },
  reason: { type: 'string' },
  filename: { type: 'string', short: 'f', multiple: true },
  route: { type: 'string', multiple: true },
  'server-version': { type: 'string' },
  image: { type: 'string' },
  'log-level': { type: 'string' },
  'cpu-request': { type: 'string' },
  'memory-request': { type: 'string' },
  'memory-limit': { type: 'string' },
  'operator-namespace': { type: 'string' },
} as const;

const GLOBAL = ['namespace', 'kubeconfig', 'context', 'help'];
const ALLOWED: Record<string, { options: string[]; positionals: string[] }> = {
  status: { options: ['events'], positionals: ['ROUTE'] },
  weight: { options: [], positionals: ['ROUTE', 'PERCENT'] },
  resume: { options: [], positionals: ['ROUTE'] },
  rollback: { options: ['reason'], positionals: ['ROUTE'] },
  inject: { options: ['filename', 'route', 'server-version', 'image', 'log-level', 'cpu-request', 'memory-request', 'memory-limit', 'operator-namespace'], positionals: [] },
};

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  let command: string | undefined;
  try {
    const { values, positionals } = parse(argv);
    command = positionals[0];
    const args = positionals.slice(1);
    if (command === undefined || command === 'help') {
      io.stdout.write(`${HELP['']}\n`);
      return command === undefined && !values.help ? 2 : 0;
    }
    const spec = ALLOWED[command];
    if (!spec) throw new UsageError(`unknown command "${command}"`);
    if (values.help) {
      io.stdout.write(`${HELP[command]}\n`);
      return 0;
    }
    const stray = Object.keys(values).filter((k) => !GLOBAL.includes(k) && !spec.options.includes(k));
    if (stray.length > 0) throw new UsageError(`${command} takes no --${stray[0]}`, command);
    if (args.length !== spec.positionals.length) {
      throw new UsageError(
        args.length < spec.positionals.length ? `${command} needs ${spec.positionals.join(' ')}` : `${command}: unexpected argument "${args[spec.positionals.length]}"`,
        command,
      );
    }
    return await dispatch(command, args, values, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const cmd = e.command ?? command;
      io.stderr.write(`error: ${e.message}\nRun 'kubectl relay ${cmd !== undefined && ALLOWED[cmd] ? `${cmd} ` : ''}--help'.\n`);
      return 2;
    }
    io.stderr.write(`error: ${messageOf(e)}\n`);
    return 1;
  }
}

async function dispatch(command: string, args: string[], v: Values, io: Io): Promise<number> {
  const now = io.now ?? Date.now;
  const kube = () => loadKubeConfig({ ...(v.kubeconfig ? { kubeconfig: v.kubeconfig } : {}), ...(v.context ? { context: v.context } : {}), ...(v.namespace ? { namespace: v.namespace } : {}) });
  const [name = '', second] = args;
  switch (command) {
    case 'status': {
      const limit = v.events === undefined ? 10 : Number(v.events);
      if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--events wants a whole number, not "${v.events}"`, command);
      const { kc, namespace } = kube();
      const route = await readRoute(kc, namespace, name);
      const events = limit > 0 ? await routeEvents(kc, namespace, name, limit) : [];
      io.stdout.write(describeRoute(route, events, now()));
      return 0;
    }
    case 'weight': {
      const weight = Number(second);
      if (!/^\d+$/.test(second ?? '') || weight > 100) throw new UsageError(`PERCENT must be a whole number from 0 to 100, not "${second}"`, command);
      const { kc, namespace } = kube();
      const { from, to } = await setWeight(kc, namespace, name, weight);
      io.stdout.write(`relayroute.${GROUP}/${name} weight ${from}% → ${to}%\n`);
      return 0;
    }
    case 'resume': {
      const { kc, namespace } = kube();
      const at = await resume(kc, namespace, name, now());
      io.stdout.write(`relayroute.${GROUP}/${name} resumed (spec.canary.restartedAt ${at})\n`);
      return 0;
    }
    case 'rollback': {
      const reason = v.reason?.trim();
      if (!reason) throw new UsageError('rollback needs --reason TEXT (it is recorded on the route)', command);
      const { kc, namespace } = kube();
      const record = await rollback(kc, namespace, name, reason, now());
      io.stdout.write(`relayroute.${GROUP}/${name} ${rollbackMessage(record)}\n`);
      return 0;
    }
    case 'inject':
      return inject(v, io, kube);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function readInput(file: string, io: Io): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  if (!io.stdin) throw new UsageError('-f - needs standard input', 'inject');
  const chunks: string[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? c : c.toString('utf8'));
  return chunks.join('');
}

async function routesFromFiles(files: string[], io: Io, defaultNamespace: string): Promise<RelayRoute[]> {
  const routes: RelayRoute[] = [];
  for (const f of files) {
    const docs = parseAllDocuments(await readInput(f, io));
    for (const d of Array.isArray(docs) ? docs : []) {
      const r = d.toJS() as RelayRoute | null;
      if (r?.kind !== KIND) continue;
      routes.push({ ...r, metadata: { ...r.metadata, namespace: r.metadata?.namespace || defaultNamespace } });
    }
  }
  if (routes.length === 0) throw new Error(`no ${KIND} in ${files.join(', ')}`);
  return routes;
}

async function inject(v: Values, io: Io, kube: () => { kc: KubeConfig; namespace: string }): Promise<number> {
  const files = v.filename ?? [];
  if (files.length === 0) throw new UsageError('inject needs -f FILE', 'inject');
  const offline = (v.route ?? []).length > 0;
  let kc: KubeConfig | undefined;
  let namespace = v.namespace ?? 'default';
  if (!offline) ({ kc, namespace } = kube());
  else if (!v.namespace) {
    try {
      namespace = kube().namespace;
    } catch {
      /* no kubeconfig at all: fully offline */
    }
  }
  let serverVersion: string | { major: string; minor: string } | undefined = v['server-version'];
  if (serverVersion !== undefined && !/^v?\d+\.\d+/.test(serverVersion)) throw new UsageError(`--server-version wants MAJOR.MINOR, e.g. 1.28, not "${serverVersion}"`, 'inject');
  if (serverVersion === undefined && kc) {
    const code = await kc.makeApiClient(VersionApi).getCode();
    serverVersion = { major: code.major, minor: code.minor };
  }
  if (serverVersion === undefined) {
    serverVersion = 'v1.29';
    io.stderr.write('note: assuming Kubernetes 1.29+ (native sidecar); pass --server-version 1.28 for older clusters\n');
  }
  const sidecar: SidecarConfig = {
    image: v.image ?? DEFAULT_SIDECAR_IMAGE,
    resources: { requests: { cpu: v['cpu-request'] ?? '50m', memory: v['memory-request'] ?? '64Mi' }, limits: { memory: v['memory-limit'] ?? '128Mi' } },
    logLevel: v['log-level'] ?? 'info',
  };
  let routesIn: (ns: string) => Promise<readonly RelayRoute[]>;
  if (offline) {
    const all = await routesFromFiles(v.route ?? [], io, namespace);
    routesIn = async (ns) => all.filter((r) => r.metadata.namespace === ns);
  } else {
    const api = kc!.makeApiClient(CustomObjectsApi);
    const cache = new Map<string, Promise<RelayRoute[]>>();
    routesIn = (ns) => {
      let p = cache.get(ns);
      if (!p) {
        p = api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL }).then((l: { items?: RelayRoute[] }) => l.items ?? []);
        cache.set(ns, p);
      }
      return p;
    };
  }
  const texts = await Promise.all(files.map((f) => readInput(f, io)));
  const result = await injectManifests(texts.join('\n---\n'), {
    routesIn,
    defaultNamespace: namespace,
    operatorNamespace: v['operator-namespace'] ?? 'bellwether-system',
    serverVersion,
    sidecar,
  });
  io.stdout.write(result.yaml);
  for (const n of result.notes) io.stderr.write(`note: ${n}\n`);
  return 0;
}
