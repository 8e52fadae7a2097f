/**
 * Server-sent events, as OpenAI-compatible APIs send them: events separated by
 * a blank line, `event:` names (Responses API), `data:` payloads, `:` comments.
 *
 * The splitter hands back complete events as the raw bytes that arrived, so
 * the sidecar forwards exactly what the upstream sent, event for event, and
 * only holds back the bytes of an event that has not finished arriving.
 *
 * Line endings follow the WHATWG SSE grammar: CRLF, LF or a bare CR. An event
 * ends at an empty line. Every byte is scanned once; the bytes of an
 * unfinished event are kept as a list of chunks and concatenated once, when
 * the event completes. One event may not grow beyond `maxEventBytes`.
 *
 * Two details of the raw output:
 * - Blank lines that precede an event (stray line endings between events)
 *   do not make events of their own: they are returned as the leading bytes
 *   of the next event. `parseEvent` skips them.
 * - An event whose terminating blank line is a bare CR that is the very last
 *   byte of a chunk is held back until the next byte shows whether an LF
 *   follows (it is then part of the same line ending), or until `end()`. So
 *   an event always comes out with the same bytes however the stream is cut.
 */

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** The default cap on the raw bytes of one event, terminator included. */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;

/** One event grew beyond the splitter's limit. The splitter is not usable afterwards. */
export class EventTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`server-sent event larger than the limit of ${limit} bytes`);
    this.name = 'EventTooLarge';
  }
}

export interface SseSplitterOptions {
  /** Cap on the raw bytes of one event, its terminator and any leading blank lines included. */
  maxEventBytes?: number;
}

export class SseSplitter {
  private readonly limit: number;
  /** The raw bytes of the event being assembled, as the chunks they arrived in. */
  private chunks: Buffer[] = [];
  private held = 0;
  /** The last byte seen was a CR: an LF that follows belongs to the same line ending. */
  private afterCR = false;
  /** ...and that CR ended the event, which waits for the LF (or its absence) to be complete. */
  private doneAtCR = false;
  /** The current line has bytes other than line endings. */
  private lineHasContent = false;
  /** The current event has a non-empty line (a later empty line ends it). */
  private eventHasContent = false;

  constructor(opts: SseSplitterOptions = {}) {
    this.limit = opts.maxEventBytes ?? MAX_EVENT_BYTES;
  }

  /** Bytes currently held back: the unfinished event. For a global memory budget. */
  get pendingBytes(): number {
    return this.held;
  }

  /**
   * Feed bytes; get back the events completed by them, raw, each including its
   * terminating blank line. Throws EventTooLarge when an event exceeds the cap.
   */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const n = chunk.length;
    let i = 0;
    /** Where the bytes of the current event begin in this chunk. */
    let from = 0;

    if (this.afterCR && n > 0) {
      this.afterCR = false;
      if (chunk[0] === LF) i = 1;
      if (this.doneAtCR) {
        this.doneAtCR = false;
        this.emit(out, chunk, 0, i);
        from = i;
      }
    }

    let nextLF = chunk.indexOf(LF, i);
    let nextCR = chunk.indexOf(CR, i);
    while (nextLF !== -1 || nextCR !== -1) {
      const p = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      if (p > i) this.lineHasContent = true;
      let end = p + 1;
      if (chunk[p] === CR) {
        if (p + 1 === n) this.afterCR = true;
        else if (chunk[p + 1] === LF) end = p + 2;
      }
      if (this.lineHasContent) {
        this.lineHasContent = false;
        this.eventHasContent = true;
      } else if (this.eventHasContent) {
        // An empty line: the event is complete.
        if (this.afterCR) {
          this.doneAtCR = true;
        } else {
          this.emit(out, chunk, from, end);
          from = end;
        }
      }
      i = end;
      if (nextLF !== -1 && nextLF < i) nextLF = chunk.indexOf(LF, i);
      if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf(CR, i);
    }
    if (i < n) this.lineHasContent = true;
    if (from < n) this.hold(chunk.subarray(from));
    return out;
  }

  /**
   * Call at EOF. The bytes of a final event that never got its blank line
   * (`data: [DONE]\n`, or no line ending at all), or undefined when nothing
   * but whitespace and line endings is pending. Resets the splitter.
   */
  end(): Buffer | undefined {
    const rest = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.held);
    this.reset();
    for (const b of rest) {
      if (b !== LF && b !== CR && b !== SPACE && b !== TAB) return rest;
    }
    return undefined;
  }

  private hold(part: Buffer): void {
    this.held += part.length;
    this.chunks.push(part);
    this.check(this.held);
  }

  /** Emit the held chunks plus chunk[from, to) as one event. */
  private emit(out: Buffer[], chunk: Buffer, from: number, to: number): void {
    const size = this.held + (to - from);
    this.check(size);
    // A chunk that is exactly one event (the common case) is passed on as is: no subarray, no new array.
    const tail = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    if (this.chunks.length === 0) {
      out.push(tail);
    } else {
      this.chunks.push(tail);
      out.push(Buffer.concat(this.chunks, size));
      this.chunks = [];
    }
    this.held = 0;
    this.eventHasContent = false;
  }

  private check(size: number): void {
    if (size > this.limit) {
      this.reset();
      throw new EventTooLarge(this.limit);
    }
  }

  private reset(): void {
    this.chunks = [];
    this.held = 0;
    this.afterCR = false;
    this.doneAtCR = false;
    this.lineHasContent = false;
    this.eventHasContent = false;
  }
}

export interface SseEvent {
  event?: string;
  /** The `data:` lines joined by "\n"; undefined for comment-only events. */
  data?: string;
}

const DATA_PREFIX = Buffer.from('data: ');

/** `raw` begins with `data: ` (compared byte by byte: a subarray per event is garbage per event). */
function startsWithDataPrefix(raw: Buffer): boolean {
  for (let i = 0; i < DATA_PREFIX.length; i++) if (raw[i] !== DATA_PREFIX[i]) return false;
  return true;
}
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The fields of one raw event: `data:` lines joined by "\n" (one leading space
 * after the colon dropped), the last `event:` name; comments (`:` lines) and
 * other fields ignored; a line without a colon is a field with an empty value.
 */
export function parseEvent(raw: Buffer): SseEvent {
  // Fast path, the shape of nearly every chunk: one `data: ...` line and "\n\n".
  const end = raw.length - 2;
  if (
    end > 6 &&
    raw[end] === LF &&
    raw[end + 1] === LF &&
    raw.indexOf(LF) === end &&
    raw.indexOf(CR) === -1 &&
    startsWithDataPrefix(raw)
  ) {
    return { data: raw.toString('utf8', 6, end) };
  }
  const text = raw.toString('utf8');
  const out: SseEvent = {};
  let data: string[] | undefined;
  for (const line of text.split(LINE_BREAK)) {
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

/** An event without data: comments such as the `: keep-alive` pings relays send while queueing. */
export function isCommentOnly(ev: SseEvent): boolean {
  return ev.data === undefined;
}

/** The explicit error event that ends a broken stream. Clients that parse `data:` see an OpenAI error object. */
export function errorEvent(body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

export function isEventStream(contentType: string | string[] | undefined): boolean {
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  return ct !== undefined && ct.toLowerCase().startsWith('text/event-stream');
}
