import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { createLogger } from './log.js';
import { LogThrottle, OTHER_KEY } from './log-throttle.js';

function setup(opts: { maxKeys?: number } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  const clock = new ManualClock();
  const throttle = new LogThrottle(createLogger('debug', sink), clock, { intervalMs: 10_000, ...opts });
  return { lines, clock, throttle };
}

describe('LogThrottle', () => {
  it('logs the first line of a key per interval and counts the rest', () => {
    const { lines, clock, throttle } = setup();
    for (let i = 0; i < 500; i++) throttle.log('relay/kimi-k2/open', 'warn', { side: 'relay', i }, 'circuit opened');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'circuit opened', i: 0 });

    clock.advance(9_999);
    throttle.log('relay/kimi-k2/open', 'warn', { side: 'relay', i: 500 }, 'circuit opened');
    expect(lines).toHaveLength(1);

    clock.advance(1);
    throttle.log('relay/kimi-k2/open', 'warn', { side: 'relay', i: 501 }, 'circuit opened');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'circuit opened (500 more in the last 10s)', suppressed: 500, side: 'relay', i: 500 });
    expect(lines[2]).toMatchObject({ msg: 'circuit opened', i: 501 });
  });

  it('keeps keys apart and writes no summary for a key seen once', () => {
    const { lines, clock, throttle } = setup();
    throttle.log('a', 'warn', {}, 'A');
    throttle.log('b', 'error', {}, 'B');
    throttle.log('b', 'error', {}, 'B');
    throttle.log('a', 'warn', {}, 'A');
    throttle.log('a', 'warn', {}, 'A');
    expect(lines.map((l) => l['msg'])).toEqual(['A', 'B']);
    clock.advance(10_000);
    throttle.flush();
    expect(lines.slice(2).map((l) => [l['level'], l['msg'], l['suppressed']])).toEqual([
      ['warn', 'A (2 more in the last 10s)', 2],
      ['error', 'B (1 more in the last 10s)', 1],
    ]);
    expect(throttle.size).toBe(0);
    throttle.flush();
    expect(lines).toHaveLength(4);
  });

  it('flush before the interval has passed does nothing', () => {
    const { lines, clock, throttle } = setup();
    throttle.log('a', 'info', {}, 'A');
    throttle.log('a', 'info', {}, 'A');
    clock.advance(5_000);
    throttle.flush();
    expect(lines).toHaveLength(1);
  });

  it('aggregates keys beyond maxKeys under one other key', () => {
    const { lines, clock, throttle } = setup({ maxKeys: 3 });
    for (let i = 0; i < 10; i++) throttle.log(`k${i}`, 'warn', { i }, `line ${i}`);
    expect(throttle.size).toBe(4); // k0, k1, k2 and other
    // k0..k2 and the first line of the overflow are logged; 6 more are counted under other.
    expect(lines.map((l) => l['msg'])).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    clock.advance(10_000);
    throttle.flush();
    expect(lines.at(-1)).toMatchObject({ suppressed: 6, msg: 'log lines of kinds beyond the tracked limit (6 more in the last 10s)' });
    expect(OTHER_KEY).toBe('other');
  });

  it('close emits pending summaries at once', () => {
    const { lines, throttle } = setup();
    throttle.log('a', 'warn', {}, 'A');
    throttle.log('a', 'warn', {}, 'A');
    throttle.close();
    expect(lines.at(-1)).toMatchObject({ msg: 'A (1 more in the last 10s)', suppressed: 1 });
  });
});
