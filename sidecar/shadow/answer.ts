/**
 * An answer as the shadow judge compares it: the text, why it ended, and the
 * tool calls asked for. Built from a JSON reply (`answerFromJson`) or a
 * stream, event by event (`AnswerAssembler`), for the three endpoints that
 * answer in text: chat completions, completions and responses. Pure.
 *
 * Only the first choice is compared (`n > 1` is rare on the traffic a migration
 * moves). Bounded: the text keeps its first `MAX_TEXT_CHARS` characters (the
 * similarity measure reads no more), tool-call arguments their first
 * `MAX_ARGUMENT_CHARS`; so an assembled answer never holds more than a few
 * hundred KiB whatever the upstream sends.
 *
 * Where the fields come from:
 * - chat: `choices[0].message.content`, `.tool_calls[].function.{name,arguments}`
 *   (the legacy `function_call` too), `choices[0].finish_reason`; streamed as
 *   `choices[0].delta.content` and `delta.tool_calls[]` pieces keyed by
 *   `index` (the name comes once, the arguments in pieces) and the chunk that
 *   carries `finish_reason`;
 * - completions: `choices[0].text` and `finish_reason`, streamed the same way;
 * - responses: the response object's `output[]` (`message` items'
 *   `output_text` parts, `function_call` items) and `status` (`completed`, or
 *   `incomplete:<reason>`); streamed, the terminal `response.completed` /
 *   `response.incomplete` event carries the whole object.
 */
import { isRecord } from '../json-value.js';
import { parseEvent, isCommentOnly } from '../proxy/sse.js';

export type AnswerEndpoint = 'chat_completions' | 'completions' | 'responses';

export interface ToolCall {
  name: string;
  /** The top-level keys of the arguments object, sorted; undefined when the arguments are not a JSON object. */
  keys: string[] | undefined;
}

export interface Answer {
  text: string;
  /** `stop`, `length`, `tool_calls`, … (responses: `completed` or `incomplete:<reason>`); null when none was sent. */
  finishReason: string | null;
  toolCalls: ToolCall[];
}

export const MAX_TEXT_CHARS = 32 * 1024;
export const MAX_ARGUMENT_CHARS = 64 * 1024;
/** Tool calls kept per answer; more are not compared. */
export const MAX_TOOL_CALLS = 64;

/** The answer in a JSON reply body; undefined when it holds none (not JSON, no choice, an error object). */
export function answerFromJson(endpoint: AnswerEndpoint, raw: Buffer | string): Answer | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || doc['error'] != null) return undefined;
  if (endpoint === 'responses') return answerFromResponse(doc);
  const choice = firstChoice(doc);
  if (!choice) return undefined;
  const finishReason = str(choice['finish_reason']) ?? null;
  if (endpoint === 'completions') return { text: clip(str(choice['text']) ?? ''), finishReason, toolCalls: [] };
  const message = isRecord(choice['message']) ? choice['message'] : {};
  const calls: Array<{ name: string; args: string }> = [];
  if (Array.isArray(message['tool_calls'])) {
    for (const tc of message['tool_calls']) {
      const fn = isRecord(tc) && isRecord(tc['function']) ? tc['function'] : undefined;
      if (fn) calls.push({ name: str(fn['name']) ?? '', args: str(fn['arguments']) ?? '' });
    }
  }
  if (isRecord(message['function_call'])) {
    calls.push({ name: str(message['function_call']['name']) ?? '', args: str(message['function_call']['arguments']) ?? '' });
  }
  return { text: clip(contentText(message['content'])), finishReason, toolCalls: toolCalls(calls) };
}

/** A Responses API response object (JSON reply, or the `response` of a terminal stream event). */
export function answerFromResponse(resp: Record<string, unknown>): Answer | undefined {
  if (!Array.isArray(resp['output'])) return undefined;
  let text = '';
  const calls: Array<{ name: string; args: string }> = [];
  for (const item of resp['output']) {
    if (!isRecord(item)) continue;
    if (item['type'] === 'message' && Array.isArray(item['content'])) {
      for (const part of item['content']) if (isRecord(part) && part['type'] === 'output_text') text += str(part['text']) ?? '';
    } else if (item['type'] === 'function_call') {
      calls.push({ name: str(item['name']) ?? '', args: str(item['arguments']) ?? '' });
    }
  }
  const status = str(resp['status']) ?? null;
  const detail = isRecord(resp['incomplete_details']) ? str(resp['incomplete_details']['reason']) : undefined;
  return { text: clip(text), finishReason: status === 'incomplete' && detail ? `incomplete:${detail}` : status, toolCalls: toolCalls(calls) };
}

/**
 * Assembles a streamed answer from raw SSE events (as the reply tap or the
 * shadow copy's reader sees them). `answer()` is undefined until the stream
 * carried something that is an answer.
 */
export class AnswerAssembler {
  #text = '';
  #finish: string | null = null;
  readonly #calls = new Map<number, { name: string; args: string }>();
  #final: Answer | undefined;
  #seen = false;

  constructor(private readonly endpoint: AnswerEndpoint) {}

  push(raw: Buffer): void {
    const ev = parseEvent(raw);
    if (isCommentOnly(ev) || ev.data === undefined || ev.data === '[DONE]') return;
    let doc: unknown;
    try {
      doc = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!isRecord(doc) || doc['error'] != null) return;
    if (this.endpoint === 'responses') {
      // The terminal event carries the whole response; the deltas before it add nothing.
      if (isRecord(doc['response']) && (doc['type'] === 'response.completed' || doc['type'] === 'response.incomplete')) {
        this.#final = answerFromResponse(doc['response']);
      }
      return;
    }
    const choice = firstChoice(doc);
    if (!choice) return; // the usage-only chunk
    this.#seen = true;
    const finish = str(choice['finish_reason']);
    if (finish) this.#finish = finish;
    if (this.endpoint === 'completions') {
      this.#append(str(choice['text']));
      return;
    }
    const delta = isRecord(choice['delta']) ? choice['delta'] : {};
    this.#append(contentText(delta['content']));
    const pieces = Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : [];
    for (const piece of pieces) {
      if (!isRecord(piece)) continue;
      const index = typeof piece['index'] === 'number' ? piece['index'] : this.#calls.size;
      let call = this.#calls.get(index);
      if (!call) {
        if (this.#calls.size >= MAX_TOOL_CALLS) continue;
        call = { name: '', args: '' };
        this.#calls.set(index, call);
      }
      const fn = isRecord(piece['function']) ? piece['function'] : {};
      const name = str(fn['name']);
      if (name && !call.name) call.name = name;
      const args = str(fn['arguments']);
      if (args && call.args.length < MAX_ARGUMENT_CHARS) call.args += args;
    }
    if (isRecord(delta['function_call'])) {
      const fc = delta['function_call'];
      let call = this.#calls.get(-1);
      if (!call) this.#calls.set(-1, (call = { name: '', args: '' }));
      const name = str(fc['name']);
      if (name && !call.name) call.name = name;
      const args = str(fc['arguments']);
      if (args && call.args.length < MAX_ARGUMENT_CHARS) call.args += args;
    }
  }

  answer(): Answer | undefined {
    if (this.endpoint === 'responses') return this.#final;
    if (!this.#seen) return undefined;
    const calls = [...this.#calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
    return { text: this.#text, finishReason: this.#finish, toolCalls: toolCalls(calls) };
  }

  #append(piece: string | undefined): void {
    if (piece && this.#text.length < MAX_TEXT_CHARS) this.#text = clip(this.#text + piece);
  }
}

/** The arguments' top-level keys, sorted; undefined for arguments that are not a JSON object. */
export function argumentKeys(args: string): string[] | undefined {
  if (args.trim() === '') return [];
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? Object.keys(parsed).sort() : undefined;
  } catch {
    return undefined;
  }
}

function toolCalls(calls: ReadonlyArray<{ name: string; args: string }>): ToolCall[] {
  return calls.slice(0, MAX_TOOL_CALLS).map((c) => ({ name: c.name, keys: argumentKeys(c.args.slice(0, MAX_ARGUMENT_CHARS)) }));
}

function firstChoice(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices = doc['choices'];
  if (!Array.isArray(choices)) return undefined;
  const first = choices.find((c) => isRecord(c) && (c['index'] === undefined || c['index'] === 0)) ?? choices[0];
  return isRecord(first) ? first : undefined;
}

/** Message content: a string, or an array of parts whose `text` counts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (isRecord(p) ? (str(p['text']) ?? '') : '')).join('');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function clip(text: string): string {
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}
