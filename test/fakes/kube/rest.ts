/**
 * The verbs, as the real server's generic registry runs them: decode (prune
 * unknown fields; fieldValidation Strict → 400, Warn → a warning), default,
 * mutating admission, validate (422), then store. Status subresource
 * semantics live here: main writes keep the stored status, /status writes
 * change only status. No HTTP here: handlers take a parsed request and
 * return a status code and a body.
 */
import type { Admission } from './admission.js';
import type { Identity } from './auth.js';
import type { GarbageCollector } from './gc.js';
import { jsonPatch, mergePatch, parseJsonPatch } from './patch.js';
import type { CrdManifest, Registry } from './resources.js';
import { applyDefaults, prune, validate } from './schema.js';
import { matchFields, matchRequirements, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, conflict, expired, invalid, tooLargeResourceVersion, unsupportedMediaType, type StatusCause } from './status.js';
import type { Store } from './store.js';
import { apiVersionOf, clone, type KubeObject, type ResourceInfo } from './types.js';

export interface Call {
  r: ResourceInfo;
  namespace?: string;
  name?: string;
  status: boolean; // the /status subresource
  query: URLSearchParams;
  user: Identity;
  contentType: string;
  body: unknown;
}

export interface Reply {
  code: number;
  body: unknown;
  warnings?: string[];
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Resources whose strategy refuses an unconditional update: a PUT must carry metadata.resourceVersion. */
const NEEDS_RESOURCE_VERSION = new Set(['leases', 'customresourcedefinitions']);
/** Objects the real server answers a DELETE with (the rest get a Success Status). */
const RETURNS_DELETED = new Set(['pods', 'namespaces', 'services', 'customresourcedefinitions']);

export class Rest {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly admission: Admission,
    private readonly gc: GarbageCollector,
  ) {}

  get(c: Call): Reply {
    return { code: 200, body: this.store.mustGet(c.r, c.namespace, c.name!) };
  }

  list(c: Call): Reply {
    const { r, query: q } = c;
    const labels = parseLabelSelector(q.get('labelSelector') ?? '');
    const fields = parseFieldSelector(q.get('fieldSelector') ?? '', r);
    const rvText = q.get('resourceVersion') ?? '';
    const match = q.get('resourceVersionMatch') ?? '';
    const cont = q.get('continue');
    if (match && !rvText) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    let rv = this.store.resourceVersion;
    let after = '';
    let items: KubeObject[];
    if (cont) {
      const token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { rv: number; start: string };
      if (token.rv < this.store.oldestResourceVersion) {
        throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      rv = token.rv;
      after = token.start;
      items = this.store.listAt(r, c.namespace, rv);
    } else if (rvText && rvText !== '0' && match === 'Exact') {
      rv = Number(rvText);
      items = this.store.listAt(r, c.namespace, rv);
    } else {
      if (rvText && rvText !== '0' && Number(rvText) > this.store.resourceVersion) throw tooLargeResourceVersion(rvText, this.store.resourceVersion);
      items = this.store.list(r, c.namespace);
    }
    const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    items = items.filter((o) => keyOf(o) > after && matchRequirements(labels, o.metadata.labels) && matchFields(fields, o));
    const limit = Number(q.get('limit') ?? 0);
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (limit > 0 && items.length > limit) {
      metadata.continue = Buffer.from(JSON.stringify({ rv, start: keyOf(items[limit - 1]!) })).toString('base64');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    return { code: 200, body: { kind: r.listKind, apiVersion: apiVersionOf(r), metadata, items } };
  }

  /** Prune and default per the CRD schema; Strict refuses unknown fields, Warn/default warns. */
  private decode(c: Call, obj: KubeObject): string[] {
    const schema = c.r.schema;
    if (!schema) return [];
    const unknown = prune(obj, schema);
    applyDefaults(obj, schema);
    const mode = c.query.get('fieldValidation') ?? 'Warn';
    if (unknown.length === 0 || mode === 'Ignore') return [];
    if (mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
    return unknown.map((f) => `unknown field "${f}"`);
  }

  private check(c: Call, obj: KubeObject): void {
    const causes: StatusCause[] = [];
    const name = obj.metadata.name ?? '';
    if (name && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      });
    }
    if (c.r.schema) causes.push(...validate(obj, c.r.schema));
    if (causes.length) throw invalid(c.r, name || obj.metadata.generateName || '', causes);
  }

  private objectOf(c: Call): KubeObject {
    const body = c.body as KubeObject | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Object \'Kind\' is missing in \'null\'');
    const obj = clone(body);
    obj.metadata = obj.metadata ?? {};
    if (c.r.namespaced) {
      if (obj.metadata.namespace && c.namespace && obj.metadata.namespace !== c.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = c.namespace;
    } else delete obj.metadata.namespace;
    return obj;
  }

  async create(c: Call): Promise<Reply> {
    const obj = this.objectOf(c);
    if (!obj.metadata.name && !obj.metadata.generateName) {
      throw invalid(c.r, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    if (c.r.status) {
      delete obj.status;
      if (c.r.resource === 'pods') obj.status = { phase: 'Pending' };
      if (c.r.resource === 'namespaces') obj.status = { phase: 'Active' };
    }
    const warnings = this.decode(c, obj);
    const mutated = await this.admission.mutate(c.r, 'CREATE', obj, undefined, c.user);
    this.check(c, mutated);
    if (c.r.resource === 'customresourcedefinitions') this.acceptCrd(mutated);
    return { code: 201, body: this.store.create(c.r, mutated), warnings };
  }

  private acceptCrd(crd: KubeObject): void {
    const manifest = crd as unknown as CrdManifest;
    this.registry.addCrd(manifest);
    const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const cond = (type: string, reason: string) => ({ type, status: 'True', lastTransitionTime: t, reason, message: '' });
    crd.status = {
      acceptedNames: manifest.spec.names,
      storedVersions: manifest.spec.versions.filter((v) => (v as { storage?: boolean }).storage).map((v) => v.name),
      conditions: [cond('NamesAccepted', 'NoConflicts'), cond('Established', 'InitialNamesAccepted')],
    };
  }

  /** PUT and PATCH end here: `next` is the whole object the client wants stored. */
  private async write(c: Call, old: KubeObject, next: KubeObject): Promise<Reply> {
    next.metadata = next.metadata ?? {};
    if (next.metadata.name !== undefined && next.metadata.name !== c.name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${c.name})`);
    }
    next.metadata.name = c.name;
    if (c.r.namespaced) next.metadata.namespace = c.namespace;
    let obj: KubeObject;
    if (c.status) {
      obj = clone(old);
      obj.metadata.resourceVersion = next.metadata.resourceVersion;
      if (next.status === undefined) delete obj.status;
      else obj.status = next.status;
    } else {
      obj = next;
      if (c.r.status) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    }
    const warnings = this.decode(c, obj);
    const mutated = c.status ? obj : await this.admission.mutate(c.r, 'UPDATE', obj, old, c.user);
    this.check(c, mutated);
    return { code: 200, body: this.store.update(c.r, mutated), warnings };
  }

  async update(c: Call): Promise<Reply> {
    const next = this.objectOf(c);
    const old = this.store.mustGet(c.r, c.namespace, c.name!);
    if (!next.metadata.resourceVersion && (c.r.custom || NEEDS_RESOURCE_VERSION.has(c.r.resource))) {
      throw invalid(c.r, c.name!, [{ reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' }]);
    }
    return this.write(c, old, next);
  }

  async patch(c: Call): Promise<Reply> {
    const type = c.contentType.split(';')[0]!.trim();
    const old = this.store.mustGet(c.r, c.namespace, c.name!);
    let next: unknown;
    if (type === 'application/merge-patch+json' || (type === 'application/strategic-merge-patch+json' && !c.r.custom)) {
      if (!c.body || typeof c.body !== 'object' || Array.isArray(c.body)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      next = mergePatch(old, c.body);
    } else if (type === 'application/json-patch+json') {
      next = jsonPatch(old, parseJsonPatch(c.body));
    } else throw unsupportedMediaType();
    const obj = next as KubeObject;
    if (obj.metadata?.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(c.r, c.name!);
    return this.write(c, old, obj);
  }

  delete(c: Call): Reply {
    const opts = (c.body && typeof c.body === 'object' ? c.body : {}) as { propagationPolicy?: string; orphanDependents?: boolean; preconditions?: { uid?: string; resourceVersion?: string } };
    const policy = c.query.get('propagationPolicy') ?? opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : 'Background');
    const current = this.store.mustGet(c.r, c.namespace, c.name!);
    if (policy === 'Orphan') this.gc.orphanOnDelete(current.metadata.uid!);
    const deleted = this.store.delete(c.r, c.namespace, c.name!, opts.preconditions);
    if (RETURNS_DELETED.has(c.r.resource) || c.r.custom) return { code: 200, body: deleted };
    const details = { name: c.name, ...(c.r.group ? { group: c.r.group } : {}), kind: c.r.resource, uid: deleted.metadata.uid };
    return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
  }

  deleteCollection(c: Call): Reply {
    const listed = this.list(c).body as { items: KubeObject[] };
    for (const o of listed.items) this.store.delete(c.r, o.metadata.namespace, o.metadata.name!);
    return { code: 200, body: listed };
  }
}
