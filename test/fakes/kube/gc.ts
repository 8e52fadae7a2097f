/**
 * The garbage collector: shortly after an object is deleted, background
 * deletion of every object whose ownerReferences all point at uids that no
 * longer exist (dependents of dependents follow, as their DELETED events
 * arrive). A delete with propagationPolicy=Orphan instead strips the
 * reference from the dependents. Foreground deletion is treated as background.
 */
import type { Registry } from './resources.js';
import type { Store } from './store.js';
import type { KubeObject, StoreEvent } from './types.js';

export class GarbageCollector {
  private readonly orphaned = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly delayMs = 20,
  ) {
    this.unsubscribe = store.subscribe((ev) => this.onEvent(ev));
  }

  /** The next deletion of `uid` orphans its dependents instead of deleting them. */
  orphanOnDelete(uid: string): void {
    this.orphaned.add(uid);
  }

  close(): void {
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.type !== 'DELETED' || !ev.object.metadata.uid) return;
    const uid = ev.object.metadata.uid;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.collect(uid);
    }, this.delayMs);
    this.timers.add(t);
  }

  private collect(deletedUid: string): void {
    const orphan = this.orphaned.delete(deletedUid);
    const live = new Set<string>();
    const dependents: [string, KubeObject][] = [];
    for (const [key, o] of this.store.entries()) {
      if (o.metadata.uid) live.add(o.metadata.uid);
      if (o.metadata.ownerReferences?.some((ref) => ref.uid === deletedUid)) dependents.push([key, o]);
    }
    for (const [key, o] of dependents) {
      const r = this.registry.byKey(key);
      if (!r) continue;
      const refs = o.metadata.ownerReferences ?? [];
      try {
        if (orphan || refs.some((ref) => live.has(ref.uid))) {
          const next = structuredClone(o);
          next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== deletedUid);
          if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
          this.store.put(r, next);
        } else {
          this.store.delete(r, o.metadata.namespace, o.metadata.name!);
        }
      } catch {
        // Deleted meanwhile: nothing left to collect.
      }
    }
  }
}
