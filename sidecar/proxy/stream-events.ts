/**
 * What one event of a streamed reply means to the sidecar: does it end the
 * stream, does it carry usage, is it an error, is it the usage-only chunk the
 * sidecar itself asked for. The facts per endpoint are one table, STREAMS;
 * `inspectEvent` only reads it.
 *
 * - chat/completions and completions: chunks of JSON; the stream ends with
 *   `data: [DONE]`. With `stream_options.include_usage` the last chunk before
 *   it has `"choices": []` and a `usage` object (the usage-only chunk); other
 *   chunks have `usage: null` or none.
 * - responses: `event: <type>` with JSON data whose `type` repeats the name.
 *   The stream ends with `response.completed`, `response.incomplete` or
 *   `response.failed` (each carries `response.usage`), or with a top-level
 *   `error` event.
 *
 * Any event whose data has a top-level, non-null `error`, whose `event:` name
 * is `error`, or whose type the table marks as an error, is an error event.
 * `data: [DONE]` is recognised on every endpoint but ends only the streams
 * the table says it ends (a relay that appends it to a responses stream is
 * harmless). Data that is neither `[DONE]` nor a JSON object is 'malformed'.
 */

import { usageFromBody, type Usage } from '../accounting/usage.js';
import { isRecord } from '../json-value.js';
import type { SseEvent } from './sse.js';

export type StreamEndpoint = 'chat_completions' | 'completions' | 'responses';

export interface EventInfo {
  /** The stream's last event: nothing after it is expected. */
  terminal: boolean;
  usage?: Usage;
  error: boolean;
  /** The `choices: []` chunk carrying only usage (stream_options.include_usage). */
  usageOnly: boolean;
}

/** Where an event's usage object sits. */
type UsageAt = 'top' | 'response';

interface TypedEvent {
  terminal: boolean;
  error: boolean;
  /** Where this event type carries usage; absent: it carries none. */
  usage?: UsageAt;
}

interface StreamShape {
  /** `data: [DONE]` ends the stream. */
  doneEnds: boolean;
  /** Events named by their JSON `type` (or `event:` name). */
  types: Readonly<Record<string, TypedEvent>>;
  /** Events of any other type (all chunks of chat/completions). */
  other: TypedEvent;
  /** A chunk with `choices: []` and usage is the usage-only chunk. */
  usageOnlyChunk: boolean;
}

const RESPONSE_END: TypedEvent = { terminal: true, error: false, usage: 'response' };

/** The one table. */
export const STREAMS: Readonly<Record<StreamEndpoint, StreamShape>> = {
  chat_completions: {
    doneEnds: true,
    types: {},
    other: { terminal: false, error: false, usage: 'top' },
    usageOnlyChunk: true,
  },
  completions: {
    doneEnds: true,
    types: {},
    other: { terminal: false, error: false, usage: 'top' },
    usageOnlyChunk: true,
  },
  responses: {
    doneEnds: false,
    types: {
      'response.completed': RESPONSE_END,
      'response.incomplete': RESPONSE_END,
      'response.failed': RESPONSE_END,
      error: { terminal: true, error: true },
    },
    other: { terminal: false, error: false },
    usageOnlyChunk: false,
  },
};

const DONE = '[DONE]';

/** The meaning of one parsed event of a stream from `endpoint`. */
export function inspectEvent(endpoint: StreamEndpoint, ev: SseEvent): Readonly<EventInfo> | 'malformed' {
  const shape = STREAMS[endpoint];
  const data = ev.data;
  if (data === undefined) return PLAIN;
  if (data === DONE) return { terminal: shape.doneEnds, error: ev.event === 'error', usageOnly: false };

  const json = parseObject(data);
  if (json === undefined) return 'malformed';

  const typeField = json['type'];
  const type = typeof typeField === 'string' ? typeField : ev.event;
  const row = (type !== undefined && Object.hasOwn(shape.types, type) ? shape.types[type] : undefined) ?? shape.other;

  const error = row.error || ev.event === 'error' || (json['error'] !== undefined && json['error'] !== null);
  const usage = row.usage === undefined ? undefined : usageAt(json, row.usage);
  const choices = json['choices'];
  const usageOnly = shape.usageOnlyChunk && usage !== undefined && Array.isArray(choices) && choices.length === 0;

  if (!usage && !error && !row.terminal) return PLAIN; // nearly every chunk: no object per event
  const info: EventInfo = { terminal: row.terminal, error, usageOnly };
  if (usage) info.usage = usage;
  return info;
}

/** What an ordinary content chunk means: nothing. Shared (frozen): an object per chunk is garbage per chunk. */
const PLAIN: EventInfo = Object.freeze({ terminal: false, error: false, usageOnly: false });

function usageAt(json: Record<string, unknown>, at: UsageAt): Usage | undefined {
  if (at === 'top') return isRecord(json['usage']) ? usageFromBody({ usage: json['usage'] }) : undefined;
  const response = json['response'];
  return isRecord(response) ? usageFromBody({ usage: response['usage'] }) : undefined;
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(data);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
