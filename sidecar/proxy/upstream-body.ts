/**
 * An upstream reply body, fed chunk by chunk by the undici dispatch handler
 * (`upstream.ts`: `push`, `end`, `fail`) and read with `next()`, decoded when
 * the upstream compressed it, with the `idle` timeout (spec.timeouts.idle) on
 * a plain timer.
 *
 * No `Readable` in between: a chunk that arrives while the reader waits goes
 * straight to it (one promise), and one that arrives first waits in a small
 * queue. When the queue holds more than `HIGH_WATER` bytes, `push` returns
 * false and the handler pauses the upstream socket until the reader catches up
 * (`resume`): a slow app slows the upstream, it does not fill memory.
 *
 * The idle timer runs only while the sidecar is waiting for bytes that have
 * not arrived: time the app spends reading slowly (backpressure) is not the
 * upstream being idle. One timer per body, re-armed with `refresh()`.
 *
 * Encodings: the sidecar asks for `accept-encoding: identity` because it
 * reads replies (usage, SSE events). A relay that ignores that and answers
 * gzip, deflate or br is decoded here, so a healthy relay does not look
 * malformed; anything else (zstd, unknown) is `undecodable` and left as is.
 */
import { pipeline, type Transform } from 'node:stream';
import { decoders } from './content-encoding.js';

export class IdleTimeout extends Error {
  readonly code = 'BW_IDLE_TIMEOUT';
  constructor(ms: number) {
    super(`the upstream sent nothing for ${ms} ms (spec.timeouts.idle)`);
  }
}

export type Encoding = 'identity' | 'decoded' | 'undecodable';

/** Bytes queued for the reader above which the upstream is paused (a Readable's default for bytes). */
export const HIGH_WATER = 64 * 1024;

export interface BodyHooks {
  /** Stop the upstream request (undici's abort). */
  abort?: (reason: Error) => void;
  /** Let a paused upstream send again. */
  resume?: () => void;
  /** Runs once when the body ended, failed or was aborted. */
  onDone?: () => void;
}

export class UpstreamBody {
  readonly encoding: Encoding;
  readonly #queue: Buffer[] = [];
  #head = 0;
  #queued = 0;
  #ended = false;
  #error: Error | undefined;
  #waiter: { resolve: (b: Buffer | null) => void; reject: (e: Error) => void } | undefined;
  #idle: NodeJS.Timeout | undefined;
  /** performance.now() when the reader last started waiting for bytes. */
  #waitSince = 0;
  /** The idle timer starts after the first bytes: before them `firstByte` applies, not `idle`. */
  #gotFirst = false;
  /** The queue is over HIGH_WATER: the upstream (or the decoder's output) is paused. */
  #paused = false;
  /** The decoder's input is full: the upstream is paused until it drains. */
  #inputFull = false;
  readonly #idleMs: number;
  readonly #hooks: BodyHooks;
  /** For an encoded body: where raw bytes go in, and where decoded bytes come out. */
  readonly #decoder: { input: Transform; output: Transform } | undefined;

  constructor(contentEncoding: string | string[] | undefined, idleMs: number, hooks: BodyHooks = {}) {
    const ds = decoders(contentEncoding);
    this.encoding = ds === undefined ? 'undecodable' : ds.length > 0 ? 'decoded' : 'identity';
    this.#idleMs = idleMs;
    this.#hooks = hooks;
    this.#decoder = ds !== undefined && ds.length > 0 ? this.#decode(ds) : undefined;
  }

  // --- the writer's side (the dispatch handler) ---

  /** A chunk from the upstream. False: pause the upstream until `hooks.resume`. */
  push(chunk: Buffer): boolean {
    if (this.#error) return true; // aborted: undici is dropping the rest
    if (this.#decoder) {
      if (!this.#decoder.input.write(chunk)) this.#inputFull = true;
      return !this.#inputFull;
    }
    this.#enqueue(chunk);
    return !this.#paused;
  }

  /** The upstream finished the body. */
  end(): void {
    if (this.#decoder) {
      this.#decoder.input.end();
      return;
    }
    this.#ended = true;
    this.#wake();
  }

  /** The upstream request failed after the headers. */
  fail(err: Error): void {
    this.#error ??= err;
    this.#decoder?.input.destroy(err);
    this.#wake();
  }

  // --- the reader's side ---

  /** The next chunk, or null at the end. Rejects when the body failed, stalled or was aborted. */
  next(): Promise<Buffer | null> {
    const chunk = this.#take();
    if (chunk !== undefined) {
      this.#gotFirst = true;
      return Promise.resolve(chunk);
    }
    if (this.#error) {
      this.#done();
      return Promise.reject(this.#error);
    }
    if (this.#ended) {
      this.#done();
      return Promise.resolve(null);
    }
    return new Promise((resolve, reject) => this.#wait(resolve, reject));
  }

  /** `next()` with callbacks, no promise: for the dispatch handler's wait for the first bytes. */
  read(resolve: (b: Buffer | null) => void, reject: (e: Error) => void): void {
    const chunk = this.#take();
    if (chunk !== undefined) {
      this.#gotFirst = true;
      return resolve(chunk);
    }
    if (this.#error) {
      this.#done();
      return reject(this.#error);
    }
    if (this.#ended) {
      this.#done();
      return resolve(null);
    }
    this.#wait(resolve, reject);
  }

  /** The upstream ended the body and every byte has been read: a `next()` would only say null. */
  get drained(): boolean {
    return this.#ended && this.#error === undefined && this.#head === this.#queue.length;
  }

  #wait(resolve: (b: Buffer | null) => void, reject: (e: Error) => void): void {
    this.#waiter = { resolve, reject };
    if (this.#gotFirst && this.#idleMs > 0) {
      // Lazily: the wait's start is noted, and a timer that fires early re-arms itself for
      // the rest (no timer operation per chunk; re-arming a timer per chunk was ~0.6 % of a stream's CPU).
      this.#waitSince = performance.now();
      if (!this.#idle) this.#arm(this.#idleMs);
    }
  }

  /** Stop reading and let the upstream go (the app left, the stream is broken, a timeout). */
  abort(reason: Error): void {
    const first = this.#error === undefined && !this.#ended;
    this.#error ??= reason;
    this.#queue.length = 0;
    this.#head = 0;
    this.#queued = 0;
    if (this.#decoder) {
      this.#decoder.input.destroy(reason);
      this.#decoder.output.destroy(reason);
    }
    if (first) this.#hooks.abort?.(reason);
    this.#wake();
  }

  #enqueue(chunk: Buffer): void {
    const w = this.#waiter;
    if (w && this.#head === this.#queue.length) {
      // The reader is waiting: hand the chunk over without queueing it.
      this.#waiter = undefined;
      this.#gotFirst = true;
      w.resolve(chunk);
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued > HIGH_WATER) this.#pause();
    this.#wake();
  }

  #take(): Buffer | undefined {
    if (this.#head === this.#queue.length) return undefined;
    const chunk = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as unknown as Buffer;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    this.#queued -= chunk.length;
    if (this.#paused && this.#queued <= HIGH_WATER / 2) this.#unpause();
    else if (this.#ended && this.#queue.length === 0) this.#done(); // the last byte read: done now, a reader may stop at `drained`
    return chunk;
  }

  #pause(): void {
    this.#paused = true;
    this.#decoder?.output.pause();
  }

  #unpause(): void {
    this.#paused = false;
    if (this.#decoder) this.#decoder.output.resume();
    else this.#hooks.resume?.();
  }

  #wake(): void {
    const w = this.#waiter;
    if (!w) {
      if (this.#error || (this.#ended && this.#head === this.#queue.length)) this.#done();
      return;
    }
    const chunk = this.#take();
    if (chunk !== undefined) {
      this.#waiter = undefined;
      this.#gotFirst = true;
      w.resolve(chunk);
    } else if (this.#error) {
      this.#waiter = undefined;
      this.#done();
      w.reject(this.#error);
    } else if (this.#ended) {
      this.#waiter = undefined;
      this.#done();
      w.resolve(null);
    }
  }

  /** Decoders in a chain; decoded bytes are queued like plain ones, backpressure goes back through them. */
  #decode(ds: Transform[]): { input: Transform; output: Transform } {
    const input = ds[0]!;
    const output = ds[ds.length - 1]!;
    if (ds.length > 1) pipeline(ds, (err) => err && this.fail(err));
    input.on('drain', () => {
      if (!this.#inputFull) return;
      this.#inputFull = false;
      this.#hooks.resume?.();
    });
    for (const d of ds) d.on('error', (err: Error) => this.fail(err));
    output.on('data', (chunk: Buffer) => this.#enqueue(chunk));
    output.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    return { input, output };
  }

  #arm(ms: number): void {
    this.#idle = setTimeout(() => this.#onIdle(), ms);
    this.#idle.unref();
  }

  #onIdle(): void {
    this.#idle = undefined;
    if (!this.#waiter || this.#error || this.#ended) return; // not waiting: the app is the slow one, or the body is done
    const left = this.#idleMs - (performance.now() - this.#waitSince);
    if (left > 1) return this.#arm(left); // this wait started after the timer was set
    this.abort(new IdleTimeout(this.#idleMs));
  }

  #stopTimer(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
  }

  #done(): void {
    this.#stopTimer();
    const f = this.#hooks.onDone;
    if (!f) return;
    (this.#hooks as { onDone?: () => void }).onDone = undefined;
    f();
  }
}
