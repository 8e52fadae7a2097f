/**
 * Watch streams: newline-delimited JSON events over a chunked 200 response,
 * as the real server sends them. From an unset or "0" resourceVersion a watch
 * starts with synthetic ADDED events for the current objects; from a given
 * one it replays the history after it, or — when that history was dropped —
 * sends one ERROR event carrying a 410 Expired Status and closes (client-node's
 * informer then relists). Bookmarks, timeoutSeconds, and objects moving in or
 * out of a label selector (ADDED/DELETED) are modelled.
 */
import type { ServerResponse } from 'node:http';
import { matchFields, matchRequirements, type FieldRequirement, type Requirement } from './selectors.js';
import { ApiError, badRequest } from './status.js';
import type { Store } from './store.js';
import { apiVersionOf, resourceKey, type KubeObject, type ResourceInfo, type StoreEvent } from './types.js';

export interface WatchRequest {
  resource: ResourceInfo;
  namespace?: string;
  labels: Requirement[];
  fields: FieldRequirement[];
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export class Watches {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
    private readonly defaultTimeoutSeconds: number,
  ) {}

  get count(): number {
    return this.open.size;
  }

  /** End every open watch stream (clients reconnect from their last resourceVersion). */
  closeAll(): void {
    for (const end of [...this.open]) end();
  }

  serve(res: ServerResponse, w: WatchRequest): void {
    const matches = (o: KubeObject | undefined): boolean =>
      !!o && (w.namespace === undefined || o.metadata.namespace === w.namespace) && matchRequirements(w.labels, o.metadata.labels) && matchFields(w.fields, o);
    const rvText = w.resourceVersion ?? '';
    const fromNow = rvText === '' || rvText === '0' || w.sendInitialEvents === true;
    const rv = Number(rvText);
    if (!fromNow && !/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const send = (type: string, object: unknown): void => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
    };

    let replay: StoreEvent[] = [];
    if (fromNow) {
      for (const o of this.store.list(w.resource, w.namespace)) if (matches(o)) send('ADDED', o);
    } else {
      try {
        replay = this.store.since(w.resource, rv);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        send('ERROR', e.status);
        res.end();
        return;
      }
    }

    const key = resourceKey(w.resource);
    const deliver = (ev: StoreEvent): void => {
      if (ev.key !== key) return;
      const now = matches(ev.object);
      const before = ev.type === 'MODIFIED' && matches(ev.old);
      if (ev.type === 'ADDED' && now) send('ADDED', ev.object);
      else if (ev.type === 'DELETED' && now) send('DELETED', ev.object);
      else if (ev.type === 'MODIFIED' && now) send(before ? 'MODIFIED' : 'ADDED', ev.object);
      else if (ev.type === 'MODIFIED' && before) send('DELETED', ev.object);
    };
    const bookmark = (annotations?: Record<string, string>): void =>
      send('BOOKMARK', {
        kind: w.resource.kind,
        apiVersion: apiVersionOf(w.resource),
        metadata: { resourceVersion: String(this.store.resourceVersion), ...(annotations ? { annotations } : {}) },
      });

    replay.forEach(deliver);
    if (w.sendInitialEvents && w.allowWatchBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    const unsubscribe = this.store.subscribe(deliver);
    const ticker = w.allowWatchBookmarks ? setInterval(() => bookmark(), this.bookmarkIntervalMs) : undefined;
    const seconds = w.timeoutSeconds ?? this.defaultTimeoutSeconds;
    const timer = setTimeout(() => end(), seconds * 1000);
    const end = (): void => {
      unsubscribe();
      clearInterval(ticker);
      clearTimeout(timer);
      this.open.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    res.on('close', end);
  }
}
