import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { ScrapeCounter, ScrapeHistogram } from './scrape-metrics.js';

/** The same observations into prom-client's own metrics and into ours must expose the same text. */
describe('scrape-time metrics', () => {
  const cfg = { help: 'h', labelNames: ['side', 'endpoint'] as const };
  it('a counter exposes what prom-client would', async () => {
    const [a, b] = [new Registry(), new Registry()];
    const theirs = new Counter({ name: 'x_total', ...cfg, registers: [a] });
    const ours = new ScrapeCounter({ name: 'x_total', ...cfg, registers: [b] });
    for (const m of [theirs, ours]) {
      m.inc({ side: 'relay', endpoint: 'chat' });
      m.inc({ endpoint: 'chat', side: 'relay' }, 2); // key order does not matter
      m.inc({ side: 'official', endpoint: 'chat' });
    }
    expect(await b.metrics()).toBe(await a.metrics());
    expect(await b.metrics()).toContain('x_total{side="relay",endpoint="chat"} 3');
  });

  it('a histogram exposes cumulative buckets, +Inf, sum and count like prom-client', async () => {
    const [a, b] = [new Registry(), new Registry()];
    const buckets = [0.005, 0.01, 0.1, 1];
    const theirs = new Histogram({ name: 'd_seconds', ...cfg, buckets, registers: [a] });
    const ours = new ScrapeHistogram({ name: 'd_seconds', ...cfg, buckets, registers: [b] });
    for (const m of [theirs, ours]) {
      for (const v of [0.001, 0.005, 0.05, 0.5, 2, 0.01]) m.observe({ side: 'relay', endpoint: 'chat' }, v);
      m.observe({ side: 'none', endpoint: 'other' }, 0.2);
    }
    expect(await b.metrics()).toBe(await a.metrics());
    expect(await b.metrics()).toContain('d_seconds_bucket{le="0.01",side="relay",endpoint="chat"} 3');
  });
});
