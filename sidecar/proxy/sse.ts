/**
 * Server-sent events, as OpenAI-compatible APIs send them: events separated by
 * a blank line, `event:` names (Responses API), `data:` payloads, `:` comments.
 *
 * The splitter hands back complete events as the raw bytes that arrived, so
 * the sidecar forwards exactly what the upstream sent, event for event, and
 * only holds back the bytes of an event that has not finished arriving.
 */

const LF = 0x0a;
const CR = 0x0d;

export class SseSplitter {
  private pending: Buffer | undefined;

  /** Feed bytes; get back the events completed by them (raw, terminator included). */
  push(chunk: Buffer): Buffer[] {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const events: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] !== LF) continue;
      // An event ends at "\n\n" or "\r\n\r\n".
      if (buf[i + 1] === LF) {
        events.push(buf.subarray(start, i + 2));
        start = i + 2;
        i++;
      } else if (buf[i + 1] === CR && buf[i + 2] === LF) {
        events.push(buf.subarray(start, i + 3));
        start = i + 3;
        i += 2;
      }
    }
    this.pending = start < buf.length ? buf.subarray(start) : undefined;
    return events;
  }

  /** Bytes of an unfinished event, if the stream ended in the middle of one. */
  leftover(): Buffer | undefined {
    return this.pending;
  }
}

export interface SseEvent {
  event?: string;
  /** The `data:` lines joined by "\n"; undefined for comment-only events. */
  data?: string;
}

const DATA_PREFIX = Buffer.from('data: ');

export function parseEvent(raw: Buffer): SseEvent {
  // Fast path, the shape of nearly every chunk: one `data: ...` line and "\n\n".
  const end = raw.length - 2;
  if (end > 6 && raw[end] === LF && raw[end + 1] === LF && raw.indexOf(LF) === end && raw.subarray(0, 6).equals(DATA_PREFIX)) {
    return { data: raw.toString('utf8', 6, end) };
  }
  const text = raw.toString('utf8');
  const out: SseEvent = {};
  let data: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') (data ??= []).push(value);
    else if (field === 'event') out.event = value;
  }
  if (data) out.data = data.join('\n');
  return out;
}

/** The explicit error event that ends a broken stream. Clients that parse `data:` see an OpenAI error object. */
export function errorEvent(body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

export function isEventStream(contentType: string | string[] | undefined): boolean {
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  return ct !== undefined && ct.toLowerCase().startsWith('text/event-stream');
}
