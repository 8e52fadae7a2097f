/**
 * The Redis store's bounds against a real redis-server: a stalled Redis
 * holds at most `maxInFlight` commands; the rest miss (or are dropped) at
 * once instead of queueing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../sidecar/cache/redis-store.js';
import { startRedis, type RedisServer } from '../fakes/redis-server.js';
import { eventually } from './harness.js';

let redis: RedisServer | undefined;
let store: RedisStore | undefined;
afterEach(async () => {
  redis?.resume();
  await store?.close();
  await redis?.close();
});

describe('RedisStore', () => {
  it('reads back what it wrote, binary-safe, under its key prefix', async () => {
    redis = await startRedis();
    store = new RedisStore({ url: redis.url, timeoutMs: 1000, keyPrefix: 'bw:test:', maxInFlight: 8 });
    await eventually(() => store!.stats().state === 'ready');
    const value = Buffer.from([0, 255, 10, 13, 0x7b]);
    store.set('k', value, 60_000);
    await eventually(() => store!.stats().writes === 1);
    expect(await store.get('k')).toEqual(value);
    expect(await store.get('other')).toBeUndefined();
  });

  it('holds at most maxInFlight commands on a stalled Redis; the rest fail at once, none queue', async () => {
    redis = await startRedis();
    store = new RedisStore({ url: redis.url, timeoutMs: 200, keyPrefix: 'bw:test:', maxInFlight: 2 });
    await eventually(() => store!.stats().state === 'ready');
    redis.pause();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => store!.get(`k${i}`)));
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'resolved'));
    expect(reasons.filter((m) => m === 'redis busy')).toHaveLength(3);
    expect(reasons.filter((m) => m !== 'redis busy')).toHaveLength(2); // the two sent: timed out
    expect(reasons).not.toContain('resolved');
  });

  it('drops writes while Redis is unreachable, and never throws', async () => {
    redis = await startRedis();
    store = new RedisStore({ url: redis.url, timeoutMs: 200, keyPrefix: 'bw:test:', maxInFlight: 2 });
    await eventually(() => store!.stats().state === 'ready');
    await redis.kill();
    await eventually(() => store!.stats().state === 'down');
    store.set('k', Buffer.from('x'), 1000);
    expect(store.stats()).toMatchObject({ droppedWrites: 1, writes: 0 });
    await expect(store.get('k')).rejects.toThrow('redis');
  });
});
