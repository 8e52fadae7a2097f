import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendBuffered, sendStream, type StreamEnd } from './respond.js';
import { SseSplitter } from './sse.js';
import { ByteBudget } from './budget.js';
import type { Committed } from './attempts.js';
import type { UpstreamBody } from './upstream-body.js';
import type { ReplyTap } from './tap.js';

const frame = (content: string): Buffer => Buffer.from(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`);
const DONE = Buffer.from('data: [DONE]\n\n');

/** An upstream body handing out `chunks`, then its end. */
function bodyOf(chunks: Buffer[]): UpstreamBody {
  const queue = [...chunks];
  return { next: async () => queue.shift() ?? null, abort: () => undefined } as unknown as UpstreamBody;
}

function committed(chunks: Buffer[]): Committed {
  return {
    kind: 'committed',
    candidate: { side: 'relay', model: 'deepseek-chat' },
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    reply: { kind: 'sse', events: [], splitter: new SseSplitter(), body: bodyOf(chunks), held: 0 },
    passedError: undefined,
    served: true,
    firstByteAt: 0,
    waitMs: 0,
    calls: 1,
  };
}

/** A tap that records its `end` calls, and throws on the event numbered `throwAt` (1-based), if given. */
function recordingTap(throwAt?: number): ReplyTap & { ends: boolean[] } {
  let n = 0;
  const ends: boolean[] = [];
  return {
    ends,
    event: () => {
      if (++n === throwAt) throw new Error('tap failed');
    },
    end: (complete) => ends.push(complete),
  };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** Serve one request with sendStream over a real socket; resolves with what sendStream did. */
async function stream(chunks: Buffer[], tap: ReplyTap): Promise<{ result: StreamEnd | Error; text: string | Error }> {
  let done!: (v: StreamEnd | Error) => void;
  const result = new Promise<StreamEnd | Error>((r) => (done = r));
  server = createServer((_req, res) => {
    const c = committed(chunks);
    if (c.reply.kind !== 'sse') throw new Error('unreachable');
    sendStream(res, c, c.reply, { side: 'relay', model: 'deepseek-chat', overheadMs: 0 }, {
      endpoint: 'chat_completions',
      stripUsage: false,
      scrub: undefined,
      ledger: new ByteBudget(1 << 20).ledger(),
      errorReason: () => 'cut',
      tap,
    }).then(done, (err: Error) => {
      res.destroy(); // what the server does with a handler that threw
      done(err);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const text = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch((e: Error) => e);
  return { result: await result, text };
}

describe('sendStream and its tap', () => {
  it('ends the tap once, complete, when the stream reached the app whole', async () => {
    const tap = recordingTap();
    const { result, text } = await stream([frame('a'), frame('b'), DONE], tap);
    expect(result).toEqual({ ok: true });
    expect(text).toContain('data: [DONE]');
    expect(tap.ends).toEqual([true]);
  });

  it('ends the tap once, incomplete, when relaying throws mid-stream (a shadow slot is never leaked)', async () => {
    const tap = recordingTap(2);
    const { result } = await stream([frame('a'), frame('b'), DONE], tap);
    expect(result).toBeInstanceOf(Error);
    expect(tap.ends).toEqual([false]);
  });
});

describe('sendBuffered and its tap', () => {
  it('ends the tap once, incomplete, when hearing the body throws; the app still gets its reply', async () => {
    const ends: boolean[] = [];
    const tap: ReplyTap = {
      body: () => {
        throw new Error('tap failed');
      },
      end: (complete) => void ends.push(complete),
    };
    let thrown: unknown;
    server = createServer((_req, res) => {
      const c = { ...committed([]), headers: { 'content-type': 'application/json' }, reply: { kind: 'json', body: Buffer.from('{"ok":true}') } } as Committed;
      try {
        sendBuffered(res, c, Buffer.from('{"ok":true}'), { side: 'official', model: 'gpt-4o', overheadMs: 0 }, undefined, tap);
      } catch (err) {
        thrown = err;
      }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).toBe('{"ok":true}');
    expect(String(thrown)).toContain('tap failed');
    expect(ends).toEqual([false]);
  });
});
