import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sidecar/clock.js';
import { backoffDelay } from './backoff.js';
import { WorkQueue } from './queue.js';

/** A worker whose calls the test finishes by hand. */
function manualWorker() {
  const calls: Array<{ key: string; done: () => void; fail: (e: Error) => void }> = [];
  const worker = (key: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ key, done: resolve, fail: reject });
    });
  return { calls, worker };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('backoffDelay', () => {
  it('doubles from the base up to the cap', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 60, 2000].map((n) => backoffDelay(n, b))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(backoffDelay(0, b)).toBe(0);
  });
});

describe('WorkQueue', () => {
  it('works one key at a time and works it once more when it was added meanwhile (coalesced)', async () => {
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 4, backoff: { baseMs: 100, maxMs: 1000 }, clock: new ManualClock() });
    q.add('shop/a');
    expect(calls.map((c) => c.key)).toEqual(['shop/a']);
    q.add('shop/a');
    q.add('shop/a');
    q.add('shop/a');
    expect(calls).toHaveLength(1); // never two workers on one key
    calls[0]!.done();
    await flush();
    expect(calls.map((c) => c.key)).toEqual(['shop/a', 'shop/a']); // once more, not three times
    calls[1]!.done();
    await q.idle();
    expect(calls).toHaveLength(2);
  });

  it('does not add a waiting key twice', async () => {
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 1, backoff: { baseMs: 100, maxMs: 1000 }, clock: new ManualClock() });
    q.add('a');
    q.add('b');
    q.add('b');
    expect(q.depth).toBe(1);
    calls[0]!.done();
    await flush();
    calls[1]!.done();
    await q.idle();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
  });

  it('bounds the keys worked at once', async () => {
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 2, backoff: { baseMs: 100, maxMs: 1000 }, clock: new ManualClock() });
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
    expect(q.depth).toBe(2);
    calls[1]!.done();
    await flush();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b', 'c']);
    expect(q.active).toBe(2);
  });

  it('requeues a failed key with capped exponential backoff; a success resets it', async () => {
    const clock = new ManualClock();
    const { calls, worker } = manualWorker();
    const errors: number[] = [];
    const q = new WorkQueue({ worker, concurrency: 1, backoff: { baseMs: 100, maxMs: 300 }, clock, onError: (_k, _e, ms) => errors.push(ms) });
    q.add('a');
    for (let i = 0; i < 4; i++) {
      calls[i]!.fail(new Error('boom'));
      await flush();
      const wait = errors[i]!;
      clock.advance(wait - 1);
      await flush();
      expect(calls).toHaveLength(i + 1); // not yet
      clock.advance(1);
      await flush();
      expect(calls).toHaveLength(i + 2);
    }
    expect(errors).toEqual([100, 200, 300, 300]);
    expect(q.failures('a')).toBe(4);
    calls[4]!.done();
    await flush();
    expect(q.failures('a')).toBe(0);
    q.add('a');
    calls[5]!.fail(new Error('again'));
    await flush();
    expect(errors.at(-1)).toBe(100); // back to the base
  });

  it('a success cancels a pending retry', async () => {
    const clock = new ManualClock();
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 1, backoff: { baseMs: 100, maxMs: 300 }, clock });
    q.add('a');
    calls[0]!.fail(new Error('boom'));
    await flush();
    q.add('a'); // an event arrives before the retry is due
    await flush();
    calls[1]!.done();
    await flush();
    clock.advance(1000);
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('does not retry what is not retryable', async () => {
    const clock = new ManualClock();
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 1, backoff: { baseMs: 100, maxMs: 300 }, clock, retryable: () => false });
    q.add('a');
    calls[0]!.fail(new Error('not leader'));
    await flush();
    clock.advance(10_000);
    await flush();
    expect(calls).toHaveLength(1);
  });

  it('shutdown drops waiting keys and waits for the ones in flight', async () => {
    const { calls, worker } = manualWorker();
    const q = new WorkQueue({ worker, concurrency: 1, backoff: { baseMs: 100, maxMs: 300 }, clock: new ManualClock() });
    q.add('a');
    q.add('b');
    let done = false;
    const stopped = q.shutdown().then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    calls[0]!.done();
    await stopped;
    q.add('c');
    expect(calls.map((c) => c.key)).toEqual(['a']);
  });
});
