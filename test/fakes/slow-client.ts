/**
 * App clients that misbehave the way real ones do, on raw HTTP/1.1 (no SDK,
 * no fetch): a slow reader that makes the server hit backpressure, and a
 * curl-style upload with `Expect: 100-continue`. Used by integration tests;
 * must not import vitest.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawRequest {
  url: string; // absolute, e.g. `${sidecar.baseURL}/chat/completions`
  method?: string; // default POST with a body, GET without
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SlowReadOptions extends RawRequest {
  /** Bytes read per turn before pausing again (default 16 KiB; a turn may overshoot by one socket read). */
  readBytes?: number;
  /** Pause between turns (default 20 ms). */
  pauseMs?: number;
  /** Destroy the connection once this many body bytes have arrived: an app that goes away mid-reply. */
  abortAfterBytes?: number;
}

export interface SlowReadResult extends RawResponse {
  bytes: number; // body bytes received (the body is kept only up to `keepBytes`)
  aborted: boolean; // we went away at `abortAfterBytes`
  complete: boolean; // the response ended normally
  error?: Error; // the connection failed (not counting our own abort)
}

/**
 * Sends one request and reads the reply in turns: resume, take about `readBytes`, pause for
 * `pauseMs`. While paused, the socket is not read, so the server's writes back up (TCP window,
 * then its own buffers) and it sees `write() === false` and has to wait for `drain`.
 */
export function slowRead(opts: SlowReadOptions & { keepBytes?: number }): Promise<SlowReadResult> {
  const readBytes = opts.readBytes ?? 16 * 1024;
  const pauseMs = opts.pauseMs ?? 20;
  const keep = opts.keepBytes ?? 1024 * 1024;
  return new Promise((resolve) => {
    const req = request(opts);
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let bytes = 0;
    let aborted = false;
    let done = false;
    const finish = (complete: boolean, error?: Error): void => {
      if (done) return;
      done = true;
      const out: SlowReadResult = { status, headers, body: Buffer.concat(kept), bytes, aborted, complete };
      if (error && !aborted) out.error = error;
      resolve(out);
    };
    req.on('error', (err) => finish(false, err));
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      let turn = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keptBytes < keep) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
        if (opts.abortAfterBytes !== undefined && bytes >= opts.abortAfterBytes) {
          aborted = true;
          req.destroy();
          return finish(false);
        }
        turn += chunk.length;
        if (turn >= readBytes) {
          turn = 0;
          res.pause();
          void sleep(pauseMs).then(() => {
            if (!done) res.resume();
          });
        }
      });
      res.on('end', () => finish(true));
      res.on('error', (err) => finish(false, err));
      res.on('close', () => finish(res.complete));
    });
    req.end(opts.body);
  });
}

/**
 * What curl does with a body over 1 KiB: send the headers with `Expect: 100-continue`, wait for
 * `100 Continue` (or `waitMs`, default 1 s, whichever comes first), then send the body. If the
 * server answers with a final status before that, the body is not sent (as curl does).
 */
export function expectContinue(opts: RawRequest & { waitMs?: number }): Promise<RawResponse & { continued: boolean }> {
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : (opts.body ?? Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', expect: '100-continue', 'content-length': String(body.length), ...opts.headers };
    const req = request({ url: opts.url, method: opts.method ?? 'POST', headers }); // the body goes later, by hand
    let continued = false;
    let sent = false;
    let answered = false;
    const sendBody = (): void => {
      if (sent || answered) return;
      sent = true;
      clearTimeout(timer);
      req.end(body);
    };
    const timer = setTimeout(sendBody, opts.waitMs ?? 1000);
    req.on('continue', () => {
      continued = true;
      sendBody();
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      answered = true;
      clearTimeout(timer);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), continued });
        if (!sent) req.destroy(); // the body was never asked for
      });
      res.on('error', reject);
    });
    req.flushHeaders();
  });
}

function request(opts: RawRequest): http.ClientRequest {
  const url = new URL(opts.url);
  const hasBody = opts.body !== undefined;
  const headers: Record<string, string> = { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  if (hasBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(Buffer.byteLength(opts.body!));
  }
  return http.request({
    host: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method: opts.method ?? (hasBody ? 'POST' : 'GET'),
    headers,
    agent: false, // a connection of its own: nothing pooled, closed when done
  });
}
