import { describe, expect, it } from 'vitest';
import { parseEvent } from './sse.js';
import { inspectEvent, type EventInfo, type StreamEndpoint } from './stream-events.js';

const ev = (raw: string) => parseEvent(Buffer.from(raw));
const data = (v: unknown): string => `data: ${typeof v === 'string' ? v : JSON.stringify(v)}\n\n`;
const named = (type: string, v: unknown): string => `event: ${type}\ndata: ${JSON.stringify(v)}\n\n`;

const plain: EventInfo = { terminal: false, error: false, usageOnly: false };
const chatUsage = { prompt_tokens: 9, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 } };
const respUsage = { input_tokens: 10, output_tokens: 20, input_tokens_details: { cached_tokens: 3 } };
const respEvent = (type: string, usage: unknown = respUsage) =>
  named(type, { type, sequence_number: 9, response: { id: 'resp_1', status: type.slice(9), usage } });

type Case = [name: string, endpoint: StreamEndpoint, raw: string, want: EventInfo | 'malformed'];

const chatLike = (endpoint: 'chat_completions' | 'completions', object: string): Case[] => [
  [`${endpoint}: [DONE] ends the stream`, endpoint, data('[DONE]'), { ...plain, terminal: true }],
  [`${endpoint}: [DONE] with CRLF`, endpoint, 'data: [DONE]\r\n\r\n', { ...plain, terminal: true }],
  [`${endpoint}: a content chunk with usage: null`, endpoint, data({ object, choices: [{ index: 0 }], usage: null }), plain],
  [`${endpoint}: a content chunk without usage`, endpoint, data({ object, choices: [{ index: 0 }] }), plain],
  [
    `${endpoint}: the usage-only chunk`,
    endpoint,
    data({ object, choices: [], usage: chatUsage }),
    { ...plain, usageOnly: true, usage: { input: 9, output: 4, cachedInput: 2 } },
  ],
  [
    `${endpoint}: usage on a chunk that still has choices is usage, not usage-only`,
    endpoint,
    data({ object, choices: [{ index: 0, finish_reason: 'stop' }], usage: chatUsage }),
    { ...plain, usage: { input: 9, output: 4, cachedInput: 2 } },
  ],
  [`${endpoint}: choices: [] with usage: null is not usage-only`, endpoint, data({ object, choices: [], usage: null }), plain],
  [`${endpoint}: an error object`, endpoint, data({ error: { message: 'overloaded', code: 'x' } }), { ...plain, error: true }],
  [`${endpoint}: an event named error`, endpoint, named('error', { message: 'boom' }), { ...plain, error: true }],
  [`${endpoint}: error: null is no error`, endpoint, data({ object, choices: [{ index: 0 }], error: null }), plain],
  [`${endpoint}: a keep-alive comment`, endpoint, ': keep-alive\n\n', plain],
  [`${endpoint}: text that is not JSON`, endpoint, data('upstream timed out'), 'malformed'],
  [`${endpoint}: JSON that is not an object`, endpoint, data('[1,2]'), 'malformed'],
  [`${endpoint}: a truncated chunk`, endpoint, data('{"choices":[{"delta":'), 'malformed'],
  [`${endpoint}: a typed chunk is read as a plain chunk`, endpoint, data({ type: 'response.completed', choices: [] }), plain],
];

const cases: Case[] = [
  ...chatLike('chat_completions', 'chat.completion.chunk'),
  ...chatLike('completions', 'text_completion'),
  ['responses: response.created is not the end', 'responses', respEvent('response.created', null), plain],
  ['responses: a text delta', 'responses', named('response.output_text.delta', { type: 'response.output_text.delta', delta: 'hi' }), plain],
  ['responses: response.completed ends with usage', 'responses', respEvent('response.completed'), { ...plain, terminal: true, usage: { input: 10, output: 20, cachedInput: 3 } }],
  ['responses: response.incomplete ends with usage', 'responses', respEvent('response.incomplete'), { ...plain, terminal: true, usage: { input: 10, output: 20, cachedInput: 3 } }],
  ['responses: response.failed ends with usage', 'responses', respEvent('response.failed'), { ...plain, terminal: true, usage: { input: 10, output: 20, cachedInput: 3 } }],
  ['responses: response.failed without usage still ends', 'responses', respEvent('response.failed', null), { ...plain, terminal: true }],
  [
    'responses: the type in the data decides without an event: line',
    'responses',
    data({ type: 'response.completed', response: { usage: respUsage } }),
    { ...plain, terminal: true, usage: { input: 10, output: 20, cachedInput: 3 } },
  ],
  [
    'responses: the event: name decides when the data has no type',
    'responses',
    named('response.incomplete', { response: { usage: respUsage } }),
    { ...plain, terminal: true, usage: { input: 10, output: 20, cachedInput: 3 } },
  ],
  ['responses: a top-level error event ends the stream', 'responses', named('error', { type: 'error', code: 'server_error', message: 'x' }), { ...plain, terminal: true, error: true }],
  ['responses: type error without an event: line', 'responses', data({ type: 'error', message: 'x' }), { ...plain, terminal: true, error: true }],
  ['responses: an error key on another event', 'responses', named('response.output_text.delta', { type: 'response.output_text.delta', error: { message: 'x' } }), { ...plain, error: true }],
  ['responses: a top-level usage on a delta is not read', 'responses', data({ type: 'response.output_text.delta', usage: chatUsage }), plain],
  ['responses: [DONE] after the end is harmless', 'responses', data('[DONE]'), plain],
  ['responses: a keep-alive comment', 'responses', ': ping\n\n', plain],
  ['responses: text that is not JSON', 'responses', named('response.completed', 'x').replace('"x"', 'x'), 'malformed'],
  ['responses: a type named like an Object prototype key', 'responses', data({ type: 'constructor' }), plain],
];

describe('inspectEvent', () => {
  it.each(cases)('%s', (_name, endpoint, raw, want) => {
    expect(inspectEvent(endpoint, ev(raw))).toEqual(want);
  });
});
