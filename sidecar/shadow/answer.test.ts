import { describe, expect, it } from 'vitest';
import { AnswerAssembler, answerFromJson, argumentKeys, MAX_TEXT_CHARS } from './answer.js';

const ev = (data: unknown, event?: string): Buffer =>
  Buffer.from(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
const chunk = (delta: object, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

describe('answerFromJson', () => {
  it('reads a chat completion with tool calls', () => {
    const body = {
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' } }],
          },
        },
      ],
    };
    expect(answerFromJson('chat_completions', JSON.stringify(body))).toEqual({
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [{ name: 'get_weather', keys: ['city', 'unit'] }],
    });
  });
  it('reads a completion and a responses object', () => {
    expect(answerFromJson('completions', '{"choices":[{"index":0,"text":"hi","finish_reason":"length"}]}')).toEqual({ text: 'hi', finishReason: 'length', toolCalls: [] });
    const resp = {
      object: 'response',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [
        { type: 'message', content: [{ type: 'output_text', text: 'Hel' }, { type: 'output_text', text: 'lo' }] },
        { type: 'function_call', name: 'f', arguments: '{"a":1}' },
      ],
    };
    expect(answerFromJson('responses', JSON.stringify(resp))).toEqual({ text: 'Hello', finishReason: 'incomplete:max_output_tokens', toolCalls: [{ name: 'f', keys: ['a'] }] });
  });
  it('has no answer in an error body or non-JSON', () => {
    expect(answerFromJson('chat_completions', '{"error":{"message":"x"}}')).toBeUndefined();
    expect(answerFromJson('chat_completions', '<html>')).toBeUndefined();
  });
});

describe('AnswerAssembler', () => {
  it('assembles content deltas, tool-call deltas by index and the finish reason; ignores pings, usage and [DONE]', () => {
    const a = new AnswerAssembler('chat_completions');
    a.push(Buffer.from(': keep-alive\n\n'));
    a.push(ev(chunk({ role: 'assistant', content: '' })));
    a.push(ev(chunk({ content: 'Let me ' })));
    a.push(ev(chunk({ content: 'check.' })));
    a.push(ev(chunk({ tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'search', arguments: '' } }] })));
    a.push(ev(chunk({ tool_calls: [{ index: 1, id: 'u', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] })));
    a.push(ev(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":"x",' } }] })));
    a.push(ev(chunk({ tool_calls: [{ index: 0, function: { arguments: '"limit":3}' } }] })));
    a.push(ev(chunk({ tool_calls: [{ index: 1, function: { arguments: 'ty":"Paris"}' } }] })));
    a.push(ev(chunk({}, 'tool_calls')));
    a.push(ev({ id: 'c', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }));
    a.push(ev('[DONE]'));
    expect(a.answer()).toEqual({
      text: 'Let me check.',
      finishReason: 'tool_calls',
      toolCalls: [
        { name: 'search', keys: ['limit', 'q'] },
        { name: 'weather', keys: ['city'] },
      ],
    });
  });
  it('assembles completions and takes responses from the terminal event', () => {
    const c = new AnswerAssembler('completions');
    c.push(ev({ choices: [{ index: 0, text: 'a', finish_reason: null }] }));
    c.push(ev({ choices: [{ index: 0, text: 'b', finish_reason: 'stop' }] }));
    expect(c.answer()).toEqual({ text: 'ab', finishReason: 'stop', toolCalls: [] });
    const r = new AnswerAssembler('responses');
    r.push(ev({ type: 'response.output_text.delta', delta: 'ignored' }, 'response.output_text.delta'));
    expect(r.answer()).toBeUndefined();
    r.push(ev({ type: 'response.completed', response: { status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi' }] }] } }, 'response.completed'));
    expect(r.answer()).toEqual({ text: 'Hi', finishReason: 'completed', toolCalls: [] });
  });
  it('keeps at most MAX_TEXT_CHARS of text', () => {
    const a = new AnswerAssembler('chat_completions');
    for (let i = 0; i < 100; i++) a.push(ev(chunk({ content: 'x'.repeat(1000) })));
    expect(a.answer()!.text.length).toBe(MAX_TEXT_CHARS);
  });
});

describe('argumentKeys', () => {
  it('reads top-level keys of an object, sorted', () => {
    expect(argumentKeys('{"b":1,"a":{"c":2}}')).toEqual(['a', 'b']);
    expect(argumentKeys('')).toEqual([]);
    expect(argumentKeys('[1]')).toBeUndefined();
    expect(argumentKeys('{"a":')).toBeUndefined();
  });
});
