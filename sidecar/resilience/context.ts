/**
 * Will the request fit the model's context window? Used to skip chain models
 * that would only answer "context length exceeded".
 *
 * The prompt estimate is deliberately simple: ceil(characters / 4) over the
 * text the model reads, plus a fixed overhead of 4 tokens per message (the
 * role and separators in the chat template). There is no tokenizer: each
 * model family has its own, it would cost a dependency and CPU on every
 * request, and the answer only has to separate "clearly fits" from "clearly
 * does not". About 4 characters per token holds for English; code and CJK
 * text run denser, so a prompt near the limit may still be refused upstream,
 * which the fallback chain then handles like any other failure.
 *
 * Token-id prompts (`prompt: [1, 2, 3]`, embeddings `input: number[][]`) are
 * counted exactly, one token per id.
 */
import type { CatalogEntry } from '../config/route.js';
import { isRecord } from '../json-value.js';

export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_MESSAGE = 4;

/** Characters to divide by CHARS_PER_TOKEN, plus tokens counted exactly. */
interface Tally {
  chars: number;
  tokens: number;
}

export function estimatePromptTokens(body: Record<string, unknown>): number {
  const t: Tally = { chars: 0, tokens: 0 };
  const messages = body['messages'];
  if (Array.isArray(messages)) {
    for (const message of messages) {
      t.tokens += TOKENS_PER_MESSAGE;
      if (!isRecord(message)) continue;
      addContent(t, message['content']);
      addToolCalls(t, message['tool_calls']);
    }
  }
  if (body['tools'] !== undefined) t.chars += jsonLength(body['tools']);
  addText(t, body['instructions']);
  addPromptLike(t, body['prompt']);
  addPromptLike(t, body['input']);
  return Math.ceil(t.chars / CHARS_PER_TOKEN) + t.tokens;
}

/** The output budget the request reserves: `max_completion_tokens` ?? `max_tokens` ?? `max_output_tokens` ?? 0. */
export function requestedOutputTokens(body: Record<string, unknown>): number {
  for (const key of ['max_completion_tokens', 'max_tokens', 'max_output_tokens']) {
    const v = body[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return 0;
}

/** Estimated prompt plus requested output ≤ the context window; true when the window is unknown. */
export function fitsContext(entry: CatalogEntry | undefined, body: Record<string, unknown>, needed?: () => number): boolean {
  const window = entry?.contextWindow;
  if (window === undefined) return true;
  return (needed ? needed() : requiredTokens(body)) <= window;
}

/** Prompt estimate plus requested output: what a model's context window must hold. */
export function requiredTokens(body: Record<string, unknown>): number {
  return estimatePromptTokens(body) + requestedOutputTokens(body);
}

function addText(t: Tally, v: unknown): void {
  if (typeof v === 'string') t.chars += v.length;
}

/** Chat/responses content: a string, or parts carrying `text`. */
function addContent(t: Tally, content: unknown): void {
  if (typeof content === 'string') {
    t.chars += content.length;
  } else if (Array.isArray(content)) {
    for (const part of content) if (isRecord(part)) addText(t, part['text']);
  }
}

/** Chat `tool_calls`: the function name and its JSON arguments. */
function addToolCalls(t: Tally, calls: unknown): void {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    const fn = isRecord(call) ? call['function'] : undefined;
    if (!isRecord(fn)) continue;
    addText(t, fn['name']);
    addText(t, fn['arguments']);
  }
}

/**
 * Completions `prompt`, embeddings `input`, responses `input`: a string, a
 * list of strings, token ids (flat or nested), or responses items.
 */
function addPromptLike(t: Tally, v: unknown): void {
  if (typeof v === 'string') {
    t.chars += v.length;
    return;
  }
  if (!Array.isArray(v)) return;
  for (const item of v) {
    if (typeof item === 'string') t.chars += item.length;
    else if (typeof item === 'number') t.tokens += 1;
    else if (Array.isArray(item)) t.tokens += item.length; // a token-id prompt
    else if (isRecord(item)) addResponsesItem(t, item);
  }
}

/** A responses input item: a message (`content`), or a function call / its output. */
function addResponsesItem(t: Tally, item: Record<string, unknown>): void {
  t.tokens += TOKENS_PER_MESSAGE;
  addContent(t, item['content']);
  addText(t, item['text']);
  addText(t, item['name']);
  addText(t, item['arguments']);
  addText(t, item['output']);
}

function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0; // not serialisable: cannot have come from a JSON body
  }
}

