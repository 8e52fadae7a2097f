/**
 * `make demo`: the real sidecar (dist/sidecar/main.js, as a child process)
 * between the official `openai` SDK and two fake upstreams on loopback —
 * "official" standing in for api.openai.com and "relay" for
 * api.holysheep.ai — in six phases: canary split, streaming, a weight flip,
 * tokens and cost, a relay failure ending in the automatic rollback, and the
 * resume. It prints what a platform engineer would look at and checks it as it
 * goes: a failed expectation ends the run with a message and exit code 1, so
 * the demo doubles as a smoke test. The sidecar, the fakes and the temp dir
 * are cleaned up on every exit path, Ctrl-C included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { parseDocument } from 'yaml';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest, type Usage } from '../test/fakes/upstream.js';

const APP_KEY = 'demo-app-key';
const RELAY_KEY = 'hs-demo-relay-key-7f3a9c21';
const USERS = Array.from({ length: 40 }, (_, i) => `user-${String(i + 1).padStart(2, '0')}`);
/** What every fake answer reports: a support-bot sized prompt, part of it cached. */
const USAGE: Usage = { prompt: 1200, completion: 350, cached: 400 };
/** The savings baseline: the gpt-4* rule's official model. */
const OFFICIAL_MODEL = 'gpt-4.1';
const LATENCY = {
  official: { latencyMs: 120, intervalMs: 20 },
  relay: { latencyMs: 40, intervalMs: 10 },
};
const ROUTE_TEMPLATE = new URL('../../examples/demo-route.yaml', import.meta.url);
const SIDECAR_MAIN = new URL('../sidecar/main.js', import.meta.url);

interface Price {
  input: number;
  output: number;
  cachedInput?: number;
}

/** A catalog price from the demo route, to check the sidecar's arithmetic against. */
function catalogPrice(model: string): Price {
  const doc = parseDocument(readFileSync(ROUTE_TEMPLATE, 'utf8')).toJS() as { spec: { catalog: Array<{ name: string; price: Price }> } };
  const entry = doc.spec.catalog.find((c) => c.name === model);
  if (!entry) throw new DemoFailure(`examples/demo-route.yaml has no catalog price for ${model}`);
  return entry.price;
}

/** USD for one answer's USAGE at a catalog price (cached tokens at the input price when there is no cached price). */
function usageCost(p: Price): number {
  const cached = USAGE.cached ?? 0;
  return ((USAGE.prompt - cached) * p.input + cached * (p.cachedInput ?? p.input) + USAGE.completion * p.output) / 1e6;
}

// ---- output -----------------------------------------------------------------

const tty = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const yellow = paint('33');

const say = (s = ''): void => void process.stdout.write(`${s}\n`);
const section = (title: string, detail: string): void => say(`\n${bold(title)} ${dim('·')} ${detail}`);
const ms = (v: number): string => (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const pct = (part: number, whole: number): string => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);
const usd = (v: number): string => `$${v.toFixed(v >= 1 ? 2 : 4)}`;
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** Rows of cells → aligned lines; `align` has one letter per column, `l` or `r`; the first row is a header unless `header` is false. */
function table(rows: Array<Array<string | number>>, align: string, opts: { indent?: string; header?: boolean } = {}): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  cells.forEach((r, n) => {
    const line = r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    say((opts.indent ?? '  ') + (n === 0 && opts.header !== false ? dim(line) : line));
  });
}

// ---- connections ---------------------------------------------------------------

/**
 * Every request the demo sends to the sidecar (SDK and admin) goes through this
 * one pool, so a stop can close all of them at once: a sidecar told to shut
 * down waits for the connections it still has open.
 */
const connections = new Agent();
const demoFetch = ((url: string | URL | Request, init?: RequestInit) =>
  undiciFetch(url as string, { ...(init as object), dispatcher: connections })) as unknown as typeof fetch;

// ---- checks -----------------------------------------------------------------

class DemoFailure extends Error {}
let checksPassed = 0;

/** An expectation the demo is a smoke test for. */
function expect(ok: boolean, message: string): void {
  if (!ok) throw new DemoFailure(message);
  checksPassed++;
}

// ---- the sidecar child process ------------------------------------------------

interface LogLine {
  time: string;
  level: string;
  msg: string;
}

interface SidecarProcess {
  child: ChildProcess;
  appURL: string;
  adminURL: string;
  logs: LogLine[];
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let sidecar: SidecarProcess | undefined;

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function spawnSidecar(args: string[]): Omit<SidecarProcess, 'appURL' | 'adminURL'> {
  const child = spawn(process.execPath, [fileURLToPath(SIDECAR_MAIN), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      try {
        const j = JSON.parse(line) as { time?: string; level?: string; msg?: string };
        logs.push({ time: j.time ?? '', level: j.level ?? '?', msg: j.msg ?? line });
      } catch {
        // not a log line (e.g. a start-up error message): kept in `output`
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, logs, output, exited };
}

/** Starts the sidecar on two free ports and waits for /readyz; retries if a port was taken meanwhile. */
async function startSidecarProcess(routeFile: string, keyFile: string): Promise<SidecarProcess> {
  for (let attempt = 1; ; attempt++) {
    const [port, adminPort] = (await freePorts(2)) as [number, number];
    const args = [
      '--route', routeFile, '--relay-key-file', keyFile,
      '--port', String(port), '--admin-port', String(adminPort), '--admin-host', '127.0.0.1',
      '--watch-interval', '200ms', '--log-level', 'warn',
    ];
    const proc = spawnSidecar(args);
    sidecar = { ...proc, appURL: `http://127.0.0.1:${port}/v1`, adminURL: `http://127.0.0.1:${adminPort}` };
    const outcome = await Promise.race([waitReady(sidecar.adminURL, 10_000), proc.exited]);
    if (outcome === 'ready') return sidecar;
    if (outcome === 'timeout') throw new DemoFailure(`the sidecar did not become ready within 10 s:\n${proc.output.join('\n')}`);
    const text = proc.output.join('\n');
    if (outcome.code === 2 && text.includes('port already in use') && attempt < 3) continue;
    throw new DemoFailure(`the sidecar exited before it was ready (exit code ${outcome.code}):\n${text}`);
  }
}

async function waitReady(adminURL: string, timeoutMs: number): Promise<'ready' | 'timeout'> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await demoFetch(`${adminURL}/readyz`, { signal: AbortSignal.timeout(500) });
      await res.arrayBuffer();
      if (res.ok) return 'ready';
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  return 'timeout';
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function stopSidecar(graceMs = 5000): Promise<string> {
  const s = sidecar;
  if (!s) return 'not started';
  if (s.child.exitCode !== null || s.child.signalCode !== null) return `had already exited (${s.child.exitCode ?? s.child.signalCode})`;
  const t0 = performance.now();
  s.child.kill('SIGTERM');
  const done = await Promise.race([s.exited, sleep(graceMs).then(() => undefined)]);
  if (done) return `SIGTERM → exit ${done.code ?? done.signal} in ${ms(performance.now() - t0)}`;
  s.child.kill('SIGKILL');
  await s.exited;
  return `did not exit ${ms(graceMs)} after SIGTERM: killed`;
}

// ---- the admin port -------------------------------------------------------------

interface Breaker {
  side: string;
  model: string;
  state: string;
  consecutiveFailures: number;
  nextProbeAt?: string;
}
interface Status {
  generation: number;
  weight: { desired: number; effective: number };
  rollback: null | { reason: string; value: number; threshold: number; at: string; generation: number; holding: boolean };
  window: { windowMs: number; sides: Record<'relay' | 'official', { requests: number; failures: number }> };
  breakers: Breaker[];
  totals: { costUSD: number; savingsUSD: number };
}

async function status(): Promise<Status> {
  return (await demoFetch(`${sidecar!.adminURL}/status`)).json() as Promise<Status>;
}

async function metrics(): Promise<string> {
  return (await demoFetch(`${sidecar!.adminURL}/metrics`)).text();
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples whose labels include `labels`. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  return samples(text, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

/** Per label set, how much a counter grew between two scrapes. */
function growth(before: string, after: string, name: string): Sample[] {
  const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort());
  const old = new Map(samples(before, name).map((s) => [key(s.labels), s.value]));
  return samples(after, name)
    .map((s) => ({ labels: s.labels, value: s.value - (old.get(key(s.labels)) ?? 0) }))
    .filter((s) => s.value > 0);
}

// ---- the route file ---------------------------------------------------------------

/** The demo route with the fakes' URLs, rewritten atomically (like a ConfigMap's symlink swap). */
class RouteFile {
  constructor(
    readonly path: string,
    private readonly urls: { official: string; relay: string },
  ) {}

  write(weight: number): void {
    const doc = parseDocument(readFileSync(ROUTE_TEMPLATE, 'utf8'));
    doc.setIn(['spec', 'official', 'baseURL'], this.urls.official);
    doc.setIn(['spec', 'relay', 'baseURL'], this.urls.relay);
    doc.setIn(['spec', 'canary', 'weight'], weight);
    writeFileSync(`${this.path}.tmp`, doc.toString());
    renameSync(`${this.path}.tmp`, this.path);
  }
}

/** Polls /status until `done` holds; returns how long since `t0` that took. */
async function until(t0: number, done: (s: Status) => boolean, what: string, timeoutMs = 5000): Promise<{ ms: number; status: Status }> {
  for (;;) {
    const s = await status();
    if (done(s)) return { ms: performance.now() - t0, status: s };
    if (performance.now() - t0 > timeoutMs) throw new DemoFailure(`${what}: not seen in /status within ${ms(timeoutMs)}`);
    await sleep(5);
  }
}

// ---- app traffic --------------------------------------------------------------------

interface Reply {
  user: string;
  ok: boolean;
  side: string;
  model: string;
  ms: number;
  error?: string;
}

const messages = [{ role: 'user' as const, content: 'Where is my order #4417? It was due yesterday.' }];
const appStats = { sent: 0, failed: 0 };

function headerOf(h: Headers | undefined, name: string): string {
  return h?.get(name) ?? '?';
}

/** One chat completion as user `user`; the answer must come from the upstream the headers name. */
async function ask(client: OpenAI, user: string, model = 'gpt-4o'): Promise<Reply> {
  const t0 = performance.now();
  appStats.sent++;
  try {
    const { data, response } = await client.chat.completions
      .create({ model, messages }, { headers: { 'x-user-id': user } })
      .withResponse();
    const side = headerOf(response.headers, 'x-bellwether-side');
    const served = headerOf(response.headers, 'x-bellwether-model');
    const content = data.choices[0]?.message.content ?? '';
    // The fakes tag their answers `[official:gpt-4.1] …`: the body must agree with the headers.
    const ok = content.startsWith(`[${side}:${served}]`);
    if (!ok) appStats.failed++;
    return { user, ok, side, model: served, ms: performance.now() - t0, ...(ok ? {} : { error: `headers say ${side}/${served} but the answer is "${content}"` }) };
  } catch (err) {
    appStats.failed++;
    const e = err as { status?: number; headers?: Headers; message?: string };
    const code = e.headers?.get('x-bellwether-error');
    return { user, ok: false, side: headerOf(e.headers, 'x-bellwether-side'), model: '?', ms: performance.now() - t0, error: `${e.status ?? ''}${code ? ` ${code}` : ''} ${e.message ?? String(err)}`.trim() };
  }
}

interface StreamReply extends Reply {
  chunks: number;
  firstChunkMs: number;
  text: string;
  usageChunk: boolean;
}

async function askStream(client: OpenAI, user: string, includeUsage: boolean): Promise<StreamReply> {
  const t0 = performance.now();
  appStats.sent++;
  const out: StreamReply = { user, ok: false, side: '?', model: '?', ms: 0, chunks: 0, firstChunkMs: 0, text: '', usageChunk: false };
  try {
    const { data: stream, response } = await client.chat.completions
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
  if (!out.ok) appStats.failed++;
  return out;
}

async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

function expectAllOk(replies: Reply[], what: string): void {
  const bad = replies.filter((r) => !r.ok);
  const first = bad[0];
  expect(bad.length === 0, `${what}: ${bad.length} of ${replies.length} app requests failed (first: ${first?.user} → ${first?.error})`);
}

function bySide(replies: Reply[]): { relay: Reply[]; official: Reply[] } {
  return { relay: replies.filter((r) => r.side === 'relay'), official: replies.filter((r) => r.side === 'official') };
}

function countBy(values: string[]): string {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([k, n]) => (m.size === 1 ? k : `${k} ×${n}`)).join(', ') || '—';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)]!;
}

/** What the relay fake was asked and how it answered, e.g. `kimi-k2 429 ×2 · gemini-2.5-flash reset ×2`. */
function relayAttempts(records: RecordedRequest[]): string {
  const outcome = (r: RecordedRequest): string =>
    `${String(r.body?.model)} ${r.behavior.kind === 'status' ? r.behavior.status : r.behavior.kind === 'reset' ? 'reset' : 'ok'}`;
  return countBy(records.map(outcome)).replaceAll(', ', ' · ') || '—';
}

// ---- the phases -------------------------------------------------------------------------

interface Stack {
  official: FakeUpstream;
  relay: FakeUpstream;
  route: RouteFile;
  client: OpenAI;
}

const summary: Array<[string, string]> = [];

/** Returns the users the sticky split sent to the relay. */
async function phaseSplit({ client, relay, official }: Stack): Promise<Set<string>> {
  section('1. canary split', `200 chat completions from ${USERS.length} users (x-user-id) at weight 25`);
  // Round after round of every user, asking for gpt-4o or gpt-4.1 (both match the gpt-4* rule).
  const jobs = Array.from({ length: 5 }, (_, k) => USERS.map((user, i) => ({ user, model: (i + k) % 2 ? 'gpt-4.1' : 'gpt-4o' }))).flat();
  const replies = await inParallel(jobs, 10, (j) => ask(client, j.user, j.model));
  expectAllOk(replies, 'canary split');
  const { relay: r, official: o } = bySide(replies);
  const usersOn = (rs: Reply[]) => new Set(rs.map((x) => x.user)).size;
  table([
    ['side', 'requests', 'share', 'users', 'answered by', 'median latency'],
    ['relay', r.length, pct(r.length, replies.length), usersOn(r), countBy(r.map((x) => x.model)), ms(median(r.map((x) => x.ms)))],
    ['official', o.length, pct(o.length, replies.length), usersOn(o), countBy(o.map((x) => x.model)), ms(median(o.map((x) => x.ms)))],
  ], 'lrrrlr');
  const sides = new Map<string, Set<string>>();
  for (const x of replies) sides.set(x.user, (sides.get(x.user) ?? new Set()).add(x.side));
  const sticky = [...sides.values()].filter((s) => s.size === 1).length;
  say(`  sticky: ${sticky}/${USERS.length} users stayed on one side for all 5 of their requests`);
  say(`  the app asked for gpt-4o and gpt-4.1; the relay served deepseek-chat (first in the chain), the official side gpt-4.1`);
  expect(sticky === USERS.length, `sticky split: ${USERS.length - sticky} users saw both sides`);
  expect(r.length > 0 && r.length < replies.length / 2, `split at weight 25: ${r.length} of ${replies.length} requests went to the relay`);
  expect(r.every((x) => x.model === 'deepseek-chat') && o.every((x) => x.model === 'gpt-4.1'), 'split: unexpected upstream models');

  const relayAuth = new Set(relay.requests.map((q) => q.headers['authorization']));
  const officialAuth = new Set(official.requests.map((q) => q.headers['authorization']));
  expect(relayAuth.size === 1 && relayAuth.has(`Bearer ${RELAY_KEY}`), 'the relay got something other than the relay key');
  expect(officialAuth.size === 1 && officialAuth.has(`Bearer ${APP_KEY}`), 'the official API got something other than the app key');
  say(`  keys: the relay saw only the relay key, the official API only the app's own key`);
  say(`  ${green('✓')} ${replies.length}/${replies.length} succeeded`);
  summary.push(['1 split', `weight 25 → ${pct(r.length, replies.length)} of requests on the relay (${usersOn(r)}/${USERS.length} users), sticky ${sticky}/${USERS.length}`]);
  return new Set(r.map((x) => x.user));
}

async function phaseStreaming({ client }: Stack, relayUsers: string[], officialUsers: string[]): Promise<void> {
  section('2. streaming', '3 streamed chat completions (SSE through the sidecar, chunk for chunk)');
  const before = await metrics();
  const runs: Array<[string, boolean]> = [[relayUsers[0]!, false], [officialUsers[0]!, false], [relayUsers[1] ?? relayUsers[0]!, true]];
  const replies: StreamReply[] = [];
  for (const [user, withUsage] of runs) replies.push(await askStream(client, user, withUsage));
  expectAllOk(replies, 'streaming');
  table([
    ['user', 'side', 'model', 'chunks', 'first chunk', 'total', 'include_usage', 'text'],
    ...replies.map((r, i) => [r.user, r.side, r.model, r.chunks, ms(r.firstChunkMs), ms(r.ms), runs[i]![1] ? 'asked → usage chunk kept' : 'not asked → stripped', JSON.stringify(r.text)]),
  ], 'lllrrrll');
  const after = await metrics();
  const input = metric(after, 'bellwether_tokens_total', { kind: 'input' }) - metric(before, 'bellwether_tokens_total', { kind: 'input' });
  const output = metric(after, 'bellwether_tokens_total', { kind: 'output' }) - metric(before, 'bellwether_tokens_total', { kind: 'output' });
  say(`  usage read from each stream's final chunk: +${int(input)} input, +${int(output)} output tokens in bellwether_tokens_total`);
  expect(input === 3 * USAGE.prompt && output === 3 * USAGE.completion, `streamed usage: counted ${input}/${output} tokens, expected ${3 * USAGE.prompt}/${3 * USAGE.completion}`);
  expect(replies.every((r, i) => r.usageChunk === runs[i]![1]), 'streaming: the usage chunk was stripped or kept against what the app asked');
  expect(replies.every((r) => r.chunks >= 9), 'streaming: a stream arrived with fewer chunks than the upstream sent');
  const first = replies.map((r) => r.firstChunkMs);
  summary.push(['2 streaming', `${replies.length} streams, ${replies[0]!.chunks}–${Math.max(...replies.map((r) => r.chunks))} chunks each, first chunk after ${ms(Math.min(...first))}–${ms(Math.max(...first))}, usage counted`]);
}

async function phaseFlip({ client, route }: Stack, relayAt25: Set<string>): Promise<Set<string>> {
  section('3. weight flip', 'the route file is rewritten with weight 50 while the sidecar runs');
  const gen = (await status()).generation;
  const t0 = performance.now();
  route.write(50);
  const seen = await until(t0, (s) => s.weight.desired === 50, 'weight 50');
  say(`  /status shows desired weight 50 (generation ${gen} → ${seen.status.generation}) ${bold(ms(seen.ms))} after the write — no restart`);
  expect(seen.status.generation === gen + 1 && seen.status.weight.effective === 50, 'weight flip: generation or effective weight did not follow');
  const replies = await inParallel(USERS.flatMap((u) => [u, u]), 10, (u) => ask(client, u));
  expectAllOk(replies, 'after the weight flip');
  const relayNow = new Set(bySide(replies).relay.map((r) => r.user));
  const moved = [...relayNow].filter((u) => !relayAt25.has(u)).length;
  const back = [...relayAt25].filter((u) => !relayNow.has(u)).length;
  say(`  ${replies.length} requests: relay ${bySide(replies).relay.length} (${pct(bySide(replies).relay.length, replies.length)}), official ${bySide(replies).official.length}`);
  say(`  users on the relay: ${relayAt25.size} → ${relayNow.size}; ${moved} moved official → relay, ${back} moved back (raising the weight only adds users)`);
  expect(back === 0 && moved > 0, `weight flip: ${moved} users moved to the relay, ${back} moved back`);
  summary.push(['3 flip', `weight 25 → 50 seen in /status ${ms(seen.ms)} after the file changed; ${moved} users joined the relay, none left`]);
  return relayNow;
}

async function phaseCost(): Promise<void> {
  section('4. tokens, cost, savings', '/metrics bellwether_tokens_total, bellwether_cost_usd_total, bellwether_savings_usd_total; /status totals');
  const [m, s] = await Promise.all([metrics(), status()]);
  const served = samples(m, 'bellwether_upstream_attempts_total').filter((x) => x.labels['result'] === 'ok' && x.value > 0);
  const rows: Array<Array<string | number>> = [['side', 'model', 'served', 'input tok', 'cached', 'output tok', 'cost', `on ${OFFICIAL_MODEL}`]];
  let cost = 0;
  let onOfficial = 0;
  for (const { labels } of served.sort((a, b) => (a.labels['side']! > b.labels['side']! ? -1 : 1))) {
    const l = { side: labels['side']!, model: labels['model']! };
    const c = metric(m, 'bellwether_cost_usd_total', l);
    const saved = l.side === 'relay' ? metric(m, 'bellwether_savings_usd_total', { model: l.model }) : 0;
    cost += c;
    onOfficial += c + saved;
    rows.push([l.side, l.model, int(metric(m, 'bellwether_upstream_attempts_total', { ...l, result: 'ok' })),
      int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'input' })), int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'cached_input' })),
      int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'output' })), usd(c), usd(c + saved)]);
  }
  rows.push(['total', '', '', '', '', '', usd(cost), usd(onOfficial)]);
  table(rows, 'llrrrrrr');
  const savings = metric(m, 'bellwether_savings_usd_total');
  const relayCost = metric(m, 'bellwether_cost_usd_total', { side: 'relay' });
  say(`  saved ${bold(usd(savings))} on relay-served requests (/status totals.savingsUSD ${usd(s.totals.savingsUSD)}): they cost ${pct(relayCost, relayCost + savings)} of ${OFFICIAL_MODEL}`);
  say(`  had every request gone to ${OFFICIAL_MODEL}: ${usd(onOfficial)}; with the canary: ${usd(cost)} (${pct(onOfficial - cost, onOfficial)} less)`);
  const servedCount = metric(m, 'bellwether_upstream_attempts_total', { result: 'ok' });
  expect(metric(m, 'bellwether_tokens_total', { kind: 'input' }) === servedCount * USAGE.prompt, 'tokens: bellwether_tokens_total{kind="input"} does not match the requests served');
  expect(Math.abs(s.totals.costUSD - cost) < 1e-4 && Math.abs(s.totals.savingsUSD - savings) < 1e-4, `/status totals (${s.totals.costUSD}, ${s.totals.savingsUSD}) disagree with /metrics (${cost}, ${savings})`);
  const perAnswer = usageCost(catalogPrice(OFFICIAL_MODEL)) - usageCost(catalogPrice('deepseek-chat'));
  const relayServed = metric(m, 'bellwether_upstream_attempts_total', { side: 'relay', model: 'deepseek-chat', result: 'ok' });
  expect(Math.abs(savings - relayServed * perAnswer) < 1e-6, `savings ${savings} ≠ ${relayServed} answers × ${perAnswer} from the catalog prices`);
  summary.push(['4 cost', `${usd(cost)} spent, ${usd(savings)} saved vs ${OFFICIAL_MODEL} (${usd(onOfficial)} had it all gone official)`]);
}

async function phaseFailure({ client, relay, official }: Stack, relayUsers: string[]): Promise<void> {
  section('5. relay failure', 'the relay degrades model by model; the app must not notice');
  const before = await metrics();
  const sent0 = appStats.sent;
  const failed0 = appStats.failed;

  // 5a: the first chain model fails; the next one takes over.
  relay.onModel('deepseek-chat', { kind: 'status', status: 503, latencyMs: 10 });
  const a = await inParallel(USERS, 8, (u) => ask(client, u));
  const aStream = await askStream(client, relayUsers[0]!, false);
  expectAllOk([...a, aStream], 'deepseek-chat down');
  const aRelay = bySide(a).relay;
  say(`  ${bold('5a')} deepseek-chat answers 503 → ${a.length + 1} requests (1 streamed): ${green(`${a.length + 1}/${a.length + 1} succeeded`)}; relay-side answers came from ${countBy([...aRelay, aStream].map((r) => r.model))}`);
  expect([...aRelay, aStream].every((r) => r.side === 'relay' && r.model === 'kimi-k2'), 'deepseek-chat down: relay-side requests were not served by kimi-k2');

  // 5b: the rest of the chain fails too; the official API serves, the relay's error rate climbs.
  relay.onModel('kimi-k2', { kind: 'status', status: 429, retryAfterMs: 100 });
  relay.onModel('gemini-2.5-flash', { kind: 'reset' });
  say(`  ${bold('5b')} kimi-k2 answers 429 (retry-after-ms: 100), gemini-2.5-flash resets the connection; relay users keep asking:`);
  const rows: Array<Array<string | number>> = [['#', 'user', 'relay tried (seen by the fake relay)', 'served by', 'latency', 'relay error rate']];
  const b: Reply[] = [];
  let rolled: Status | undefined;
  for (let i = 0; i < 60 && !rolled; i++) {
    const from = relay.requests.length;
    const r = await ask(client, relayUsers[i % relayUsers.length]!);
    b.push(r);
    const s = await status();
    const w = s.window.sides.relay;
    rows.push([i + 1, r.user, relayAttempts(relay.requests.slice(from)), `${r.side} ${r.model}`, ms(r.ms), `${pct(w.failures, w.requests)} (${w.failures}/${w.requests})`]);
    if (s.rollback) rolled = s;
  }
  table(rows, 'rlllrr', { indent: '      ' });
  expectAllOk(b, 'relay chain down');
  expect(rolled !== undefined, `no rollback after ${b.length} relay-routed requests the relay could not serve`);
  const rb = rolled!.rollback!;
  const w = rolled!.window.sides.relay;
  expect(rolled!.weight.effective === 0 && rb.holding, 'rollback: effective weight is not 0');
  const verdict = rb.reason === 'error_rate'
    ? `relay error rate ${(rb.value * 100).toFixed(1)}% > ${(rb.threshold * 100).toFixed(1)}% over ${w.requests} requests`
    : `relay p99 time to first byte ${rb.value} ms > ${rb.threshold} ms over ${w.requests} requests`;
  say(`  ${red('⟲')} ${bold(`rolled back: ${verdict}`)} ${dim('(1m window)')}`);
  say(`     /status weight: desired ${rolled!.weight.desired}, effective ${rolled!.weight.effective}; rollback {reason: ${rb.reason}, value: ${rb.value.toFixed(4)}, threshold: ${rb.threshold}, generation: ${rb.generation}}`);

  // 5c: after the rollback, the relay gets nothing.
  const relaySeen = relay.requests.length;
  const officialSeen = official.requests.length;
  const c = await inParallel(USERS, 8, (u) => ask(client, u));
  expectAllOk(c, 'after the rollback');
  const cSides = bySide(c);
  say(`  ${bold('5c')} after the rollback, ${c.length} requests (one per user): ${green(`${cSides.official.length}/${c.length} official`)}, ${relay.requests.length - relaySeen} reached the relay`);
  expect(cSides.official.length === c.length && relay.requests.length === relaySeen && official.requests.length - officialSeen === c.length, 'after the rollback: traffic still reached the relay');

  const after = await metrics();
  say(`  fallbacks ${dim('(bellwether_fallbacks_total, this phase)')}`);
  table([['from', 'to', 'reason', 'count'], ...growth(before, after, 'bellwether_fallbacks_total').map((x) => [x.labels['from']!, x.labels['to']!, x.labels['reason']!, int(x.value)])], 'lllr', { indent: '    ' });
  say(`  retries ${dim('(bellwether_retries_total, this phase)')}`);
  table([['model', 'cause', 'count'], ...growth(before, after, 'bellwether_retries_total').map((x) => [x.labels['model']!, x.labels['cause']!, int(x.value)])], 'llr', { indent: '    ' });
  const s = await status();
  const open = samples(after, 'bellwether_circuit_state').filter((x) => x.labels['state'] === 'open' && x.value === 1).map((x) => x.labels['model']!);
  say(`  breakers ${dim('(/status breakers; bellwether_circuit_state{state="open"} = 1 for ' + (open.join(', ') || 'none') + ')')}`);
  table([['side', 'model', 'state', 'failures in a row', 'next probe'], ...s.breakers.map((x) => [x.side, x.model, x.state, x.consecutiveFailures, x.nextProbeAt ? `in ${ms(Date.parse(x.nextProbeAt) - Date.now())}` : '—'])], 'lllrl', { indent: '    ' });
  const opened = s.breakers.filter((x) => x.side === 'relay' && x.state === 'open').map((x) => x.model).sort();
  expect(opened.join() === 'deepseek-chat,gemini-2.5-flash,kimi-k2', `breakers: expected all three relay models open, got ${opened.join(', ') || 'none'}`);
  expect(growth(before, after, 'bellwether_fallbacks_total').some((x) => x.labels['from'] === 'deepseek-chat' && x.labels['to'] === 'kimi-k2'), 'no deepseek-chat → kimi-k2 fallback counted');
  expect(growth(before, after, 'bellwether_retries_total').some((x) => x.labels['cause'] === 'retry-after'), 'no retry honouring retry-after counted');
  const sent = appStats.sent - sent0;
  const failed = appStats.failed - failed0;
  expect(failed === 0, `${failed} app requests failed during the relay failure`);
  say(`  ${green('✓')} ${sent}/${sent} app requests succeeded while the relay failed`);
  summary.push(['5 failure', `${sent}/${sent} app requests succeeded; breakers opened for ${opened.join(', ')}`]);
  summary.push(['', `rolled back: ${verdict} (1m window); then ${c.length}/${c.length} to official`]);
}

/** `probeUser` must be one the split sends to the relay at weight 40 (any user on it at 25 is: the split is monotone). */
async function phaseResume({ client, relay, route }: Stack, probeUser: string): Promise<void> {
  section('6. resume', 'the relay is healthy again; the route is rewritten with weight 40 (a new generation)');
  relay.reset(); // no more injected faults
  const gen = (await status()).generation;
  const t0 = performance.now();
  route.write(40);
  const seen = await until(t0, (s) => s.generation === gen + 1 && s.rollback === null && s.weight.effective === 40, `the rollback released by generation ${gen + 1}`);
  say(`  /status: rollback released, effective weight ${seen.status.weight.effective} (generation ${gen} → ${seen.status.generation}) ${bold(ms(seen.ms))} after the write`);
  const openUntil = Math.max(0, ...seen.status.breakers.filter((b) => b.state === 'open' && b.nextProbeAt).map((b) => Date.parse(b.nextProbeAt!)));
  const wait = openUntil - Date.now();
  if (wait > 0) {
    say(`  the relay breakers are still cooling down (circuitBreaker.cooldown 5s): waiting ${ms(wait)} before sending traffic`);
    await sleep(wait + 50);
  }
  // One request first: its relay attempt is the half-open probe that closes deepseek-chat's breaker.
  // Sent with others in flight, those others would skip the half-open chain, land on the official
  // side and count as relay failures in the fresh window, rolling the canary straight back.
  const probe = await ask(client, probeUser);
  say(`  ${probeUser} first: its request is deepseek-chat's half-open probe → ${probe.side} ${probe.model}, breaker closed`);
  const replies = [probe, ...(await inParallel(USERS, 8, (u) => ask(client, u)))];
  expectAllOk(replies, 'after the resume');
  const { relay: r, official: o } = bySide(replies);
  say(`  ${replies.length} requests: ${green(`${replies.length}/${replies.length} succeeded`)}; relay ${r.length} (${countBy(r.map((x) => x.model))}), official ${o.length}`);
  const s = await status();
  const relayBreakers = s.breakers.filter((x) => x.side === 'relay');
  say(`  relay breakers: ${relayBreakers.map((x) => `${x.model} ${x.state}`).join(', ')} ${dim('(an open one is probed on its next use)')}`);
  expect(r.length > 0 && r.every((x) => x.model === 'deepseek-chat'), 'after the resume: the relay is not serving with deepseek-chat');
  expect(s.rollback === null && s.weight.effective === 40, 'after the resume: the sidecar rolled back again');
  summary.push(['6 resume', `rollback released ${ms(seen.ms)} after the new generation; relay serving again (${r.length}/${replies.length} on deepseek-chat)`]);
}

// ---- main ---------------------------------------------------------------------------------

let official: FakeUpstream | undefined;
let relay: FakeUpstream | undefined;
let dir: string | undefined;
let cleaning: Promise<string> | undefined;
/** Set by Ctrl-C: the requests cut short by the stop are not failures worth reporting. */
let interrupting = false;

function cleanup(): Promise<string> {
  cleaning ??= (async () => {
    await connections.destroy().catch(() => undefined);
    const stopped = await stopSidecar();
    await Promise.all([official?.close(), relay?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    return stopped;
  })();
  return cleaning;
}

function pretty(l: LogLine): string {
  const level = l.level.toUpperCase().padEnd(5);
  return `${l.time.slice(11, 23)} ${l.level === 'error' || l.level === 'fatal' ? red(level) : yellow(level)} ${l.msg}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  say(bold('bellwether demo') + ' · the sidecar between the openai SDK, a fake OpenAI API and a fake HolySheep relay');
  try {
    official = await startFakeUpstream({ name: 'official' });
    relay = await startFakeUpstream({ name: 'relay' });
    official.setDefault({ kind: 'auto', ...LATENCY.official, chunks: 8, usage: USAGE });
    relay.setDefault({ kind: 'auto', ...LATENCY.relay, chunks: 8, usage: USAGE });
    dir = mkdtempSync(join(tmpdir(), 'bellwether-demo-'));
    const route = new RouteFile(join(dir, 'route.yaml'), { official: official.url, relay: relay.url });
    route.write(25);
    const keyFile = join(dir, 'relay-api-key');
    writeFileSync(keyFile, `${RELAY_KEY}\n`, { mode: 0o600 });

    section('setup', 'two fake upstreams on loopback and the real sidecar as a child process');
    table([
      ['official', 'stands in for api.openai.com', official.url, `JSON after ${LATENCY.official.latencyMs} ms, SSE chunks ${LATENCY.official.intervalMs} ms apart`],
      ['relay', 'stands in for api.holysheep.ai', relay.url, `JSON after ${LATENCY.relay.latencyMs} ms, SSE chunks ${LATENCY.relay.intervalMs} ms apart`],
    ], 'llll', { header: false });
    say(`  route     ${route.path} (examples/demo-route.yaml): weight 25, sticky by x-user-id,`);
    say(`            gpt-4* → deepseek-chat → kimi-k2 → gemini-2.5-flash → official gpt-4.1; rollback at > 5% errors over ≥ 20 requests in 1m`);
    const t0 = performance.now();
    const sc = await startSidecarProcess(route.path, keyFile);
    say(`  sidecar   node dist/sidecar/main.js --route … --log-level warn (pid ${sc.child.pid}): ready in ${ms(performance.now() - t0)}`);
    say(`            app ${sc.appURL} (the app's OPENAI_BASE_URL)  admin ${sc.adminURL}`);

    // No SDK retries: every failure the sidecar lets through must show.
    const client = new OpenAI({ baseURL: sc.appURL, apiKey: APP_KEY, maxRetries: 0, timeout: 15_000, fetch: demoFetch });
    const stack: Stack = { official, relay, route, client };

    const relayAt25 = await phaseSplit(stack);
    await phaseStreaming(stack, [...relayAt25], USERS.filter((u) => !relayAt25.has(u)));
    const relayAt50 = await phaseFlip(stack, relayAt25);
    await phaseCost();
    await phaseFailure(stack, [...relayAt50]);
    await phaseResume(stack, [...relayAt25][0]!);

    const total = performance.now() - started;
    section('summary', `${ms(total)}, ${appStats.sent} app requests through the sidecar, ${appStats.failed} failed`);
    table(summary.map(([k, v]) => [k, v]), 'll', { header: false });
    say(`\n  sidecar log ${dim(`(--log-level warn: ${sc.logs.length} lines${sc.logs.length > 12 ? ', the first 12' : ''})`)}`);
    for (const l of sc.logs.slice(0, 12)) say(`    ${pretty(l)}`);
    expect(sc.logs.some((l) => l.msg.startsWith('rolled back')), 'the sidecar did not log the rollback');
    expect(sc.logs.some((l) => l.msg.startsWith('circuit opened')), 'the sidecar did not log a breaker opening');
    expect(appStats.failed === 0, `${appStats.failed} app requests failed`);
    const stopped = await cleanup();
    say(`\n  sidecar stopped (${stopped}); fakes closed; ${dir} removed`);
    expect(sidecar!.child.exitCode === 0, `the sidecar exited with ${sidecar!.child.exitCode ?? sidecar!.child.signalCode} after SIGTERM`);
    say(`${green('✓')} ${bold('demo passed')}: ${checksPassed} checks in ${ms(performance.now() - started)}`);
    return 0;
  } catch (err) {
    if (interrupting) return 130;
    say();
    if (err instanceof DemoFailure) say(`${red('✗ demo failed:')} ${err.message}`);
    else say(`${red('✗ demo crashed:')} ${(err as Error).stack ?? String(err)}`);
    const tail = sidecar?.output.slice(-15) ?? [];
    if (tail.length) say(`\n  last sidecar output:\n${tail.map((l) => `    ${l}`).join('\n')}`);
    return 1;
  } finally {
    await cleanup();
  }
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  interrupting = true;
  say(`\n${yellow(`interrupted (${signal})`)}: stopping the sidecar and the fakes`);
  await cleanup();
  process.exit(130);
}
process.once('SIGINT', (s) => void interrupted(s));
process.once('SIGTERM', (s) => void interrupted(s));
// Last resort (e.g. an exception while exiting): never leave the sidecar running.
process.once('exit', () => {
  if (sidecar && sidecar.child.exitCode === null && sidecar.child.signalCode === null) sidecar.child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

main().then((code) => process.exit(code));
