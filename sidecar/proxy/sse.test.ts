import { describe, expect, it } from 'vitest';
import { SseSplitter, errorEvent, isEventStream, parseEvent } from './sse.js';

const b = (s: string): Buffer => Buffer.from(s);
const text = (events: Buffer[]): string[] => events.map((e) => e.toString());

describe('SseSplitter', () => {
  it('returns every complete event of a chunk as the raw bytes', () => {
    const s = new SseSplitter();
    expect(text(s.push(b('data: 1\n\ndata: 2\n\n')))).toEqual(['data: 1\n\n', 'data: 2\n\n']);
    expect(s.leftover()).toBeUndefined();
  });

  it('holds back only an unfinished event, across any split', () => {
    const s = new SseSplitter();
    expect(text(s.push(b('data: {"a"')))).toEqual([]);
    expect(text(s.push(b(':1}\n')))).toEqual([]);
    expect(text(s.push(b('\ndata: x')))).toEqual(['data: {"a":1}\n\n']);
    expect(s.leftover()?.toString()).toBe('data: x');
  });

  it('understands CRLF line endings and named events', () => {
    const s = new SseSplitter();
    const out = s.push(b('event: response.completed\r\ndata: {}\r\n\r\n'));
    expect(out).toHaveLength(1);
    expect(parseEvent(out[0]!)).toEqual({ event: 'response.completed', data: '{}' });
  });
});

describe('parseEvent', () => {
  it('joins multi-line data and ignores comments', () => {
    expect(parseEvent(b(': keep-alive\ndata: a\ndata: b\n\n'))).toEqual({ data: 'a\nb' });
    expect(parseEvent(b(': keep-alive\n\n'))).toEqual({});
    expect(parseEvent(b('data:[DONE]\n\n'))).toEqual({ data: '[DONE]' });
  });
});

it('errorEvent is an `event: error` whose data is the JSON body', () => {
  const ev = errorEvent({ error: { code: 'x' } });
  expect(parseEvent(b(ev))).toEqual({ event: 'error', data: '{"error":{"code":"x"}}' });
});

it('isEventStream accepts parameters and case', () => {
  expect(isEventStream('Text/Event-Stream; charset=utf-8')).toBe(true);
  expect(isEventStream('application/json')).toBe(false);
  expect(isEventStream(undefined)).toBe(false);
});
