/**
 * App traffic: chat completions sent through the sidecar with the official
 * `openai` SDK, as user after user (`x-user-id`, the route's sticky key), and
 * what came back. A reply is `ok` only when the answer's text names the same
 * upstream and model as the sidecar's `x-bellwether-side`/`-model` headers.
 */
import type OpenAI from 'openai';

export interface Reply {
  user: string;
  ok: boolean;
  side: string;
  model: string;
  ms: number;
  error?: string;
}

export interface StreamReply extends Reply {
  chunks: number;
  firstChunkMs: number;
  text: string;
  usageChunk: boolean;
}

const messages = [{ role: 'user' as const, content: 'Where is my order #4417? It was due yesterday.' }];

function headerOf(h: Headers | undefined, name: string): string {
  return h?.get(name) ?? '?';
}

/** The app: one SDK client, and how many of its requests were sent and failed over the whole run. */
export class AppTraffic {
  sent = 0;
  failed = 0;

  constructor(private readonly client: OpenAI) {}

  /** One chat completion as `user`; the answer must come from the upstream the headers name. */
  async ask(user: string, model = 'gpt-4o'): Promise<Reply> {
    const t0 = performance.now();
    this.sent++;
    try {
      const { data, response } = await this.client.chat.completions
        .create({ model, messages }, { headers: { 'x-user-id': user } })
        .withResponse();
      const side = headerOf(response.headers, 'x-bellwether-side');
      const served = headerOf(response.headers, 'x-bellwether-model');
      const content = data.choices[0]?.message.content ?? '';
      // The fakes tag their answers `[official:gpt-4.1] …`: the body must agree with the headers.
      const ok = content.startsWith(`[${side}:${served}]`);
      if (!ok) this.failed++;
      return { user, ok, side, model: served, ms: performance.now() - t0, ...(ok ? {} : { error: `headers say ${side}/${served} but the answer is "${content}"` }) };
    } catch (err) {
      this.failed++;
      const e = err as { status?: number; headers?: Headers; message?: string };
      const code = e.headers?.get('x-bellwether-error');
      return { user, ok: false, side: headerOf(e.headers, 'x-bellwether-side'), model: '?', ms: performance.now() - t0, error: `${e.status ?? ''}${code ? ` ${code}` : ''} ${e.message ?? String(err)}`.trim() };
    }
  }

  /** One streamed chat completion as `user`, read chunk by chunk. */
  async askStream(user: string, includeUsage: boolean): Promise<StreamReply> {
    const t0 = performance.now();
    this.sent++;
    const out: StreamReply = { user, ok: false, side: '?', model: '?', ms: 0, chunks: 0, firstChunkMs: 0, text: '', usageChunk: false };
    try {
      const { data: stream, response } = await this.client.chat.completions
        .create({ model: 'gpt-4o', messages, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }, { headers: { 'x-user-id': user } })
        .withResponse();
      out.side = headerOf(response.headers, 'x-bellwether-side');
      out.model = headerOf(response.headers, 'x-bellwether-model');
      for await (const chunk of stream) {
        if (out.chunks++ === 0) out.firstChunkMs = performance.now() - t0;
        out.text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) out.usageChunk = true;
      }
      out.ok = out.text.startsWith(`[${out.side}:${out.model}]`);
      if (!out.ok) out.error = `headers say ${out.side}/${out.model} but the text is "${out.text}"`;
    } catch (err) {
      out.error = (err as Error).message;
    }
    out.ms = performance.now() - t0;
    if (!out.ok) this.failed++;
    return out;
  }
}

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function bySide<R extends Reply>(replies: R[]): { relay: R[]; official: R[] } {
  return { relay: replies.filter((r) => r.side === 'relay'), official: replies.filter((r) => r.side === 'official') };
}

/** The users whose replies came from the relay. */
export function relayUsers(replies: Reply[]): Set<string> {
  return new Set(bySide(replies).relay.map((r) => r.user));
}

/** Users whose replies came from both sides (a sticky split has none). */
export function usersOnBothSides(replies: Reply[]): string[] {
  const sides = new Map<string, Set<string>>();
  for (const r of replies) sides.set(r.user, (sides.get(r.user) ?? new Set()).add(r.side));
  return [...sides].filter(([, s]) => s.size > 1).map(([u]) => u);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)]!;
}
