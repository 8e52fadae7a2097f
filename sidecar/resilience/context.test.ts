import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../config/route.js';
import { estimatePromptTokens, fitsContext, requestedOutputTokens } from './context.js';

const s = (n: number) => 'x'.repeat(n);

describe('estimatePromptTokens', () => {
  it('counts chat message content at 4 chars a token plus 4 per message', () => {
    const body = {
      model: 'gpt-4.1', // not read by the model
      messages: [
        { role: 'system', content: s(40) },
        { role: 'user', content: s(41) },
      ],
    };
    expect(estimatePromptTokens(body)).toBe(Math.ceil(81 / 4) + 8); // 21 + 8
  });

  it('reads content parts with text and skips images', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: s(12) },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,' + s(100_000) } },
            { type: 'text', text: s(4) },
          ],
        },
      ],
    };
    expect(estimatePromptTokens(body)).toBe(4 + 4);
  });

  it('counts tool call names and arguments, and tool definitions as JSON', () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
    const body = {
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"ab"}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: s(10) },
      ],
      tools,
    };
    const chars = 'lookup'.length + '{"q":"ab"}'.length + 10 + JSON.stringify(tools).length;
    expect(estimatePromptTokens(body)).toBe(Math.ceil(chars / 4) + 8);
  });

  it('reads completions prompts: string, string[] and token ids', () => {
    expect(estimatePromptTokens({ prompt: s(10) })).toBe(3);
    expect(estimatePromptTokens({ prompt: [s(4), s(5)] })).toBe(3);
    expect(estimatePromptTokens({ prompt: [11, 22, 33] })).toBe(3);
    expect(estimatePromptTokens({ prompt: [[1, 2], [3]] })).toBe(3);
  });

  it('reads embeddings input', () => {
    expect(estimatePromptTokens({ input: s(400) })).toBe(100);
    expect(estimatePromptTokens({ input: [s(200), s(200)] })).toBe(100);
  });

  it('reads responses input items and instructions', () => {
    const body = {
      instructions: s(20),
      input: [
        { role: 'user', content: s(8) },
        { role: 'user', content: [{ type: 'input_text', text: s(8) }] },
        { type: 'function_call', name: 'f', arguments: s(3) },
        { type: 'function_call_output', call_id: 'c', output: s(4) },
      ],
    };
    expect(estimatePromptTokens(body)).toBe(Math.ceil((20 + 8 + 8 + 1 + 3 + 4) / 4) + 4 * 4);
    expect(estimatePromptTokens({ input: s(9) })).toBe(3);
  });

  it('is 0 for an empty body and ignores junk shapes', () => {
    expect(estimatePromptTokens({})).toBe(0);
    expect(estimatePromptTokens({ messages: 'hi', prompt: 5, input: { a: 1 } })).toBe(0);
    expect(estimatePromptTokens({ messages: [null, 3] })).toBe(8); // still messages
  });
});

describe('requestedOutputTokens', () => {
  it('prefers max_completion_tokens, then max_tokens, then max_output_tokens', () => {
    expect(requestedOutputTokens({ max_completion_tokens: 10, max_tokens: 20, max_output_tokens: 30 })).toBe(10);
    expect(requestedOutputTokens({ max_tokens: 20, max_output_tokens: 30 })).toBe(20);
    expect(requestedOutputTokens({ max_output_tokens: 30 })).toBe(30);
    expect(requestedOutputTokens({})).toBe(0);
    expect(requestedOutputTokens({ max_completion_tokens: null, max_tokens: 7 })).toBe(7);
  });
});

describe('fitsContext', () => {
  const deepseek: CatalogEntry = { name: 'deepseek-chat', contextWindow: 64_000 };

  it('is true when no context window is known', () => {
    const huge = { prompt: s(10_000_000) };
    expect(fitsContext(undefined, huge)).toBe(true);
    expect(fitsContext({ name: 'gpt-4.1' }, huge)).toBe(true);
  });

  it('compares prompt estimate plus output budget to the window, inclusive', () => {
    // 1 message: 4 + ceil(chars / 4) prompt tokens.
    const body = (chars: number, max: number) => ({ messages: [{ role: 'user', content: s(chars) }], max_tokens: max });
    expect(fitsContext(deepseek, body(4 * 55_996, 8_000))).toBe(true); // 55996 + 4 + 8000 = 64000
    expect(fitsContext(deepseek, body(4 * 55_996 + 1, 8_000))).toBe(false);
    expect(fitsContext(deepseek, body(4 * 55_996, 8_001))).toBe(false);
  });
});
