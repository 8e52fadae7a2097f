import { describe, expect, it } from 'vitest';
import { seededRandom as mulberry32 } from '../clock.js';
import { fnv1a32, pickSide, STICKY_BUCKETS, stickyBucket, stickyKey } from './split.js';


/** |observed − n·p| ≤ 4σ of Binomial(n, p). */
function expectBinomial(observed: number, n: number, p: number): void {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(4 * sigma);
}

const SALT = 'shop/support-bot';
const never = () => {
  throw new Error('random() must not be called for a sticky pick');
};

describe('fnv1a32', () => {
  it('matches the reference test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes', () => {
    // "é" is C3 A9 in UTF-8; hashing the UTF-16 code unit would give another value.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193);
    expect(fnv1a32('é')).toBe(h >>> 0);
  });
});

describe('pickSide without a sticky key', () => {
  it('sends `weight` percent to the relay, within 4 sigma', () => {
    const n = 100_000;
    for (const weight of [1, 25, 50, 90]) {
      const random = mulberry32(weight);
      let relay = 0;
      for (let i = 0; i < n; i++) if (pickSide(weight, undefined, SALT, random) === 'relay') relay++;
      expectBinomial(relay, n, weight / 100);
    }
  });

  it('is exact at the ends and at the threshold', () => {
    expect(pickSide(0, undefined, SALT, () => 0)).toBe('official');
    expect(pickSide(100, undefined, SALT, () => 0.9999999999)).toBe('relay');
    expect(pickSide(25, undefined, SALT, () => 0.2499)).toBe('relay');
    expect(pickSide(25, undefined, SALT, () => 0.25)).toBe('official');
  });
});

describe('pickSide with a sticky key', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

  it('spreads keys over buckets: the relay share is within 4 sigma', () => {
    for (const weight of [5, 25, 50, 75]) {
      const relay = keys.filter((k) => pickSide(weight, k, SALT, never) === 'relay').length;
      expectBinomial(relay, keys.length, weight / 100);
    }
  });

  it('is sticky: the same key always gets the same side', () => {
    for (const k of keys.slice(0, 500)) {
      const first = pickSide(30, k, SALT, never);
      for (let i = 0; i < 3; i++) expect(pickSide(30, k, SALT, never)).toBe(first);
    }
  });

  it('is monotone: raising the weight only moves keys official → relay', () => {
    const weights = [0, 0.5, 1, 5, 10, 25, 33.3, 50, 75, 99, 100];
    for (const k of keys.slice(0, 2_000)) {
      const sides = weights.map((w) => pickSide(w, k, SALT, never));
      const firstRelay = sides.indexOf('relay');
      expect(firstRelay).toBeGreaterThanOrEqual(0); // weight 100 takes everyone
      expect(sides.slice(firstRelay).every((side) => side === 'relay')).toBe(true);
    }
  });

  it('maps bucket b to the relay exactly when b < weight * 100', () => {
    const k = keys.find((key) => stickyBucket(key, SALT) > 0)!;
    const b = stickyBucket(k, SALT);
    expect(b).toBeLessThan(STICKY_BUCKETS);
    expect(pickSide(b / 100, k, SALT, never)).toBe('official');
    expect(pickSide((b + 1) / 100, k, SALT, never)).toBe('relay');
  });

  it('sends everyone official at 0 and relay at 100', () => {
    expect(keys.some((k) => pickSide(0, k, SALT, never) === 'relay')).toBe(false);
    expect(keys.every((k) => pickSide(100, k, SALT, never) === 'relay')).toBe(true);
  });

  it('salts: two routes do not choose the same users', () => {
    const a = keys.filter((k) => pickSide(20, k, 'ns/a', never) === 'relay');
    const both = a.filter((k) => pickSide(20, k, 'ns/b', never) === 'relay').length;
    expectBinomial(both, a.length, 0.2); // independent, not the same 20%
  });
});

describe('stickyKey', () => {
  const headers = { 'x-user-id': 'u-42', 'x-multi': ['first', 'second'], 'x-empty': '' };

  it('is undefined when not configured', () => {
    expect(stickyKey(undefined, headers, { user: 'x' })).toBeUndefined();
  });

  it('reads a header, first value when repeated, empty as missing', () => {
    expect(stickyKey({ source: 'header', name: 'x-user-id' }, headers, undefined)).toBe('u-42');
    expect(stickyKey({ source: 'header', name: 'x-multi' }, headers, undefined)).toBe('first');
    expect(stickyKey({ source: 'header', name: 'x-empty' }, headers, undefined)).toBeUndefined();
    expect(stickyKey({ source: 'header', name: 'x-absent' }, headers, undefined)).toBeUndefined();
  });

  it('reads a scalar at a body path', () => {
    const body = { user: 'alice', metadata: { tenant: 7, flag: true, obj: { a: 1 }, blank: '' } };
    expect(stickyKey({ source: 'body', path: ['user'] }, {}, body)).toBe('alice');
    expect(stickyKey({ source: 'body', path: ['metadata', 'tenant'] }, {}, body)).toBe('7');
    expect(stickyKey({ source: 'body', path: ['metadata', 'flag'] }, {}, body)).toBe('true');
    expect(stickyKey({ source: 'body', path: ['metadata', 'obj'] }, {}, body)).toBeUndefined();
    expect(stickyKey({ source: 'body', path: ['metadata', 'blank'] }, {}, body)).toBeUndefined();
    expect(stickyKey({ source: 'body', path: ['user', 'length'] }, {}, body)).toBeUndefined();
    expect(stickyKey({ source: 'body', path: ['toString'] }, {}, body)).toBeUndefined();
    expect(stickyKey({ source: 'body', path: ['user'] }, {}, undefined)).toBeUndefined();
  });
});
