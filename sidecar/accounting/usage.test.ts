import { describe, expect, it } from 'vitest';
import { usageFromBody } from './usage.js';

describe('usageFromBody', () => {
  it('reads a chat completion, cached tokens included in input', () => {
    const body = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
    };
    expect(usageFromBody(body)).toEqual({ input: 1200, output: 300, cachedInput: 1024 });
  });

  it('takes only whole token counts a counter can add: a hostile 1e308 or a fraction is no count', () => {
    expect(usageFromBody({ usage: { prompt_tokens: 1e308, completion_tokens: 5 } })).toBeUndefined();
    expect(usageFromBody({ usage: { prompt_tokens: 10, completion_tokens: 2.5 } })).toEqual({ input: 10, output: 0, cachedInput: 0 });
  });

  it('reads the last SSE chunk of a stream and ignores chunks with usage: null', () => {
    expect(usageFromBody({ object: 'chat.completion.chunk', choices: [{ delta: {} }], usage: null })).toBeUndefined();
    expect(
      usageFromBody({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } }),
    ).toEqual({ input: 9, output: 4, cachedInput: 0 });
  });

  it('reads embeddings: prompt tokens only', () => {
    const body = { object: 'list', data: [], usage: { prompt_tokens: 8, total_tokens: 8 } };
    expect(usageFromBody(body)).toEqual({ input: 8, output: 0, cachedInput: 0 });
  });

  it('reads a responses body', () => {
    const body = {
      object: 'response',
      usage: { input_tokens: 500, input_tokens_details: { cached_tokens: 128 }, output_tokens: 70, total_tokens: 570 },
    };
    expect(usageFromBody(body)).toEqual({ input: 500, output: 70, cachedInput: 128 });
  });

  it('reads a response.completed stream event', () => {
    const event = {
      type: 'response.completed',
      sequence_number: 42,
      response: { id: 'resp_1', usage: { input_tokens: 10, output_tokens: 20 } },
    };
    expect(usageFromBody(event)).toEqual({ input: 10, output: 20, cachedInput: 0 });
    expect(usageFromBody({ type: 'response.output_text.delta', delta: 'hi' })).toBeUndefined();
  });

  it.each(['response.incomplete', 'response.failed'])('reads a %s stream event too', (type) => {
    const event = { type, response: { id: 'resp_1', status: type.slice(9), usage: { input_tokens: 7, output_tokens: 3, input_tokens_details: { cached_tokens: 2 } } } };
    expect(usageFromBody(event)).toEqual({ input: 7, output: 3, cachedInput: 2 });
  });

  it('finds nothing in a response.created event, whose usage is null', () => {
    expect(usageFromBody({ type: 'response.created', response: { id: 'resp_1', usage: null } })).toBeUndefined();
  });

  it('reads DeepSeek and Moonshot cache fields when prompt_tokens_details is absent', () => {
    const deepseek = { usage: { prompt_tokens: 100, completion_tokens: 5, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 } };
    expect(usageFromBody(deepseek)).toEqual({ input: 100, output: 5, cachedInput: 64 });
    const kimi = { usage: { prompt_tokens: 100, completion_tokens: 5, cached_tokens: 32 } };
    expect(usageFromBody(kimi)).toEqual({ input: 100, output: 5, cachedInput: 32 });
  });

  it('caps cached at input and rejects junk', () => {
    expect(usageFromBody({ usage: { prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 50 } } })).toEqual({
      input: 10,
      output: 0,
      cachedInput: 10,
    });
    expect(usageFromBody(null)).toBeUndefined();
    expect(usageFromBody('usage')).toBeUndefined();
    expect(usageFromBody([{ usage: { prompt_tokens: 1 } }])).toBeUndefined();
    expect(usageFromBody({ error: { message: 'nope' } })).toBeUndefined();
    expect(usageFromBody({ usage: { prompt_tokens: '12' } })).toBeUndefined();
    expect(usageFromBody({ usage: { prompt_tokens: -1 } })).toBeUndefined();
    expect(usageFromBody({ usage: { prompt_tokens: 3, completion_tokens: Number.NaN } })).toEqual({
      input: 3,
      output: 0,
      cachedInput: 0,
    });
  });
});
