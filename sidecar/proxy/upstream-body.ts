/**
 * An upstream reply body, read chunk by chunk with `next()`, decoded when the
 * upstream compressed it, and with the `idle` timeout (spec.timeouts.idle)
 * on a plain timer.
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
import { pipeline, type Readable } from 'node:stream';
import { decoders } from './content-encoding.js';

export class IdleTimeout extends Error {
  readonly code = 'BW_IDLE_TIMEOUT';
  constructor(ms: number) {
    super(`the upstream sent nothing for ${ms} ms (spec.timeouts.idle)`);
  }
}

export type Encoding = 'identity' | 'decoded' | 'undecodable';

export class UpstreamBody {
  readonly encoding: Encoding;
  readonly #stream: Readable;
  readonly #raw: Readable;
  #ended = false;
  #error: Error | undefined;
  #waiter: { resolve: (b: Buffer | null) => void; reject: (e: Error) => void } | undefined;
  #idle: NodeJS.Timeout | undefined;
  /** The idle timer starts after the first bytes: before them `firstByte` applies, not `idle`. */
  #gotFirst = false;
  readonly #idleMs: number;
  #onDone: (() => void) | undefined;

  /** `onDone` runs once when the body ended, failed or was destroyed. */
  constructor(raw: Readable, contentEncoding: string | string[] | undefined, idleMs: number, onDone?: () => void) {
    this.#raw = raw;
    const ds = decoders(contentEncoding);
    this.encoding = ds === undefined ? 'undecodable' : ds.length > 0 ? 'decoded' : 'identity';
    this.#stream = ds !== undefined && ds.length > 0 ? (pipeline([raw, ...ds], () => undefined) as unknown as Readable) : raw;
    this.#idleMs = idleMs;
    this.#onDone = onDone;
    this.#stream.on('readable', () => this.#wake());
    this.#stream.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    this.#stream.on('error', (err: Error) => {
      this.#error ??= err;
      this.#wake();
    });
    this.#stream.on('close', () => {
      if (!this.#ended) this.#error ??= new Error('the upstream body closed early');
      this.#wake();
    });
  }

  /** The next chunk, or null at the end. Rejects when the body failed, stalled or was aborted. */
  next(): Promise<Buffer | null> {
    const chunk = this.#read();
    if (chunk !== undefined) {
      this.#gotFirst = true;
      return Promise.resolve(chunk);
    }
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return this.#finish();
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      if (this.#gotFirst && this.#idleMs > 0) {
        if (this.#idle) this.#idle.refresh();
        else {
          this.#idle = setTimeout(() => this.#onIdle(), this.#idleMs);
          this.#idle.unref();
        }
      }
    });
  }

  /** Stop reading and let the upstream go (the app left, the stream is broken, a timeout). */
  abort(reason: Error): void {
    this.#error ??= reason;
    this.#raw.destroy(reason);
    if (this.#stream !== this.#raw) this.#stream.destroy(reason);
    this.#wake();
  }

  #read(): Buffer | null | undefined {
    const chunk = this.#stream.read() as Buffer | null;
    return chunk === null ? undefined : chunk;
  }

  #wake(): void {
    const w = this.#waiter;
    if (!w) {
      if (this.#error || this.#ended) this.#done();
      return;
    }
    const chunk = this.#read();
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

  #finish(): Promise<null> {
    this.#done();
    return Promise.resolve(null);
  }

  #onIdle(): void {
    if (!this.#waiter) return; // not waiting: the app is the slow one, or the body is done
    this.abort(new IdleTimeout(this.#idleMs));
  }

  #done(): void {
    if (this.#idle) clearTimeout(this.#idle);
    const f = this.#onDone;
    this.#onDone = undefined;
    f?.();
  }
}
