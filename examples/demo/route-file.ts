/**
 * The route file the sidecar watches: examples/demo-route.yaml with the
 * fakes' URLs and the weight of the moment, rewritten atomically (like a
 * ConfigMap's symlink swap). Every write is a new config generation.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ROUTE_TEMPLATE } from './scenario.js';

export class RouteFile {
  constructor(
    readonly path: string,
    private readonly urls: { official: string; relay: string },
  ) {}

  /** `shadow`: a spec.shadow to set (the shadow phase); absent, the route has none. */
  write(weight: number, shadow?: Record<string, unknown>): void {
    const doc = parseDocument(readFileSync(ROUTE_TEMPLATE, 'utf8'));
    doc.setIn(['spec', 'official', 'baseURL'], this.urls.official);
    doc.setIn(['spec', 'relay', 'baseURL'], this.urls.relay);
    doc.setIn(['spec', 'canary', 'weight'], weight);
    if (shadow) doc.setIn(['spec', 'shadow'], shadow);
    writeFileSync(`${this.path}.tmp`, doc.toString());
    renameSync(`${this.path}.tmp`, this.path);
  }
}
