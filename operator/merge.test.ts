import { describe, expect, it } from 'vitest';
import { mergeFleet } from './merge.js';
import { routeFixture, statusDoc } from './testdata/fixtures.js';

const route = routeFixture({ generation: 3 });

describe('mergeFleet', () => {
  it('merges the histograms exactly: the worked example of docs/status-format.md gives p99 25 ms', () => {
    const a = statusDoc({ relay: { requests: 7, samples: [5, 5, 5, 5, 5, 10, 25] } });
    const b = statusDoc({ relay: { requests: 98, samples: [...new Array(90).fill(5), ...new Array(6).fill(10), 25, 50] } });
    const fleet = mergeFleet([{ pod: 'a', doc: a }, { pod: 'b', doc: b }], route);
    expect(fleet.relay.counts.slice(0, 4)).toEqual([95, 102, 104, 105]);
    expect(fleet.sides.relay).toEqual({ requests: 105, errorRate: 0, p99LatencyMs: 25 });
    expect(fleet.counted).toBe(2);
  });

  it('takes the error rate from merged counts, never an average of the pods’ rates', () => {
    const a = statusDoc({ relay: { requests: 10, failures: 1 } });
    const b = statusDoc({ relay: { requests: 990 } });
    const fleet = mergeFleet([{ pod: 'a', doc: a }, { pod: 'b', doc: b }], route);
    expect(fleet.sides.relay.errorRate).toBeCloseTo(0.001, 9);
  });

  it('counts a pod that did not answer as silent, never as reporting', () => {
    const fleet = mergeFleet([{ pod: 'a', doc: statusDoc({ relay: { requests: 5 } }) }, { pod: 'b', doc: undefined }], route);
    expect(fleet.reporting).toBe(1);
    expect(fleet.silent).toEqual(['b']);
    expect(fleet.relay.requests).toBe(5);
  });

  it('keeps pods of another generation out of the window but counts them as reporting', () => {
    const old = statusDoc({ generation: 2, relay: { requests: 500, failures: 400 }, breakers: [{ model: 'kimi-k2', state: 'open' }], cost: 1.5 });
    const cur = statusDoc({ generation: 3, relay: { requests: 10 }, cost: 0.25 });
    const fleet = mergeFleet([{ pod: 'old', doc: old }, { pod: 'cur', doc: cur }], route);
    expect(fleet.reporting).toBe(2);
    expect(fleet.counted).toBe(1);
    expect(fleet.relay.requests).toBe(10);
    expect(fleet.relay.failures).toBe(0);
    expect(fleet.excluded).toEqual([{ pod: 'old', why: 'serves generation 2, not 3' }]);
    expect(fleet.breakers).toEqual([{ model: 'kimi-k2', openPods: 1 }]);
    expect(fleet.costUSD).toBe(1.75);
  });

  it('counts per relay model the pods whose breaker is open or half-open, sorted by model', () => {
    const docs = [
      statusDoc({ breakers: [{ model: 'kimi-k2', state: 'open' }, { model: 'deepseek-chat', state: 'closed' }] }),
      statusDoc({ breakers: [{ model: 'kimi-k2', state: 'half_open' }, { model: 'deepseek-chat', state: 'open' }] }),
      statusDoc({ breakers: [{ model: 'kimi-k2', state: 'closed' }] }),
    ].map((doc, i) => ({ pod: `p${i}`, doc }));
    expect(mergeFleet(docs, route).breakers).toEqual([
      { model: 'deepseek-chat', openPods: 1 },
      { model: 'kimi-k2', openPods: 2 },
    ]);
  });

  it('sums cost and savings without float noise', () => {
    const docs = [statusDoc({ cost: 0.1, savings: 0.2 }), statusDoc({ cost: 0.2, savings: -0.05 })].map((doc, i) => ({ pod: `p${i}`, doc }));
    const fleet = mergeFleet(docs, route);
    expect(fleet.costUSD).toBe(0.3);
    expect(fleet.savingsUSD).toBe(0.15);
  });

  it('adds the pods\' response cache counters (spec.cache), and leaves them out when no pod has a cache', () => {
    const cache = { backend: 'memory', state: 'ready', ttlMs: 1, hits: 3, misses: 1, bypasses: 0, errors: 0, stores: 1, droppedWrites: 0, entries: 1, bytes: 10, savingsUSD: 0.1 };
    const docs = [{ ...statusDoc(), cache }, { ...statusDoc({ generation: 2 }), cache: { ...cache, hits: 1, misses: 3 } }, { ...statusDoc(), cache: null }];
    expect(mergeFleet(docs.map((doc, i) => ({ pod: `p${i}`, doc })), route).cache).toEqual({ hits: 4, misses: 4, bypasses: 0, errors: 0, hitRate: 0.5, savingsUSD: 0.2 });
    expect(mergeFleet([{ pod: 'a', doc: statusDoc() }], route).cache).toBeUndefined();
  });

  it.each([
    ['no pod reports: unknown', [undefined], undefined],
    ['every reporting pod idle on both sides: false', [statusDoc(), statusDoc()], false],
    ['one pod with official traffic: true', [statusDoc(), statusDoc({ official: { requests: 3 } })], true],
    ['an older generation’s traffic still proves traffic flows', [statusDoc({ generation: 1, relay: { requests: 1 } })], true],
  ])('trafficSeen — %s', (_name, docs, expected) => {
    expect(mergeFleet(docs.map((doc, i) => ({ pod: `p${i}`, doc })), route).trafficSeen).toBe(expected);
  });

  it('refuses documents it cannot read: they are not reporting', () => {
    const other = statusDoc({ route: { namespace: 'shop', name: 'other' }, relay: { requests: 50 } });
    const alien = { ...statusDoc({ relay: { requests: 50 } }), apiVersion: 'bellwether.dev/v2' };
    const fleet = mergeFleet([{ pod: 'o', doc: other }, { pod: 'x', doc: alien }], route);
    expect(fleet.reporting).toBe(0);
    expect(fleet.relay.requests).toBe(0);
    expect(fleet.excluded.map((e) => e.why)).toEqual(['serves RelayRoute shop/other', 'unknown document bellwether.dev/v2/SidecarStatus']);
  });

  it('leaves out a window whose latency buckets differ, naming the pod', () => {
    const a = statusDoc({ relay: { requests: 5 } });
    const b = statusDoc({ relay: { requests: 7 }, boundsMs: [10, 100, 1000] });
    const fleet = mergeFleet([{ pod: 'a', doc: a }, { pod: 'b', doc: b }], route);
    expect(fleet.relay.requests).toBe(5);
    expect(fleet.excluded).toEqual([{ pod: 'b', why: 'latency buckets differ from the other pods' }]);
    expect(fleet.reporting).toBe(2);
  });

  it('shows a p99 beyond the last bucket as p99BeyondMs, and no p99 without samples', () => {
    const fleet = mergeFleet([{ pod: 'a', doc: statusDoc({ relay: { requests: 2, samples: [70_000, 80_000] } }) }], route);
    expect(fleet.sides.relay).toEqual({ requests: 2, errorRate: 0, p99BeyondMs: 60_000 });
    expect(fleet.sides.official).toEqual({ requests: 0, errorRate: 0 });
  });
});
