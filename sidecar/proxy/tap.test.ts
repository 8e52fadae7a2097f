import { describe, expect, it } from 'vitest';
import { tapAll, type ReplyTap } from './tap.js';

describe('tapAll', () => {
  it('keeps a tap that throws from the reply and the other taps: reported once, then only its end(false)', () => {
    const heard: string[] = [];
    const errors: string[] = [];
    const failing: ReplyTap = {
      event: () => {
        heard.push('a event');
        throw new Error('recorder failed');
      },
      end: (complete) => void heard.push(`a end ${complete}`),
    };
    const shadow: ReplyTap = {
      event: () => void heard.push('b event'),
      end: (complete) => void heard.push(`b end ${complete}`),
    };
    const both = tapAll([failing, undefined, shadow], (err) => void errors.push(String(err)));
    both?.event?.(Buffer.from('data: 1\n\n'));
    both?.event?.(Buffer.from('data: 2\n\n'));
    both?.end(true);
    expect(heard).toEqual(['a event', 'b event', 'b event', 'a end false', 'b end true']);
    expect(errors).toEqual(['Error: recorder failed']);
  });

  it('gives every tap its end though the error report itself throws', () => {
    const ends: string[] = [];
    const both = tapAll([
      { end: () => { throw new Error('a'); } },
      { end: (c) => void ends.push(`b ${c}`) },
    ], () => {
      throw new Error('the logger failed');
    });
    expect(() => both?.end(true)).not.toThrow();
    expect(ends).toEqual(['b true']);
  });

  it('guards a single tap too, and is undefined without one', () => {
    const errors: unknown[] = [];
    const ends: boolean[] = [];
    const one = tapAll([undefined, { body: () => { throw new Error('x'); }, end: (c) => void ends.push(c) }], (err) => void errors.push(err));
    expect(() => one?.body?.(200, Buffer.from('{}'))).not.toThrow();
    one?.end(true);
    expect(ends).toEqual([false]);
    expect(errors).toHaveLength(1);
    expect(tapAll([undefined], () => undefined)).toBeUndefined();
  });
});
