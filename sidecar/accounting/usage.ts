/**
 * Token usage as upstreams report it, normalised to one shape.
 *
 * Read from a JSON response body, from the last chat/completions SSE chunk
 * (which carries `usage` at the top level when `stream_options.include_usage`
 * was asked for), or from the `response.completed` event of a responses
 * stream.
 */

import { lastObjectValue } from '../proxy/json-scan.js';
import { isRecord } from '../json-value.js';

export interface Usage {
  /** Prompt tokens, INCLUDING the cached ones (as OpenAI reports `prompt_tokens`). */
  input: number;
  output: number;
  /** The part of `input` served from the provider's prompt cache. */
  cachedInput: number;
}

/**
 * The usage in a response body or stream event, or undefined when it has
 * none (`usage: null` in intermediate stream chunks, errors, other events).
 *
 * - chat/completions: `usage.prompt_tokens`, `completion_tokens`,
 *   `prompt_tokens_details.cached_tokens`.
 * - embeddings: `usage.prompt_tokens` only (output 0).
 * - responses: `usage.input_tokens`, `output_tokens`,
 *   `input_tokens_details.cached_tokens`; also inside
 *   `{type: 'response.completed', response: {usage}}`.
 *
 * Cached tokens also come, from OpenAI-compatible providers that do not fill
 * `prompt_tokens_details`, as `usage.prompt_cache_hit_tokens` (DeepSeek) or
 * `usage.cached_tokens` (Moonshot/Kimi). Cached is capped at input.
 */
export function usageFromBody(json: unknown): Usage | undefined {
  if (!isRecord(json)) return undefined;
  if (json['type'] === 'response.completed' && isRecord(json['response'])) {
    return usageFromBody(json['response']);
  }
  const usage = json['usage'];
  if (!isRecord(usage)) return undefined;

  const prompt = count(usage['prompt_tokens']);
  if (prompt !== undefined) {
    const cached =
      count(field(usage['prompt_tokens_details'], 'cached_tokens')) ??
      count(usage['prompt_cache_hit_tokens']) ??
      count(usage['cached_tokens']) ??
      0;
    return normalise(prompt, count(usage['completion_tokens']) ?? 0, cached);
  }

  const input = count(usage['input_tokens']);
  if (input !== undefined) {
    const cached = count(field(usage['input_tokens_details'], 'cached_tokens')) ?? 0;
    return normalise(input, count(usage['output_tokens']) ?? 0, cached);
  }
  return undefined;
}

/** The usage of a raw JSON reply, read from its trailing `usage` object without parsing the whole body. */
export function usageFromReply(raw: Buffer): Usage | undefined {
  const usage = lastObjectValue(raw, 'usage');
  return usage ? usageFromBody({ usage }) : undefined;
}

function normalise(input: number, output: number, cached: number): Usage {
  return { input, output, cachedInput: Math.min(cached, input) };
}

/** A token count: a finite, non-negative number. */
function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function field(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}

