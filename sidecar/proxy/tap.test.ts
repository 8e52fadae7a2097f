import { describe, expect, it } from 'vitest';
import { tapAll, type ReplyTap } from './tap.js';

describe('tapAll', () => {
  it('gives every tap every call though one throws, then rethrows the first error', () => {
    const heard: string[] = [];
    const failing: ReplyTap = {
      body: () => {
        throw new Error('recorder failed');
      },
      end: (complete) => void heard.push(`a end ${complete}`),
    };
    const shadow: ReplyTap = {
      body: (status) => void heard.push(`b body ${status}`),
      end: (complete) => void heard.push(`b end ${complete}`),
    };
    const both = tapAll([failing, undefined, shadow]);
    expect(() => both?.body?.(200, Buffer.from('{}'))).toThrow('recorder failed');
    both?.end(false);
    expect(heard).toEqual(['b body 200', 'a end false', 'b end false']);
  });

  it('is the one tap itself, or undefined, when there is no other', () => {
    const one: ReplyTap = { end: () => undefined };
    expect(tapAll([undefined, one])).toBe(one);
    expect(tapAll([undefined])).toBeUndefined();
  });
});
