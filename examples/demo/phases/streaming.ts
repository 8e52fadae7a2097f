/**
 * Phase 2, streaming: three SSE chat completions through the sidecar, chunk
 * for chunk. The usage chunk reaches the app only when it asked for it, and
 * the sidecar counts the tokens from each stream's final chunk either way.
 */
import { expect, expectAllOk } from '../check.js';
import { metric } from '../metrics.js';
import { int, ms, say, section, table } from '../report.js';
import { USAGE } from '../scenario.js';
import type { Stack } from '../stack.js';
import type { StreamReply } from '../traffic.js';

export async function phaseStreaming({ app, admin, summary }: Stack, relayUsers: string[], officialUsers: string[]): Promise<void> {
  section('2. streaming', '3 streamed chat completions (SSE through the sidecar, chunk for chunk)');
  const before = await admin.metrics();
  const runs: Array<[string, boolean]> = [[relayUsers[0]!, false], [officialUsers[0]!, false], [relayUsers[1] ?? relayUsers[0]!, true]];
  const replies: StreamReply[] = [];
  for (const [user, withUsage] of runs) replies.push(await app.askStream(user, withUsage));
  expectAllOk(replies, 'streaming');
  table([
    ['user', 'side', 'model', 'chunks', 'first chunk', 'total', 'include_usage', 'text'],
    ...replies.map((r, i) => [r.user, r.side, r.model, r.chunks, ms(r.firstChunkMs), ms(r.ms), runs[i]![1] ? 'asked → usage chunk kept' : 'not asked → stripped', JSON.stringify(r.text)]),
  ], 'lllrrrll');
  const after = await admin.metrics();
  const input = metric(after, 'bellwether_tokens_total', { kind: 'input' }) - metric(before, 'bellwether_tokens_total', { kind: 'input' });
  const output = metric(after, 'bellwether_tokens_total', { kind: 'output' }) - metric(before, 'bellwether_tokens_total', { kind: 'output' });
  say(`  usage read from each stream's final chunk: +${int(input)} input, +${int(output)} output tokens in bellwether_tokens_total`);
  expect(input === 3 * USAGE.prompt && output === 3 * USAGE.completion, `streamed usage: counted ${input}/${output} tokens, expected ${3 * USAGE.prompt}/${3 * USAGE.completion}`);
  expect(replies.every((r, i) => r.usageChunk === runs[i]![1]), 'streaming: the usage chunk was stripped or kept against what the app asked');
  expect(replies.every((r) => r.chunks >= 9), 'streaming: a stream arrived with fewer chunks than the upstream sent');
  const first = replies.map((r) => r.firstChunkMs);
  summary.push(['2 streaming', `${replies.length} streams, ${replies[0]!.chunks}–${Math.max(...replies.map((r) => r.chunks))} chunks each, first chunk after ${ms(Math.min(...first))}–${ms(Math.max(...first))}, usage counted`]);
}
