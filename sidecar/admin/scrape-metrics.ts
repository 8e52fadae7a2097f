/**
 * A counter and a histogram for the per-request hot path, aggregated at
 * scrape time. prom-client hashes the label object (sorting its keys) on every
 * `inc`/`observe`; these keep plain numbers in a Map keyed by the label values
 * joined in a fixed order, and turn them into samples only when Prometheus
 * scrapes. Same exposition format as prom-client's (they register in its
 * Registry as ordinary metrics), fixed label names, no exemplars.
 */
import type { Registry } from 'prom-client';

type Labels<L extends string> = Record<L, string>;

interface Sample {
  labels: Record<string, string | number>;
  /** prom-client's histograms put the series' labels here and `le` in `labels`. */
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
}

interface MetricObject {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/** The Map key of a label set: its values in label-name order (values never hold \u0001). */
function keyOf(names: readonly string[], labels: Record<string, string>): string {
  let k = labels[names[0]!] ?? '';
  for (let i = 1; i < names.length; i++) k += '\u0001' + (labels[names[i]!] ?? '');
  return k;
}

abstract class ScrapeMetric<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  abstract readonly type: 'counter' | 'histogram';

  constructor(cfg: { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }) {
    this.name = cfg.name;
    this.help = cfg.help;
    this.labelNames = cfg.labelNames;
    // prom-client's Registry accepts any object with name, help, type and get().
    for (const r of cfg.registers) r.registerMetric(this as never);
  }

  abstract get(): Promise<MetricObject>;
}

export class ScrapeCounter<L extends string> extends ScrapeMetric<L> {
  readonly type = 'counter';
  readonly #series = new Map<string, { labels: Labels<L>; value: number }>();

  inc(labels: Labels<L>, value = 1): void {
    const k = keyOf(this.labelNames, labels);
    const s = this.#series.get(k);
    if (s) s.value += value;
    else this.#series.set(k, { labels: { ...labels }, value });
  }

  reset(): void {
    this.#series.clear();
  }

  get(): Promise<MetricObject> {
    const values: Sample[] = [];
    for (const s of this.#series.values()) values.push({ labels: { ...s.labels }, value: s.value });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' });
  }
}

export class ScrapeHistogram<L extends string> extends ScrapeMetric<L> {
  readonly type = 'histogram';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, { labels: Labels<L>; buckets: Float64Array; sum: number; count: number }>();

  constructor(cfg: { name: string; help: string; labelNames: readonly L[]; buckets: readonly number[]; registers: Registry[] }) {
    super(cfg);
    this.#bounds = [...cfg.buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels<L>, value: number): void {
    const k = keyOf(this.labelNames, labels);
    let s = this.#series.get(k);
    if (!s) {
      s = { labels: { ...labels }, buckets: new Float64Array(this.#bounds.length), sum: 0, count: 0 };
      this.#series.set(k, s);
    }
    const b = this.#bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]!) {
        s.buckets[i]!++;
        break;
      }
    }
    s.sum += value;
    s.count++;
  }

  reset(): void {
    this.#series.clear();
  }

  get(): Promise<MetricObject> {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.#series.values()) {
      let acc = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        acc += s.buckets[i]!;
        values.push({ labels: { le: this.#bounds[i]! }, sharedLabels: s.labels, value: acc, metricName: bucket });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' });
  }
}
