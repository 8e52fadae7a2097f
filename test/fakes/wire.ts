/**
 * The OpenAI wire format, as pure data: bodies and SSE frames for chat
 * completions, legacy completions, embeddings, responses, models and errors.
 * No sockets, no timers — `upstream.ts` decides when (and whether) to send them.
 * An SSE frame is one complete event, terminator included (`data: …\n\n`).
 */
import { createHash } from 'node:crypto';

export interface Usage {
  prompt: number;
  completion: number;
  cached?: number;
}

/** What one answer is made of; the caller picks the id (builders add `chatcmpl-`, `resp_` …) and the time. */
export interface Reply {
  id: string;
  created: number; // epoch seconds
  model: string;
  content: string;
  usage: Usage;
}

export const DEFAULT_USAGE: Readonly<Usage> = { prompt: 10, completion: 5, cached: 0 };
export const SSE_DONE = 'data: [DONE]\n\n';
/** An SSE comment, as relays send while a request waits in their queue. */
export const SSE_PING = ': keep-alive\n\n';
/** A frame that no JSON parser accepts. */
export const SSE_GARBAGE = 'data: {not json\n\n';

export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Cuts `text` into `parts` pieces (some empty when the text is short) that join back to it. */
export function splitContent(text: string, parts: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.floor(parts));
  const size = Math.ceil(chars.length / n);
  return Array.from({ length: n }, (_, i) => chars.slice(i * size, (i + 1) * size).join(''));
}

// ---- routing ----------------------------------------------------------------

export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'responses' | 'models' | 'model' | 'other';

/** The endpoints whose POST body is JSON (and carries `model`). */
export const BODY_ENDPOINTS: readonly Endpoint[] = ['chat', 'completions', 'embeddings', 'responses'];

/** Matches on the path's end, so any base path (`/v1`, `/api/v3`) works. */
export function endpointOf(method: string, url: string): Endpoint {
  const p = (url.split('?')[0] ?? '').replace(/\/+$/, '');
  if (method === 'POST' && p.endsWith('/chat/completions')) return 'chat';
  if (method === 'POST' && p.endsWith('/completions')) return 'completions';
  if (method === 'POST' && p.endsWith('/embeddings')) return 'embeddings';
  if (method === 'POST' && p.endsWith('/responses')) return 'responses';
  if (method === 'GET' && p.endsWith('/models')) return 'models';
  if (method === 'GET' && /\/models\/[^/]+$/.test(p)) return 'model';
  return 'other';
}

/** The successful JSON body for an endpoint; undefined for paths the fake can only echo. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonBody(endpoint: Endpoint, r: Reply, req: any, url: string, models: string[], owner: string): unknown {
  switch (endpoint) {
    case 'chat':
      return chatCompletion(r);
    case 'completions':
      return textCompletion(r);
    case 'responses':
      return responseObject(r);
    case 'embeddings': {
      const dims = Number.isInteger(req?.dimensions) ? (req.dimensions as number) : 8;
      return embeddingList(r.model, req?.input, dims, req?.encoding_format, r.usage);
    }
    case 'models':
      return modelList(models, owner);
    case 'model':
      return modelObject(decodeURIComponent(url.split('?')[0]?.split('/').pop() ?? ''), owner);
    case 'other':
      return undefined;
  }
}

/** The SSE frames and the terminator for an endpoint that streams; undefined for those that do not. */
export function streamOf(endpoint: Endpoint, r: Reply, parts: Parts, includeUsage: boolean, terminal: ResponseTerminal = 'completed') {
  if (endpoint === 'chat') return { frames: chatCompletionFrames(r, parts, includeUsage), terminator: SSE_DONE };
  if (endpoint === 'completions') return { frames: textCompletionFrames(r, parts, includeUsage), terminator: SSE_DONE };
  if (endpoint === 'responses') return { frames: responseFrames(r, parts, terminal), terminator: '' };
  return undefined;
}

/** How a streamed answer's content is cut: into N even deltas, or into exactly these pieces (which join to `content`). */
export type Parts = number | readonly string[];

function piecesOf(content: string, parts: Parts): readonly string[] {
  return typeof parts === 'number' ? splitContent(content, parts) : parts;
}

// ---- chat completions -------------------------------------------------------

function chatUsage(u: Usage) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export function chatCompletion(r: Reply) {
  const message = { role: 'assistant', content: r.content, refusal: null };
  return {
    id: `chatcmpl-${r.id}`, object: 'chat.completion', created: r.created, model: r.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
    usage: chatUsage(r.usage),
    system_fingerprint: 'fp_fake',
  };
}

/** Role delta, `parts` content deltas, the finish chunk, and — only with include_usage — the usage chunk. */
export function chatCompletionFrames(r: Reply, parts: Parts, includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], usage?: unknown) => ({
    id: `chatcmpl-${r.id}`, object: 'chat.completion.chunk', created: r.created, model: r.model,
    system_fingerprint: 'fp_fake',
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const choice = (delta: object, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });
  const frames = [chunk([choice({ role: 'assistant', content: '', refusal: null })])];
  for (const piece of piecesOf(r.content, parts)) frames.push(chunk([choice({ content: piece })]));
  frames.push(chunk([choice({}, 'stop')]));
  if (includeUsage) frames.push(chunk([], chatUsage(r.usage)));
  return frames.map(sseData);
}

// ---- legacy completions -----------------------------------------------------

function completionUsage(u: Usage) {
  return { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion };
}

export function textCompletion(r: Reply) {
  return {
    id: `cmpl-${r.id}`, object: 'text_completion', created: r.created, model: r.model,
    choices: [{ text: r.content, index: 0, logprobs: null, finish_reason: 'stop' }],
    usage: completionUsage(r.usage),
  };
}

export function textCompletionFrames(r: Reply, parts: Parts, includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], usage?: unknown) => ({
    id: `cmpl-${r.id}`, object: 'text_completion', created: r.created, model: r.model,
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const choice = (text: string, finish: string | null = null) => ({ text, index: 0, logprobs: null, finish_reason: finish });
  const frames = piecesOf(r.content, parts).map((piece) => chunk([choice(piece)]));
  frames.push(chunk([choice('', 'stop')]));
  if (includeUsage) frames.push(chunk([], completionUsage(r.usage)));
  return frames.map(sseData);
}

// ---- embeddings -------------------------------------------------------------

/** The request's `input` as a list of items (strings or token arrays). */
export function embeddingInputs(input: unknown): unknown[] {
  if (Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number') return input;
  return [input];
}

/** A deterministic unit-ish vector derived from the input's hash. */
export function embeddingVector(input: unknown, dims: number): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < dims; block++) {
    const digest = createHash('sha256').update(`${block}:${JSON.stringify(input)}`).digest();
    for (const byte of digest) {
      if (out.length === dims) break;
      out.push(Math.round(((byte - 127.5) / 127.5) * 1e4) / 1e4);
    }
  }
  return out;
}

/** Float32 little-endian, base64 — what the SDK asks for (and decodes) unless told otherwise. */
export function float32Base64(vector: number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function embeddingList(model: string, input: unknown, dims: number, format: unknown, usage: Usage) {
  return {
    object: 'list',
    data: embeddingInputs(input).map((item, index) => {
      const vector = embeddingVector(item, dims);
      return { object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : vector };
    }),
    model,
    usage: { prompt_tokens: usage.prompt, total_tokens: usage.prompt },
  };
}

// ---- responses --------------------------------------------------------------

function responseUsage(u: Usage) {
  return {
    input_tokens: u.prompt,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.completion,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.prompt + u.completion,
  };
}

function messageItem(r: Reply, done: boolean) {
  const status = done ? 'completed' : 'in_progress';
  return { id: `msg_${r.id}`, type: 'message', status, role: 'assistant', content: done ? [outputText(r.content)] : [] };
}

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [] };
}

/** How a streamed Responses API answer ends: each terminal event carries the whole response, usage included. */
export type ResponseTerminal = 'completed' | 'incomplete' | 'failed';

export function responseObject(r: Reply, done = true, terminal: ResponseTerminal = 'completed') {
  const error = done && terminal === 'failed' ? { code: 'server_error', message: 'The model failed to finish the response.' } : null;
  const incomplete_details = done && terminal === 'incomplete' ? { reason: 'max_output_tokens' } : null;
  return {
    id: `resp_${r.id}`, object: 'response', created_at: r.created, status: done ? terminal : 'in_progress',
    error, incomplete_details, instructions: null, max_output_tokens: null, model: r.model,
    output: done ? [messageItem(r, terminal !== 'failed')] : [],
    parallel_tool_calls: true, previous_response_id: null, temperature: 1, top_p: 1, truncation: 'disabled',
    text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], metadata: {},
    usage: done ? responseUsage(r.usage) : null,
  };
}

/** Named events, in the order the Responses API sends them, ending in `response.<terminal>`; no `[DONE]` follows. */
export function responseFrames(r: Reply, parts: Parts, terminal: ResponseTerminal = 'completed'): string[] {
  const item_id = `msg_${r.id}`;
  const at = { item_id, output_index: 0, content_index: 0 };
  const events: Array<[string, object]> = [
    ['response.created', { response: responseObject(r, false) }],
    ['response.in_progress', { response: responseObject(r, false) }],
    ['response.output_item.added', { output_index: 0, item: messageItem(r, false) }],
    ['response.content_part.added', { ...at, part: outputText('') }],
    ...piecesOf(r.content, parts).map(
      (delta): [string, object] => ['response.output_text.delta', { ...at, delta, logprobs: [] }],
    ),
    ['response.output_text.done', { ...at, text: r.content, logprobs: [] }],
    ['response.content_part.done', { ...at, part: outputText(r.content) }],
    ['response.output_item.done', { output_index: 0, item: messageItem(r, true) }],
    [`response.${terminal}`, { response: responseObject(r, true, terminal) }],
  ];
  return events.map(([type, data], sequence_number) => sseEvent(type, { type, sequence_number, ...data }));
}

// ---- passthrough ------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseJson(raw: Buffer): any {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** What the fake answers on paths it has no model for: the request as it arrived, body as a digest. */
export function echo(upstream: string, req: { method: string; path: string; headers: object; rawBody: Buffer }) {
  const { method, path, headers, rawBody } = req;
  const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
  return { upstream, method, path, headers, bodyBytes: rawBody.length, bodySha256 };
}

// ---- models -----------------------------------------------------------------

export function modelObject(id: string, owner: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: owner };
}

export function modelList(ids: Iterable<string>, owner: string) {
  return { object: 'list', data: [...new Set(ids)].map((id) => modelObject(id, owner)) };
}

// ---- errors -----------------------------------------------------------------

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'permission_denied', message: 'You are not allowed to do this.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  413: { type: 'invalid_request_error', code: 'request_too_large', message: 'Request too large.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
  504: { type: 'server_error', code: null, message: 'Gateway timeout.' },
};

/** Masks a key the way OpenAI's 401 does: the first 4 and last 4 characters kept, the middle as `*`. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 4)}${'*'.repeat(key.length - 8)}${key.slice(-4)}`;
}

/** OpenAI's 401 for a wrong key, byte for byte in its wording, with the key masked. */
export function invalidKeyBody(key: string) {
  const message = `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
}

/** `{"error":{"message","type","param","code"}}`; `tag` (e.g. `[relay:kimi-k2]`) prefixes the message. */
export function errorBody(status: number, tag: string, message?: string) {
  const known = ERRORS[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `Upstream answered ${status}.`,
  };
  return { error: { message: `${tag} ${message ?? known.message}`, type: known.type, param: null, code: known.code } };
}
