/**
 * Why a request's AbortSignal fired. The reason decides what the app gets:
 * nothing when it went away itself, a 504 (or a final SSE error event) when
 * spec.timeouts.total ran out, a 503 (or a final SSE error event) when the
 * sidecar's shutdown deadline came first.
 */
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
