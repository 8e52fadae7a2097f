/**
 * A fake OpenAI-compatible upstream on a real loopback socket. It speaks the
 * wire format from `wire.ts` and injects faults on demand: slow answers, error
 * statuses, stalls, cut or corrupted streams, resets. Every request is recorded
 * before anything is sent back. Used by integration tests, the demo and
 * benchmarks, so it must not import vitest.
 *
 * Which behaviour answers a request: the queue (FIFO, `enqueue`), then the
 * request body's `model` (`onModel`), then the default (`setDefault`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import * as wire from './wire.js';

export type Usage = wire.Usage;

interface Answer {
  usage?: Usage; // default wire.DEFAULT_USAGE
  content?: string; // default `[<name>:<model>] hello`
}
export interface JsonBehavior extends Answer {
  kind: 'json';
  latencyMs?: number;
  status?: number;
}
/** Fault positions count SSE frames sent: role, content, finish and usage chunks alike. */
export interface SseBehavior extends Answer {
  kind: 'sse';
  latencyMs?: number; // before the status line and headers
  chunks?: number; // content deltas, default 3
  intervalMs?: number;
  firstChunkDelayMs?: number;
  cutAfter?: number; // destroy the socket after N frames (no terminator)
  resetAfter?: number; // send a TCP RST after N frames (ECONNRESET mid-stream)
  garbageAfter?: number; // send `data: {not json` after N frames, then carry on
  stallAfter?: number; // send N frames, then nothing until the client goes away
  endAfter?: number; // end cleanly after N frames without `[DONE]`: a truncated 200
  errorAfter?: number; // send an in-band error after N frames, then end the response
  errorAs?: 'data' | 'event'; // `data: {"error":…}` (default), or `event: error` + that data
  errorBody?: unknown; // the in-band error's data; default the OpenAI shape of a 500
  gated?: boolean; // every frame waits for `release()`
}
/** The initial default: JSON, or SSE when the body says `stream: true`; model list on GET /models; echo elsewhere. */
export interface AutoBehavior extends Omit<JsonBehavior, 'kind'>, Omit<SseBehavior, 'kind'> {
  kind: 'auto';
}
export interface StatusBehavior {
  kind: 'status';
  status: number;
  retryAfter?: string;
  retryAfterMs?: number;
  body?: unknown; // default an OpenAI-shaped error; a string goes out as text/plain (an HTML 502 page)
  latencyMs?: number;
}
export type Behavior =
  | JsonBehavior
  | SseBehavior
  | AutoBehavior
  | StatusBehavior
  | { kind: 'stall' } // read the body, never send headers
  | { kind: 'headers-then-stall' } // 200 + SSE headers, then nothing
  | { kind: 'reset' } // RST as soon as the body is read (ECONNRESET)
  | { kind: 'passthrough' }; // echo method, path, headers and a body digest as JSON

export interface RecordedRequest {
  seq: number; // 1-based, per fake, never reset
  method: string;
  path: string; // as sent, query string included
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON or undefined
  rawBody: Buffer;
  behavior: Behavior; // the one that answered
  chunksSent: number; // SSE frames written (not `[DONE]`, garbage or in-band errors)
  aborted: boolean; // the client left before the response was complete (not when the fake cut it)
  closed: Promise<void>; // resolves once the exchange is over: finished, aborted, cut or closed
}

export interface FakeUpstream {
  name: string;
  url: string; // base URL including `/v1`, e.g. http://127.0.0.1:PORT/v1
  port: number;
  requests: RecordedRequest[];
  enqueue(...b: Behavior[]): void;
  onModel(model: string, b: Behavior): void;
  setDefault(b: Behavior): void;
  /** Gated SSE: let n more frames go (default 1); credit carries over to frames not yet waiting. */
  release(n?: number): void;
  /** Clears the queue, the model map, the records and unused release credit; keeps the default. */
  reset(): void;
  /** Resolves with `requests` once at least `count` are recorded; rejects after `timeoutMs` (default 10 s). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Destroys every socket, stalled ones included, and stops listening. */
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  name?: string; // default 'upstream'
  host?: string; // default 127.0.0.1
  port?: number; // default 0
  models?: string[]; // listed by GET /models, besides every model given to `onModel`
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const DEFAULT_MODELS = ['gpt-4.1', 'gpt-4o-mini', 'deepseek-chat', 'kimi-k2', 'text-embedding-3-small'];

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const name = opts.name ?? 'upstream';
  const host = opts.host ?? '127.0.0.1';
  let queue: Behavior[] = [];
  const byModel = new Map<string, Behavior>();
  let fallback: Behavior = { kind: 'auto' };
  let credit = 0;
  let gateWaiters: Array<() => void> = [];
  const arrivals = new EventEmitter().setMaxListeners(0);
  let seq = 0;
  let closing: Promise<void> | undefined;
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(opts.port ?? 0, host);
  await once(server, 'listening'); // rejects on 'error', e.g. EADDRINUSE
  const { port } = server.address() as AddressInfo;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++seq;
    res.setHeader('x-fake-upstream', name);
    res.setHeader('x-request-id', `req_${name}_${n}`);
    const rawBody = await readBody(req);
    const ac = new AbortController();
    let cutByUs = false;
    let markClosed!: () => void;
    const rec: RecordedRequest = {
      seq: n,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: { ...req.headers },
      body: wire.parseJson(rawBody),
      rawBody,
      behavior: fallback,
      chunksSent: 0,
      aborted: false,
      closed: new Promise<void>((resolve) => (markClosed = resolve)),
    };
    res.once('close', () => {
      rec.aborted = !res.writableFinished && !cutByUs && closing === undefined;
      ac.abort();
      markClosed();
    });
    rec.behavior = pick(rec);
    requests.push(rec);
    arrivals.emit('request');
    const cut = (hard: boolean) => {
      cutByUs = true;
      if (hard) res.socket?.resetAndDestroy();
      else res.socket?.destroy();
    };
    await respond(rec, res, ac.signal, cut).catch((err: unknown) => {
      if (!ac.signal.aborted && !res.destroyed) throw err;
    });
  }

  function pick(rec: RecordedRequest): Behavior {
    const queued = queue.shift();
    if (queued) return queued;
    const model: unknown = rec.body?.model;
    return (typeof model === 'string' && byModel.get(model)) || fallback;
  }

  type Cut = (hard: boolean) => void;
  async function respond(rec: RecordedRequest, res: ServerResponse, signal: AbortSignal, cut: Cut): Promise<void> {
    const b = rec.behavior;
    const endpoint = wire.endpointOf(rec.method, rec.path);
    const model = typeof rec.body?.model === 'string' ? (rec.body.model as string) : 'unknown';
    const tag = `[${name}:${model}]`;
    switch (b.kind) {
      case 'stall':
        return;
      case 'headers-then-stall':
        return void res.writeHead(200, SSE_HEADERS).flushHeaders();
      case 'reset':
        return cut(true);
      case 'passthrough':
        return sendJson(res, 200, wire.echo(name, rec));
      case 'status': {
        if (b.latencyMs) await sleep(b.latencyMs, undefined, { signal });
        if (b.retryAfter !== undefined) res.setHeader('retry-after', b.retryAfter);
        if (b.retryAfterMs !== undefined) res.setHeader('retry-after-ms', String(b.retryAfterMs));
        if (typeof b.body === 'string') return void res.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.body);
        return sendJson(res, b.status, b.body === undefined ? wire.errorBody(b.status, tag) : b.body);
      }
      case 'json':
        return replyJson(b);
      case 'sse':
        return replyStream(b);
      case 'auto':
        if (!wire.BODY_ENDPOINTS.includes(endpoint)) return replyJson(b);
        if (rec.body === undefined) return sendJson(res, 400, wire.errorBody(400, tag, 'We could not parse the JSON body.'));
        return rec.body.stream === true ? replyStream(b) : replyJson(b);
    }

    function reply(a: Answer): wire.Reply {
      const content = a.content ?? `${tag} hello`;
      const created = Math.floor(Date.now() / 1000);
      return { id: `fake${rec.seq}`, created, model, content, usage: a.usage ?? wire.DEFAULT_USAGE };
    }

    async function replyJson(j: Omit<JsonBehavior, 'kind'>): Promise<void> {
      if (j.latencyMs) await sleep(j.latencyMs, undefined, { signal });
      const models = [...(opts.models ?? DEFAULT_MODELS), ...byModel.keys()];
      const body = wire.jsonBody(endpoint, reply(j), rec.body, rec.path, models, name) ?? wire.echo(name, rec);
      sendJson(res, j.status ?? 200, body);
    }

    async function replyStream(s: Omit<SseBehavior, 'kind'>): Promise<void> {
      const includeUsage = rec.body?.stream_options?.include_usage === true;
      const stream = wire.streamOf(endpoint, reply(s), s.chunks ?? 3, includeUsage);
      if (!stream) return replyJson(s);
      if (s.latencyMs) await sleep(s.latencyMs, undefined, { signal });
      res.writeHead(200, SSE_HEADERS).flushHeaders();
      if (s.firstChunkDelayMs) await sleep(s.firstChunkDelayMs, undefined, { signal });
      for (let i = 0; ; i++) {
        if (i === s.cutAfter) return cut(false);
        if (i === s.resetAfter) return cut(true);
        if (i === s.stallAfter) return;
        if (i === s.endAfter) return void res.end();
        if (i === s.errorAfter) {
          const body = s.errorBody ?? wire.errorBody(500, tag);
          return void res.end(s.errorAs === 'event' ? wire.sseEvent('error', body) : wire.sseData(body));
        }
        if (i === s.garbageAfter) await write(res, wire.SSE_GARBAGE, signal);
        const frame = stream.frames[i];
        if (frame === undefined) break;
        if (s.gated) await gate(signal);
        else if (i > 0 && s.intervalMs) await sleep(s.intervalMs, undefined, { signal });
        else await tick();
        await write(res, frame, signal);
        rec.chunksSent++;
      }
      res.end(stream.terminator);
    }
  }

  /** Waits for one unit of `release()` credit. */
  function gate(signal: AbortSignal): Promise<void> {
    if (credit > 0) return Promise.resolve(void credit--);
    return new Promise<void>((resolve, reject) => {
      const go = () => {
        signal.removeEventListener('abort', stop);
        resolve();
      };
      const stop = () => {
        gateWaiters = gateWaiters.filter((w) => w !== go);
        reject(signal.reason);
      };
      gateWaiters.push(go);
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  return {
    name,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    requests,
    enqueue: (...b) => void queue.push(...b),
    onModel: (model, b) => void byModel.set(model, b),
    setDefault: (b) => void (fallback = b),
    release(n = 1) {
      credit += n;
      while (credit > 0 && gateWaiters.length > 0) {
        credit--;
        gateWaiters.shift()!();
      }
    },
    reset() {
      queue = [];
      byModel.clear();
      requests.length = 0;
      credit = 0;
    },
    async waitForRequests(count, timeoutMs = 10_000) {
      const signal = AbortSignal.timeout(timeoutMs); // its timer does not hold the process open
      while (requests.length < count) {
        await once(arrivals, 'request', { signal }).catch(() => {
          throw new Error(`fake upstream ${name}: ${requests.length} of ${count} requests after ${timeoutMs} ms`);
        });
      }
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

/** Rejects when the client goes away mid-body. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
}

/** Resolves once the frame is handed to the socket, so a cut right after loses nothing already "sent". */
function write(res: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    res.write(text, (err) => {
      signal.removeEventListener('abort', stop);
      if (err) reject(err);
      else resolve();
    });
  });
}
