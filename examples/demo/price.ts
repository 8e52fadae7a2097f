/**
 * Catalog prices read straight from examples/demo-route.yaml, so the demo can
 * check the sidecar's cost and savings arithmetic against its own.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { DemoFailure } from './check.js';
import { ROUTE_TEMPLATE, USAGE } from './scenario.js';

/** USD per 1M tokens. */
export interface Price {
  input: number;
  output: number;
  cachedInput?: number;
}

/** A catalog price from the demo route. */
export function catalogPrice(model: string): Price {
  const doc = parseDocument(readFileSync(ROUTE_TEMPLATE, 'utf8')).toJS() as { spec: { catalog: Array<{ name: string; price: Price }> } };
  const entry = doc.spec.catalog.find((c) => c.name === model);
  if (!entry) throw new DemoFailure(`examples/demo-route.yaml has no catalog price for ${model}`);
  return entry.price;
}

/** USD for one answer's USAGE at a catalog price (cached tokens at the input price when there is no cached price). */
export function usageCost(p: Price): number {
  const cached = USAGE.cached ?? 0;
  return ((USAGE.prompt - cached) * p.input + cached * (p.cachedInput ?? p.input) + USAGE.completion * p.output) / 1e6;
}
