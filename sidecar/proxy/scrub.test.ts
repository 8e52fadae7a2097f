import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KeyScrubber, REDACTED } from './scrub.js';

const KEY = 'sk-proj-abcdefghijklmnop1234';
const s = new KeyScrubber(KEY);

async function throughTransform(scrubber: KeyScrubber, chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks, { objectMode: false }).pipe(scrubber.transform())) out.push(c as Buffer);
  return Buffer.concat(out).toString();
}

describe('scrubBuffer', () => {
  it('returns the same Buffer when the key does not occur', () => {
    const buf = Buffer.from('{"error":{"message":"rate limited"}}');
    expect(s.scrubBuffer(buf)).toBe(buf);
  });

  it('replaces every occurrence of the full key in JSON and SSE', () => {
    const json = Buffer.from(JSON.stringify({ error: { message: `bad key ${KEY} (${KEY})` } }));
    expect(s.scrubBuffer(json).toString()).toBe(JSON.stringify({ error: { message: `bad key ${REDACTED} (${REDACTED})` } }));
    const sse = Buffer.from(`event: error\ndata: {"error":{"message":"Bearer ${KEY}"}}\n\n`);
    expect(s.scrubBuffer(sse).toString()).toBe(`event: error\ndata: {"error":{"message":"Bearer ${REDACTED}"}}\n\n`);
    expect(s.scrubBuffer(Buffer.from(KEY + KEY)).toString()).toBe(REDACTED + REDACTED);
  });

  it('leaves a near miss alone', () => {
    const buf = Buffer.from(KEY.slice(0, -1) + 'X');
    expect(s.scrubBuffer(buf)).toBe(buf);
  });
});

describe('scrubText', () => {
  it.each([
    ['the full key', `key ${KEY} leaked`, `key ${REDACTED} leaked`],
    ['a Bearer header value', `Bearer ${KEY}`, `Bearer ${REDACTED}`],
    [
      "OpenAI's 401 message",
      `Incorrect API key provided: sk-proj-${'*'.repeat(16)}1234. You can find your API key at https://platform.openai.com/account/api-keys.`,
      `Incorrect API key provided: ${REDACTED}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    ],
    ['prefix and suffix around stars', 'Incorrect API key provided: sk-proj-abcd*************1234.', `Incorrect API key provided: ${REDACTED}.`],
    ['dots', 'key sk-proj-ab...1234 refused', `key ${REDACTED} refused`],
    ['an ellipsis character', 'key sk-proj…1234 refused', `key ${REDACTED} refused`],
    ['bullets', 'key •••••1234', `key ${REDACTED}`],
    ['x as the mask', 'key sk-proj-xxxxxxxx1234', `key ${REDACTED}`],
    ['a 3-char prefix with a 4-char suffix', 'key sk-****1234!', `key ${REDACTED}!`],
    ['a prefix only', '"sk-proj-abcd****"', `"${REDACTED}"`],
    ['a suffix only', '(****mnop1234)', `(${REDACTED})`],
    ['in JSON', JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-********1234' } }), JSON.stringify({ error: { message: `Incorrect API key provided: ${REDACTED}` } })],
    ['twice', 'a sk-proj-****1234 b ****1234 c', `a ${REDACTED} b ${REDACTED} c`],
  ])('scrubs %s', (_name, input, want) => {
    expect(s.scrubText(input)).toBe(want);
  });

  it('handles x at the end of a key that x also masks', () => {
    const k = new KeyScrubber('fake-abcdefghijklmnopqrstuvwxyz');
    // The mask run "***x" swallows the x of the suffix "xyz"; "wxyz" is still the key's suffix.
    expect(k.scrubText('key fake-***wxyz')).toBe(`key ${REDACTED}`);
    expect(k.scrubText('key ****xyz')).toBe('key ****xyz');
    expect(k.scrubText('key fake-abxxxxxxxx!')).toBe(`key ${REDACTED}!`);
  });

  it.each([
    ['mask characters alone', 'password: ****, rating *****, wait...'],
    ['a 3-char overlap', 'keys look like sk-... or ***234'],
    ['four chars of the key that are not its prefix or suffix', 'abcd**** or ****efgh'],
    ['the suffix inside a longer word', '***1234567 and ...12345'],
    ['the prefix inside a longer word', 'xsk-proj-****'],
    ['the suffix without a mask run', 'order 1234 shipped'],
    ['two mask characters', 'sk-proj-**1234'],
    ['ordinary prose', 'The model xxx returned... an error: Incorrect API key provided. Check it.'],
    ['a URL', 'https://platform.openai.com/account/api-keys'],
  ])('leaves %s alone', (_name, input) => {
    expect(s.scrubText(input)).toBe(input);
  });

  it('scrubs only exact matches for keys shorter than 8 characters', () => {
    const short = new KeyScrubber('abc1234');
    expect(short.scrubText('x abc1234 y')).toBe(`x ${REDACTED} y`);
    expect(short.scrubText('key abc1***')).toBe('key abc1***');
    expect(short.scrubText('key ***1234')).toBe('key ***1234');
  });

  it('scrubs nothing for an empty key', () => {
    const none = new KeyScrubber('');
    const buf = Buffer.from('anything');
    expect(none.scrubText('anything ****')).toBe('anything ****');
    expect(none.scrubBuffer(buf)).toBe(buf);
  });
});

describe('scrubHeaders', () => {
  it('scrubs every value and returns a new object', () => {
    const h = {
      'x-echo-auth': `Bearer ${KEY}`,
      'set-cookie': ['a=1', `k=${KEY}`],
      'x-error': 'Incorrect API key provided: sk-proj-****1234',
      'content-type': 'application/json',
      'x-absent': undefined,
    };
    const out = s.scrubHeaders(h);
    expect(out).not.toBe(h);
    expect(out).toEqual({
      'x-echo-auth': `Bearer ${REDACTED}`,
      'set-cookie': ['a=1', `k=${REDACTED}`],
      'x-error': `Incorrect API key provided: ${REDACTED}`,
      'content-type': 'application/json',
      'x-absent': undefined,
    });
    expect(h['x-echo-auth']).toBe(`Bearer ${KEY}`);
  });
});

describe('transform', () => {
  const body = `data: {"error":{"message":"bad key ${KEY}"}}\n\ndata: ${KEY}${KEY}\n\n`;
  const want = body.split(KEY).join(REDACTED);

  it('replaces the key split across every chunk boundary', async () => {
    const bytes = Buffer.from(body);
    for (let i = 0; i <= bytes.length; i++) {
      expect(await throughTransform(s, [bytes.subarray(0, i), bytes.subarray(i)]), `cut at ${i}`).toBe(want);
    }
  });

  it('replaces the key arriving one byte at a time', async () => {
    expect(await throughTransform(s, [...Buffer.from(body)].map((b) => Buffer.from([b])))).toBe(want);
  });

  it('passes other bytes through unchanged, flushing the held-back tail at the end', async () => {
    const text = 'no key here, but it ends with sk-proj-abcdefghijklmnop123';
    expect(await throughTransform(s, [Buffer.from(text)])).toBe(text);
    expect(await throughTransform(s, [Buffer.from('sk-'), Buffer.from('proj')])).toBe('sk-proj');
  });

  it('holds back fewer bytes than the key', async () => {
    const t = s.transform();
    const seen: Buffer[] = [];
    t.on('data', (c: Buffer) => seen.push(c));
    t.write(Buffer.from('x'.repeat(100)));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(seen).length).toBe(100 - (KEY.length - 1));
    t.end();
    await new Promise((r) => t.on('end', r));
    expect(Buffer.concat(seen).toString()).toBe('x'.repeat(100));
  });
});
