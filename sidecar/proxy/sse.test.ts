import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventTooLarge, MAX_EVENT_BYTES, SseSplitter, errorEvent, isCommentOnly, isEventStream, parseEvent } from './sse.js';

const b = (s: string): Buffer => Buffer.from(s);
const text = (events: Buffer[]): string[] => events.map((e) => e.toString());

/** Every event of a whole stream, pushed in the given pieces, plus what end() returns. */
function split(pieces: Buffer[], opts?: { maxEventBytes?: number }): string[] {
  const s = new SseSplitter(opts);
  const out: string[] = [];
  for (const p of pieces) out.push(...text(s.push(p)));
  const rest = s.end();
  if (rest) out.push(rest.toString());
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SseSplitter', () => {
  it('returns every complete event of a chunk as the raw bytes', () => {
    const s = new SseSplitter();
    expect(text(s.push(b('data: 1\n\ndata: 2\n\n')))).toEqual(['data: 1\n\n', 'data: 2\n\n']);
    expect(s.pendingBytes).toBe(0);
    expect(s.end()).toBeUndefined();
  });

  it('holds back only an unfinished event, across any split', () => {
    const s = new SseSplitter();
    expect(text(s.push(b('data: {"a"')))).toEqual([]);
    expect(s.pendingBytes).toBe(10);
    expect(text(s.push(b(':1}\n')))).toEqual([]);
    expect(text(s.push(b('\ndata: x')))).toEqual(['data: {"a":1}\n\n']);
    expect(s.pendingBytes).toBe(7);
    expect(s.end()?.toString()).toBe('data: x');
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('ends lines and events at %s', (_name, nl) => {
    const stream = `event: response.created${nl}data: {"a":1}${nl}${nl}: ping${nl}${nl}data: [DONE]${nl}${nl}`;
    const events = split([b(stream)]);
    expect(events).toEqual([`event: response.created${nl}data: {"a":1}${nl}${nl}`, `: ping${nl}${nl}`, `data: [DONE]${nl}${nl}`]);
    expect(events.join('')).toBe(stream);
    expect(parseEvent(b(events[0]!))).toEqual({ event: 'response.created', data: '{"a":1}' });
  });

  it('understands line endings mixed within one stream', () => {
    const stream = 'data: a\r\n\ndata: b\r\rdata: c\n\r\ndata: d\r\n\r\n';
    expect(split([b(stream)])).toEqual(['data: a\r\n\n', 'data: b\r\r', 'data: c\n\r\n', 'data: d\r\n\r\n']);
  });

  it('counts CRLF as one line ending, not as a blank line', () => {
    // LF then CRLF is two line endings (a blank line); CRLF is one.
    expect(split([b('data: a\r\ndata: b\r\n\r\n')])).toEqual(['data: a\r\ndata: b\r\n\r\n']);
    expect(parseEvent(b('data: a\r\ndata: b\r\n\r\n'))).toEqual({ data: 'a\nb' });
  });

  it('gives the same events, byte for byte, however the stream is cut', () => {
    const stream = b(
      'event: response.created\r\ndata: {"x":"\u00e9"}\r\n\r\n' +
        ': keep-alive\r\r' +
        'data: one\ndata: two\n\n' +
        '\r\n\r\n' + // stray blank lines between events
        'data: {"choices":[]}\r\n\r\n' +
        'data: cr\r\r' +
        'data: [DONE]\r\n\r\n',
    );
    const whole = split([stream]);
    expect(whole).toHaveLength(6);
    expect(whole.join('')).toBe(stream.toString());
    for (let i = 0; i <= stream.length; i++) {
      expect(split([stream.subarray(0, i), stream.subarray(i)]), `cut at ${i}`).toEqual(whole);
      for (let j = i; j <= Math.min(stream.length, i + 3); j++) {
        expect(split([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]), `cut at ${i}, ${j}`).toEqual(whole);
      }
    }
    expect(split([...stream].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });

  it('holds an event ended by a bare CR at the end of a chunk until the next byte', () => {
    const s = new SseSplitter();
    expect(s.push(b('data: a\r\r'))).toEqual([]);
    expect(s.pendingBytes).toBe(9);
    expect(text(s.push(b('\n')))).toEqual(['data: a\r\r\n']);
    expect(s.pendingBytes).toBe(0);
    expect(s.push(b('data: b\r\r'))).toEqual([]);
    expect(text(s.push(b('data: c\r\r')))).toEqual(['data: b\r\r']);
    expect(s.end()?.toString()).toBe('data: c\r\r');
  });

  it('attaches stray leading blank lines to the next event instead of emitting empty events', () => {
    const s = new SseSplitter();
    expect(s.push(b('\n\r\n\r'))).toEqual([]);
    expect(s.push(b('\n\n'))).toEqual([]);
    const out = text(s.push(b('data: x\n\n')));
    expect(out).toEqual(['\n\r\n\r\n\ndata: x\n\n']);
    expect(parseEvent(b(out[0]!))).toEqual({ data: 'x' });
  });

  it('ignores empty chunks', () => {
    const s = new SseSplitter();
    expect(s.push(b('data: x\r'))).toEqual([]);
    expect(s.push(Buffer.alloc(0))).toEqual([]);
    expect(text(s.push(b('\n\r\n')))).toEqual(['data: x\r\n\r\n']);
  });

  describe('end()', () => {
    it.each([
      ['data: [DONE]\n', 'data: [DONE]\n'],
      ['data: [DONE]', 'data: [DONE]'],
      ['data: [DONE]\r\n', 'data: [DONE]\r\n'],
      ['data: [DONE]\r', 'data: [DONE]\r'],
      ['data: 1\n\ndata: [DONE]\n', 'data: [DONE]\n'],
      ['\n\ndata: [DONE]', '\n\ndata: [DONE]'],
    ])('returns the unterminated final event of %j', (stream, rest) => {
      const s = new SseSplitter();
      s.push(b(stream));
      const got = s.end();
      expect(got?.toString()).toBe(rest);
      expect(parseEvent(got!)).toEqual({ data: '[DONE]' });
    });

    it.each(['', '\n', '\r\n\r\n', ' \t\n', 'data: 1\n\n', 'data: 1\n\n\n\n'])('is undefined when only %j was pushed', (stream) => {
      const s = new SseSplitter();
      s.push(b(stream));
      expect(s.end()).toBeUndefined();
    });

    it('resets the splitter', () => {
      const s = new SseSplitter();
      s.push(b('data: x'));
      expect(s.end()?.toString()).toBe('data: x');
      expect(s.pendingBytes).toBe(0);
      expect(s.end()).toBeUndefined();
      expect(text(s.push(b('data: y\n\n')))).toEqual(['data: y\n\n']);
    });
  });

  describe('the size cap', () => {
    const event = (size: number, nl = '\n'): string => `data: ${'x'.repeat(size - 6 - 2 * nl.length)}${nl}${nl}`;

    it('defaults to 8 MiB', () => {
      expect(MAX_EVENT_BYTES).toBe(8 * 1024 * 1024);
    });

    it.each(['\n', '\r\n', '\r'])('allows an event of exactly the cap, terminator %j included, and refuses cap + 1', (nl) => {
      const cap = 100;
      expect(event(cap, nl)).toHaveLength(cap);
      expect(split([b(event(cap, nl))], { maxEventBytes: cap })).toEqual([event(cap, nl)]);
      expect(() => split([b(event(cap + 1, nl))], { maxEventBytes: cap })).toThrow(EventTooLarge);
    });

    it('throws as soon as an unfinished event passes the cap, naming the limit', () => {
      const s = new SseSplitter({ maxEventBytes: 64 });
      expect(s.push(b('data: ' + 'x'.repeat(58)))).toEqual([]);
      expect(s.pendingBytes).toBe(64);
      let err: unknown;
      try {
        s.push(b('x'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EventTooLarge);
      expect(err).toBeInstanceOf(Error);
      expect((err as EventTooLarge).limit).toBe(64);
      expect((err as EventTooLarge).message).toContain('64 bytes');
      expect(s.pendingBytes).toBe(0);
    });

    it('counts only the event being assembled, not the stream', () => {
      const cap = 32;
      const ev = event(cap);
      expect(split([b(ev.repeat(50))], { maxEventBytes: cap })).toHaveLength(50);
      expect(split(Array.from({ length: 50 }, () => b(ev)), { maxEventBytes: cap })).toHaveLength(50);
    });

    it('counts a held bare-CR event together with the LF that completes it', () => {
      const s = new SseSplitter({ maxEventBytes: 9 });
      expect(s.push(b('data: a\r\r'))).toEqual([]);
      expect(() => s.push(b('\n\r'))).toThrow(EventTooLarge);
    });
  });

  describe('work stays linear in the bytes', () => {
    it('concatenates a 16 MiB event once, not per chunk, and returns it byte for byte', () => {
      const chunkSize = 16 * 1024;
      const chunks = 1024;
      const payload = Buffer.alloc(chunkSize * chunks, 'y');
      payload.write('data: ', 0);
      const s = new SseSplitter({ maxEventBytes: 32 * 1024 * 1024 });
      const concat = vi.spyOn(Buffer, 'concat');
      for (let i = 0; i < chunks; i++) {
        expect(s.push(payload.subarray(i * chunkSize, (i + 1) * chunkSize))).toEqual([]);
        expect(s.pendingBytes).toBe((i + 1) * chunkSize);
      }
      expect(concat).not.toHaveBeenCalled();
      const out = s.push(b('\n\n'));
      expect(concat).toHaveBeenCalledTimes(1);
      expect(out).toHaveLength(1);
      expect(out[0]!.length).toBe(payload.length + 2);
      expect(out[0]!.subarray(0, payload.length).equals(payload)).toBe(true);
      expect(out[0]!.subarray(payload.length).toString()).toBe('\n\n');
    });

    it('copies nothing for events that arrive whole in one chunk', () => {
      const concat = vi.spyOn(Buffer, 'concat');
      const chunk = b('data: 1\n\n'.repeat(1000));
      const out = new SseSplitter().push(chunk);
      expect(out).toHaveLength(1000);
      expect(concat).not.toHaveBeenCalled();
      // Each event is a view of the chunk, not a copy.
      expect(out[999]!.buffer).toBe(chunk.buffer);
    });
  });
});

describe('parseEvent', () => {
  it('joins multi-line data and ignores comments', () => {
    expect(parseEvent(b(': keep-alive\ndata: a\ndata: b\n\n'))).toEqual({ data: 'a\nb' });
    expect(parseEvent(b(': keep-alive\n\n'))).toEqual({});
    expect(parseEvent(b('data:[DONE]\n\n'))).toEqual({ data: '[DONE]' });
  });

  it.each(['\r\n', '\r', '\n'])('reads the fields with %j line endings', (nl) => {
    const raw = b(`: c${nl}event: response.completed${nl}data: {"a":${nl}data:  1}${nl}id: 7${nl}${nl}`);
    expect(parseEvent(raw)).toEqual({ event: 'response.completed', data: '{"a":\n 1}' });
  });

  it('treats a CR inside a one-line event as a line ending, not data', () => {
    expect(parseEvent(b('data: a\rdata: b\n\n'))).toEqual({ data: 'a\nb' });
    expect(parseEvent(b('data: a\revent: x\n\n'))).toEqual({ event: 'x', data: 'a' });
  });

  it('takes a line without a colon as a field with an empty value', () => {
    expect(parseEvent(b('data\n\n'))).toEqual({ data: '' });
    expect(parseEvent(b('data\ndata\n\n'))).toEqual({ data: '\n' });
    expect(parseEvent(b('event\ndata: x\n\n'))).toEqual({ event: '', data: 'x' });
  });

  it('drops only one leading space of a value', () => {
    expect(parseEvent(b('data:  x \n\n'))).toEqual({ data: ' x ' });
  });

  it('skips the leading blank lines the splitter may attach', () => {
    expect(parseEvent(b('\r\n\ndata: x\r\n\r\n'))).toEqual({ data: 'x' });
  });
});

it('isCommentOnly is true for events without data', () => {
  expect(isCommentOnly(parseEvent(b(': keep-alive\n\n')))).toBe(true);
  expect(isCommentOnly(parseEvent(b('event: ping\n\n')))).toBe(true);
  expect(isCommentOnly(parseEvent(b('data:\n\n')))).toBe(false);
  expect(isCommentOnly(parseEvent(b('data: [DONE]\n\n')))).toBe(false);
});

it('errorEvent is an `event: error` whose data is the JSON body', () => {
  const ev = errorEvent({ error: { code: 'x' } });
  expect(parseEvent(b(ev))).toEqual({ event: 'error', data: '{"error":{"code":"x"}}' });
  expect(split([b(ev)])).toEqual([ev]);
});

it('isEventStream accepts parameters and case', () => {
  expect(isEventStream('Text/Event-Stream; charset=utf-8')).toBe(true);
  expect(isEventStream(['text/event-stream'])).toBe(true);
  expect(isEventStream('application/json')).toBe(false);
  expect(isEventStream(undefined)).toBe(false);
});
