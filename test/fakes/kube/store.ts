/**
 * The fake's etcd: objects by resource, one global resourceVersion counter,
 * and a bounded history of events that watches replay from. No HTTP, no
 * schema: the REST layer (rest.ts) decides what to write; the store stamps
 * server-owned metadata, enforces resourceVersion preconditions and finalizers,
 * and tells listeners (watches, the garbage collector) about every change.
 */
import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, expired, notFound } from './status.js';
import { apiVersionOf, clone, resourceKey, type KubeObject, type ResourceInfo, type StoreEvent } from './types.js';

export type Listener = (ev: StoreEvent) => void;

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = (): string => Array.from({ length: 5 }, () => ALNUM[Math.floor(Math.random() * ALNUM.length)]).join('');
const objKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

/** Resources whose strategy maintains metadata.generation (CRs always; among built-ins, workloads and CRDs). */
const hasGeneration = (r: ResourceInfo): boolean => r.custom || ['deployments', 'customresourcedefinitions'].includes(r.resource);

function specOf(o: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

export class Store {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private rv = 1;
  /** A watch or Exact list from a resourceVersion below this has lost events: 410 Expired. */
  private expiredBefore = 0;

  constructor(private readonly historyLimit = 1000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResourceVersion(): number {
    return this.expiredBefore;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private bucket(r: ResourceInfo): Map<string, KubeObject> {
    const key = resourceKey(r);
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }

  private emit(r: ResourceInfo, type: StoreEvent['type'], object: KubeObject, old?: KubeObject): void {
    const ev: StoreEvent = { rv: this.rv, type, key: resourceKey(r), object: clone(object), ...(old ? { old: clone(old) } : {}) };
    this.history.push(ev);
    while (this.history.length > this.historyLimit) this.expiredBefore = this.history.shift()!.rv;
    for (const l of [...this.listeners]) l(ev);
  }

  get(r: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    return clone(this.bucket(r).get(objKey(ns, name)));
  }

  mustGet(r: ResourceInfo, ns: string | undefined, name: string): KubeObject {
    const o = this.get(r, ns, name);
    if (!o) throw notFound(r, name);
    return o;
  }

  /** Current objects (of one namespace when `ns` is set), sorted by namespace/name like etcd keys. */
  list(r: ResourceInfo, ns?: string): KubeObject[] {
    return [...this.bucket(r).entries()]
      .filter(([, o]) => ns === undefined || o.metadata.namespace === ns)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** The objects as they were at `rv` (resourceVersionMatch=Exact, continue tokens), rebuilt from history. */
  listAt(r: ResourceInfo, ns: string | undefined, rv: number): KubeObject[] {
    if (rv < this.expiredBefore) throw expired(`too old resource version: ${rv} (${this.expiredBefore})`);
    const key = resourceKey(r);
    const state = new Map([...this.bucket(r).entries()].map(([k, o]) => [k, clone(o)]));
    for (let i = this.history.length - 1; i >= 0 && this.history[i]!.rv > rv; i--) {
      const ev = this.history[i]!;
      if (ev.key !== key) continue;
      const k = objKey(ev.object.metadata.namespace, ev.object.metadata.name!);
      if (ev.type === 'ADDED') state.delete(k);
      else state.set(k, clone(ev.old ?? ev.object));
    }
    return [...state.entries()]
      .filter(([, o]) => ns === undefined || o.metadata.namespace === ns)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  /** Events of one resource after `rv`, oldest first; 410 Expired if some were dropped. */
  since(r: ResourceInfo, rv: number): StoreEvent[] {
    if (rv < this.expiredBefore) throw expired(`too old resource version: ${rv} (${this.expiredBefore})`);
    const key = resourceKey(r);
    return this.history.filter((e) => e.rv > rv && e.key === key).map(clone);
  }

  /** Drop all history: every watch or Exact list from a resourceVersion before now gets 410 Expired. */
  compact(): void {
    this.history.length = 0;
    this.rv++;
    this.expiredBefore = this.rv;
  }

  /** Store a new object: name from generateName, uid, creationTimestamp, generation 1, a new resourceVersion. */
  create(r: ResourceInfo, input: KubeObject): KubeObject {
    const obj = clone(input);
    const m = obj.metadata;
    if (!m.name && m.generateName) m.name = m.generateName + suffix();
    const b = this.bucket(r);
    const k = objKey(m.namespace, m.name!);
    if (b.has(k)) throw alreadyExists(r, m.name!);
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    m.uid = randomUUID();
    m.creationTimestamp = now();
    if (hasGeneration(r)) m.generation = 1;
    else delete m.generation;
    delete m.deletionTimestamp;
    m.resourceVersion = String(++this.rv);
    b.set(k, obj);
    this.emit(r, 'ADDED', obj);
    return clone(obj);
  }

  /**
   * Replace an object. A `metadata.resourceVersion` that is set and stale → 409 Conflict. Server-owned
   * metadata is kept; generation bumps when anything but metadata and status changed. Removing the last
   * finalizer of an object being deleted deletes it. Nothing changed → no write, same resourceVersion.
   */
  update(r: ResourceInfo, input: KubeObject): KubeObject {
    const obj = clone(input);
    const m = obj.metadata;
    const b = this.bucket(r);
    const k = objKey(m.namespace, m.name!);
    const old = b.get(k);
    if (!old) throw notFound(r, m.name!);
    if (m.resourceVersion && m.resourceVersion !== old.metadata.resourceVersion) throw conflict(r, m.name!);
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (hasGeneration(r)) m.generation = (old.metadata.generation ?? 1) + (specOf(obj) !== specOf(old) ? 1 : 0);
    else delete m.generation;
    m.resourceVersion = old.metadata.resourceVersion;
    if (m.finalizers?.length === 0) delete m.finalizers;
    if (JSON.stringify(obj) === JSON.stringify(old)) return clone(old);
    m.resourceVersion = String(++this.rv);
    if (m.deletionTimestamp && !m.finalizers?.length) {
      b.delete(k);
      this.emit(r, 'DELETED', obj, old);
      return clone(obj);
    }
    b.set(k, obj);
    this.emit(r, 'MODIFIED', obj, old);
    return clone(obj);
  }

  /** Delete now, or (finalizers present) mark deletionTimestamp and wait for them to be removed. */
  delete(r: ResourceInfo, ns: string | undefined, name: string, precondition?: { uid?: string; resourceVersion?: string }): KubeObject {
    const b = this.bucket(r);
    const k = objKey(ns, name);
    const old = b.get(k);
    if (!old) throw notFound(r, name);
    if (precondition?.uid && precondition.uid !== old.metadata.uid) throw conflict(r, name);
    if (precondition?.resourceVersion && precondition.resourceVersion !== old.metadata.resourceVersion) throw conflict(r, name);
    if (old.metadata.finalizers?.length) {
      if (old.metadata.deletionTimestamp) return clone(old);
      const marked = clone(old);
      marked.metadata.deletionTimestamp = now();
      marked.metadata.resourceVersion = String(++this.rv);
      b.set(k, marked);
      this.emit(r, 'MODIFIED', marked, old);
      return clone(marked);
    }
    const gone = clone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    b.delete(k);
    this.emit(r, 'DELETED', gone, old);
    return clone(gone);
  }

  /** Write an object as is (test helpers such as setPodReady): a MODIFIED event, no preconditions. */
  put(r: ResourceInfo, obj: KubeObject): KubeObject {
    const k = objKey(obj.metadata.namespace, obj.metadata.name!);
    const old = this.bucket(r).get(k);
    if (!old) throw notFound(r, obj.metadata.name!);
    const next = clone(obj);
    next.metadata.resourceVersion = String(++this.rv);
    this.bucket(r).set(k, next);
    this.emit(r, 'MODIFIED', next, old);
    return clone(next);
  }

  /** Every stored object of every resource (the garbage collector looks for dependents). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, b] of this.objects) for (const o of b.values()) yield [key, o];
  }
}
