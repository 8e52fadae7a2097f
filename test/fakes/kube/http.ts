/**
 * The HTTP shell: authenticate, map a path to a resource and a verb, authorize,
 * read the JSON body, run the verb (rest.ts) or the watch (watch.ts), and write
 * JSON or a Status. Discovery documents are answered here too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth, Identity } from './auth.js';
import type { Registry } from './resources.js';
import type { Rest, Call, Reply } from './rest.js';
import { nameFromFieldSelector, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, badRequest, methodNotAllowed, unsupportedMediaType } from './status.js';
import type { Watches } from './watch.js';

export interface RequestRecord {
  method: string;
  verb: string;
  path: string;
  user: string;
  code: number;
  resource?: string;
  namespace?: string;
  name?: string;
}

export interface HttpDeps {
  auth: Auth;
  registry: Registry;
  rest: Rest;
  watches: Watches;
  version: { major: string; minor: string };
  url: () => string;
  log: RequestRecord[];
}

const PUBLIC = new Set(['/version', '/healthz', '/readyz', '/livez']);
const MAX_LOG = 10_000;

function send(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  if (warnings.length) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  if (!type.includes('json')) throw unsupportedMediaType();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`json: ${(e as Error).message}`);
  }
}

function discovery(d: HttpDeps, segs: string[]): unknown {
  const v = d.version;
  if (segs[0] === 'version' && segs.length === 1) {
    return { major: v.major, minor: v.minor, gitVersion: `v${v.major}.${v.minor}.0`, gitCommit: 'fake', gitTreeState: 'clean', buildDate: '2024-01-01T00:00:00Z', goVersion: 'go1.22.0', compiler: 'gc', platform: 'linux/amd64' };
  }
  if (['healthz', 'readyz', 'livez'].includes(segs[0] ?? '') && segs.length === 1) return 'ok';
  if (segs[0] === 'api' && segs.length === 1) return d.registry.apiVersions(new URL(d.url()).host);
  if (segs[0] === 'api' && segs.length === 2) return d.registry.resourceList('', segs[1]!);
  if (segs[0] === 'apis' && segs.length === 1) return d.registry.apiGroupList();
  if (segs[0] === 'apis' && segs.length === 2) return d.registry.apiGroup(segs[1]!);
  if (segs[0] === 'apis' && segs.length === 3) return d.registry.resourceList(segs[1]!, segs[2]!);
  return undefined;
}

const notFoundPath = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

interface Target {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  sub?: string;
  watchPath: boolean;
}

function target(segs: string[]): Target | undefined {
  let rest: string[];
  let group = '';
  let version: string;
  if (segs[0] === 'api' && segs.length > 2) [version, rest] = [segs[1]!, segs.slice(2)];
  else if (segs[0] === 'apis' && segs.length > 3) [group, version, rest] = [segs[1]!, segs[2]!, segs.slice(3)];
  else return undefined;
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest = rest.slice(1);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]!))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 3) return undefined;
  return { group, version, resource: rest[0]!, ...(namespace ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}), ...(rest[2] ? { sub: rest[2] } : {}), watchPath };
}

export function createHandler(d: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const record: RequestRecord = { method: req.method ?? 'GET', verb: '', path: req.url ?? '/', user: '', code: 0 };
    d.log.push(record);
    if (d.log.length > MAX_LOG) d.log.shift();
    handle(d, req, res, record).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      record.code = err.code;
      send(res, err.code, err.status);
    });
  };
}

async function handle(d: HttpDeps, req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const segs = url.pathname.split('/').filter(Boolean);
  const method = req.method ?? 'GET';
  let user: Identity | undefined;
  if (!PUBLIC.has(url.pathname)) {
    user = d.auth.authenticate(req.headers.authorization);
    record.user = user.username;
  }
  const t = target(segs);
  if (!t) {
    const doc = method === 'GET' ? discovery(d, segs) : undefined;
    if (doc === undefined) throw notFoundPath();
    record.verb = 'get';
    record.code = 200;
    if (typeof doc === 'string') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(doc);
      return;
    }
    send(res, 200, doc);
    return;
  }
  const r = d.registry.find(t.group, t.version, t.resource);
  if (!r || (t.sub && t.sub !== 'status') || (t.sub === 'status' && !r.status)) throw notFoundPath();
  if ((r.namespaced && !t.namespace && (t.name || method === 'POST')) || (!r.namespaced && t.namespace)) throw notFoundPath();
  const q = url.searchParams;
  const watch = t.watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
  const verb =
    method === 'GET' ? (watch ? 'watch' : t.name ? 'get' : 'list')
    : method === 'POST' && !t.name ? 'create'
    : method === 'PUT' && t.name ? 'update'
    : method === 'PATCH' && t.name ? 'patch'
    : method === 'DELETE' ? (t.name ? 'delete' : 'deletecollection')
    : undefined;
  if (!verb) throw methodNotAllowed(method);
  Object.assign(record, { verb, resource: r.resource, namespace: t.namespace, name: t.name });
  const authName = t.name ?? (verb === 'list' || verb === 'watch' ? nameFromFieldSelector(q.get('fieldSelector')) : undefined);
  d.auth.authorize(user!, {
    verb,
    group: r.group,
    resource: t.sub ? `${r.resource}/${t.sub}` : r.resource,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    ...(authName ? { name: authName } : {}),
  });
  if (verb === 'watch') {
    const fs = [q.get('fieldSelector'), t.watchPath && t.name ? `metadata.name=${t.name}` : null].filter(Boolean).join(',');
    const rvParam = q.get('resourceVersion');
    const timeout = q.get('timeoutSeconds');
    d.watches.serve(res, {
      resource: r,
      ...(t.namespace ? { namespace: t.namespace } : {}),
      labels: parseLabelSelector(q.get('labelSelector') ?? ''),
      fields: parseFieldSelector(fs, r),
      ...(rvParam !== null ? { resourceVersion: rvParam } : {}),
      allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
      sendInitialEvents: q.get('sendInitialEvents') === 'true',
      ...(timeout ? { timeoutSeconds: Number(timeout) } : {}),
    });
    record.code = 200;
    return;
  }
  const body = method === 'GET' ? undefined : await readBody(req);
  const contentType = req.headers['content-type'] ?? 'application/json';
  if (method === 'PATCH' && contentType.startsWith('application/apply-patch')) throw unsupportedMediaType();
  const call: Call = { r, ...(t.namespace ? { namespace: t.namespace } : {}), ...(t.name ? { name: t.name } : {}), status: t.sub === 'status', query: q, user: user!, contentType, body };
  const reply: Reply =
    verb === 'get' ? d.rest.get(call)
    : verb === 'list' ? d.rest.list(call)
    : verb === 'create' ? await d.rest.create(call)
    : verb === 'update' ? await d.rest.update(call)
    : verb === 'patch' ? await d.rest.patch(call)
    : verb === 'delete' ? d.rest.delete(call)
    : d.rest.deleteCollection(call);
  record.code = reply.code;
  send(res, reply.code, reply.body, reply.warnings);
}
