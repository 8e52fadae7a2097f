/**
 * Token usage as upstreams report it, normalised to one shape.
 *
 * Read from a JSON response body, from the last chat/completions SSE chunk
 * (which carries `usage` at the top level when `stream_options.include_usage`
 * was asked for), or from the terminal event of a responses stream
 * (`response.completed`, `response.incomplete` or `response.failed`).
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
 *   `input_tokens_details.cached_tokens`; also inside a stream event that
 *   embeds the response, `{type: 'response.<…>', response: {usage}}`: the
 *   terminal `response.completed`, `response.incomplete` and
 *   `response.failed` carry it (which events end a stream, and which carry
 *   usage, is the table in proxy/stream-events.ts); earlier ones such as
 *   `response.created` have `usage: null`.
 *
 * Cached tokens also come, from OpenAI-compatible providers that do not fill
 * `prompt_tokens_details`, as `usage.prompt_cache_hit_tokens` (DeepSeek) or
 * `usage.cached_tokens` (Moonshot/Kimi). Cached is capped at input.
 */
export function usageFromBody(json: unknown): Usage | undefined {
  if (!isRecord(json)) return undefined;
  if (isResponseEvent(json)) return usageFromBody(json['response']);
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

/** A Responses stream event that embeds the response object: `{type: 'response.…', response: {…}}`. */
function isResponseEvent(json: Record<string, unknown>): json is Record<string, unknown> & { response: Record<string, unknown> } {
  const type = json['type'];
  return typeof type === 'string' && type.startsWith('response.') && isRecord(json['response']);
}

function normalise(input: number, output: number, cached: number): Usage {
  return { input, output, cachedInput: Math.min(cached, input) };
}

/** A token count: a whole number a counter can add (a hostile `1e308` would make a cost of Infinity, which prom-client refuses). */
function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function field(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}

