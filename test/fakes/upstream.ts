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
import { constants as zlibConstants, createGzip, gzipSync } from 'node:zlib';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import * as wire from './wire.js';

export type Usage = wire.Usage;

interface Answer {
  usage?: Usage; // default wire.DEFAULT_USAGE
  content?: string; // default `[<name>:<model>] hello`
}
/**
 * Where a hostile upstream echoes the Bearer token it received:
 *  - `header`: a response header `x-echo-authorization: Bearer <key>` (any kind);
 *  - `error-event`: streams send `data: {"error":{"message":"invalid key <key>",…}}` after the first
 *    frame and end (a JSON reply answers 500 with that error body);
 *  - `masked-body`: a 401 with OpenAI's exact body, the key masked as `wire.maskKey` does
 *    (`Incorrect API key provided: sk-a*****wxyz. You can find …`); `status` keeps its own status;
 *  - `body`: a 200 whose content is `your key is <key>` (`status`: its error message carries the key).
 */
export type EchoKey = 'header' | 'error-event' | 'masked-body' | 'body';
/** Faults of a relay that ignores what it is asked for; on `json`, `sse`, `status` and `auto`. */
interface Hostile {
  /** Gzip the body and send `content-encoding: gzip` whatever the request's `accept-encoding`; SSE is flushed per frame. */
  gzip?: boolean;
  echoKey?: EchoKey;
}
/** A body sent as is, e.g. `200 text/html` with a CDN error page, or `200 application/json` that is not JSON. */
interface RawReply {
  contentType?: string; // overrides the content type (default: application/json, text/plain for a string `body`)
  rawBody?: string; // sent instead of the JSON body
}
export interface JsonBehavior extends Answer, Hostile, RawReply {
  kind: 'json';
  latencyMs?: number;
  status?: number;
}
/** Fault positions count SSE frames sent: role, content, finish and usage chunks alike. */
export interface SseBehavior extends Answer, Hostile {
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
  pingsBefore?: number; // SSE comments (`: keep-alive`) after the headers, before the first frame; with `cutAfter: 0`, a relay that pings while queueing, then dies
  pingIntervalMs?: number; // between pings (default: none)
  hugeEventBytes?: number; // the first content delta carries about this many bytes of content, written in ~64 KiB slices
  lineEnding?: 'lf' | 'crlf' | 'cr'; // every line ending of every frame, blank-line terminators and `[DONE]` included (default lf)
  doneWithoutBlankLine?: boolean; // the last frame is `data: [DONE]` + one line ending, then the response ends
  responsesTerminal?: wire.ResponseTerminal; // streamed /responses end with `response.<this>` (default completed)
}
/** The initial default: JSON, or SSE when the body says `stream: true`; model list on GET /models; echo elsewhere. */
export interface AutoBehavior extends Omit<JsonBehavior, 'kind'>, Omit<SseBehavior, 'kind'> {
  kind: 'auto';
}
export interface StatusBehavior extends Hostile, RawReply {
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
const HUGE_SLICE = 64 * 1024; // how a huge frame trickles out, like a real socket's reads
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
    const key = bearer(rec.headers.authorization);
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
        echoHeader(b);
        if (b.echoKey === 'masked-body') return send(b, b.status, wire.invalidKeyBody(key));
        if (b.echoKey !== undefined && b.echoKey !== 'header') return send(b, b.status, wire.errorBody(b.status, tag, `invalid key ${key}`));
        if (typeof b.body === 'string') return send({ contentType: 'text/plain', ...b, rawBody: b.rawBody ?? b.body }, b.status, undefined);
        return send(b, b.status, b.body === undefined ? wire.errorBody(b.status, tag) : b.body);
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

    function reply(a: Answer & Hostile): wire.Reply {
      const content = a.echoKey === 'body' ? `your key is ${key}` : (a.content ?? `${tag} hello`);
      const created = Math.floor(Date.now() / 1000);
      return { id: `fake${rec.seq}`, created, model, content, usage: a.usage ?? wire.DEFAULT_USAGE };
    }

    function echoHeader(h: Hostile): void {
      if (h.echoKey === 'header') res.setHeader('x-echo-authorization', `Bearer ${key}`);
    }

    /** Sends a whole body: `rawBody` as is, else `json` serialised; gzipped when asked, whatever the client accepts. */
    function send(o: Hostile & RawReply, status: number, json: unknown): void {
      const text = o.rawBody ?? JSON.stringify(json);
      const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
      let payload: string | Buffer = text;
      if (o.gzip) {
        payload = gzipSync(text);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(Buffer.byteLength(payload));
      res.writeHead(status, headers).end(payload);
    }

    async function replyJson(j: Omit<JsonBehavior, 'kind'>): Promise<void> {
      if (j.latencyMs) await sleep(j.latencyMs, undefined, { signal });
      echoHeader(j);
      if (j.echoKey === 'masked-body') return send(j, 401, wire.invalidKeyBody(key));
      if (j.echoKey === 'error-event') return send(j, 500, wire.errorBody(500, tag, `invalid key ${key}`));
      const models = [...(opts.models ?? DEFAULT_MODELS), ...byModel.keys()];
      const body = wire.jsonBody(endpoint, reply(j), rec.body, rec.path, models, name) ?? wire.echo(name, rec);
      send(j, j.status ?? 200, body);
    }

    async function replyStream(s: Omit<SseBehavior, 'kind'>): Promise<void> {
      if (s.echoKey === 'masked-body') return replyJson(s);
      const includeUsage = rec.body?.stream_options?.include_usage === true;
      const r = reply(s);
      let parts: wire.Parts = s.chunks ?? 3;
      if (s.hugeEventBytes !== undefined) {
        const huge = 'x'.repeat(s.hugeEventBytes);
        parts = [huge, ...wire.splitContent(r.content, s.chunks ?? 3)];
        r.content = huge + r.content;
      }
      const stream = wire.streamOf(endpoint, r, parts, includeUsage, s.responsesTerminal);
      if (!stream) return replyJson(s);
      if (s.latencyMs) await sleep(s.latencyMs, undefined, { signal });
      echoHeader(s);
      const out = sseSink(res, signal, s);
      if (s.pingsBefore) {
        for (let p = 0; p < s.pingsBefore; p++) {
          if (p > 0 && s.pingIntervalMs) await sleep(s.pingIntervalMs, undefined, { signal });
          await out.write(wire.SSE_PING);
        }
      }
      if (s.firstChunkDelayMs) await sleep(s.firstChunkDelayMs, undefined, { signal });
      const errorAfter = s.echoKey === 'error-event' ? Math.min(1, s.errorAfter ?? 1) : s.errorAfter;
      for (let i = 0; ; i++) {
        if (i === s.cutAfter) return cut(false);
        if (i === s.resetAfter) return cut(true);
        if (i === s.stallAfter) return;
        if (i === s.endAfter) return out.end('');
        if (i === errorAfter) {
          const body = s.echoKey === 'error-event' ? wire.errorBody(500, tag, `invalid key ${key}`) : (s.errorBody ?? wire.errorBody(500, tag));
          return out.end(s.errorAs === 'event' ? wire.sseEvent('error', body) : wire.sseData(body));
        }
        if (i === s.garbageAfter) await out.write(wire.SSE_GARBAGE);
        const frame = stream.frames[i];
        if (frame === undefined) break;
        if (s.gated) await gate(signal);
        else if (i > 0 && s.intervalMs) await sleep(s.intervalMs, undefined, { signal });
        else await tick();
        if (frame.length > HUGE_SLICE) {
          for (let at = 0; at < frame.length; at += HUGE_SLICE) await out.write(frame.slice(at, at + HUGE_SLICE));
        } else {
          await out.write(frame);
        }
        rec.chunksSent++;
      }
      const terminator = s.doneWithoutBlankLine && stream.terminator === wire.SSE_DONE ? 'data: [DONE]\n' : stream.terminator;
      out.end(terminator);
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
function write(res: ServerResponse, text: string | Buffer, signal: AbortSignal): Promise<void> {
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

function bearer(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.replace(/^Bearer\s+/i, '') ?? '';
}

interface SseSink {
  /** Resolves once `text` is handed to the socket (through gzip, when on). */
  write(text: string): Promise<void>;
  end(text: string): void;
}

/** Writes SSE text with the behaviour's line endings, gzipped (flushed per frame) when asked. */
function sseSink(res: ServerResponse, signal: AbortSignal, s: Pick<SseBehavior, 'lineEnding' | 'gzip'>): SseSink {
  const eol = s.lineEnding === 'crlf' ? '\r\n' : s.lineEnding === 'cr' ? '\r' : '\n';
  const lines = (text: string): string => (eol === '\n' ? text : text.replace(/\n/g, eol));
  if (!s.gzip) {
    res.writeHead(200, SSE_HEADERS).flushHeaders();
    return {
      write: (text) => write(res, lines(text), signal),
      end: (text) => void res.end(lines(text)),
    };
  }
  res.writeHead(200, { ...SSE_HEADERS, 'content-encoding': 'gzip' }).flushHeaders();
  const gz = createGzip();
  let written: Promise<void> = Promise.resolve();
  gz.on('data', (chunk: Buffer) => {
    written = write(res, chunk, signal).catch(() => undefined); // an abort is seen by `flushed`
  });
  gz.on('end', () => res.end());
  gz.on('error', () => res.destroy());
  res.once('close', () => gz.destroy());
  const flushed = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      gz.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve());
    }).then(() => tick()).then(() => written);
  return {
    async write(text) {
      gz.write(lines(text));
      await flushed();
    },
    end: (text) => void gz.end(lines(text)),
  };
}
