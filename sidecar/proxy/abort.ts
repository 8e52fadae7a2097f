/**
 * Why a request's abort signal fired (`RequestSignal`, below). The reason decides what the app gets:
 * nothing when it went away itself, a 504 (or a final SSE error event) when
 * spec.timeouts.total ran out, a 503 (or a final SSE error event) when the
 * sidecar's shutdown deadline came first.
 */
import type { AbortLike } from '../clock.js';

export class ClientGone extends Error {
  constructor() {
    super('the app closed the connection');
  }
}

export class TotalTimeout extends Error {
  constructor(ms: number) {
    super(`The request took longer than spec.timeouts.total (${ms} ms).`);
  }
}

export class ShuttingDown extends Error {
  constructor() {
    super('The sidecar is shutting down (the pod is terminating) and ended the request; retry it.');
  }
}

/**
 * An abort switch — of a request, of one upstream attempt, of a shadow copy:
 * the part of an AbortController the request path uses, without one each
 * (creating an AbortController costs ~3 µs of CPU in Node 20, and its
 * EventTarget is garbage afterwards). Listeners run once, as with
 * `{ once: true }`, which is how every caller adds them. Unlike an
 * AbortSignal it does not de-duplicate listeners, keeps (and never calls) one
 * added after the abort, and lets a listener's throw out of `abort()`: its
 * listeners are the sidecar's own, and none throws.
 */
export class RequestSignal implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.#listeners?.indexOf(listener) ?? -1;
    if (i !== -1) this.#listeners!.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const l of listeners) l();
  }
}

/** Where a request keeps its upstream attempt in flight, so the server can abort that attempt with the request. */
export interface AttemptSlot {
  current?: RequestSignal | undefined;
}
