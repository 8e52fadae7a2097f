/**
 * Stateful requests: the ones that must stay on the official side.
 *
 * The relay and the official API are different providers. State created on
 * one — files, batches, uploads, fine-tuning jobs, vector stores, assistants
 * and threads, conversations, containers, evals, videos, stored responses and
 * stored chat completions, dashboard prompts — does not exist on the other.
 * A request that creates, reads or refers to such state therefore never goes
 * to the relay: it is not canaried and never falls back to the relay.
 *
 * `statefulReason` returns a short, bounded token (a Prometheus label value)
 * naming why, or undefined for a stateless request. Stateless are the models
 * list, moderations, embeddings, audio, images, chat completions without
 * `store: true` and completions — unless their body refers to an uploaded
 * file. Paths not in the table are stateless.
 *
 * Responses API: OpenAI STORES a response unless the request says
 * `store: false`, and a stored response can later be read, continued
 * (`previous_response_id`) or cancelled on the provider that made it. So
 * `POST /v1/responses` is stateful unless it sends `store: false` — apps must
 * send `store: false` in their Responses calls for them to be canaried.
 *
 * Bodies are scanned only two levels deep (`messages[].content[]`,
 * `input[]` and `input[].content[]`, `tools[]`), so the work is bounded by
 * the size of those arrays.
 */

import { isRecord } from '../json-value.js';

/**
 * Routes whose every request is stateful. A prefix matches itself and the
 * paths below it; a prefix that ends in `/` matches only paths below it.
 */
export const STATEFUL_ROUTES: ReadonlyArray<readonly [prefix: string, reason: string]> = [
  ['/v1/files', 'files'],
  ['/v1/uploads', 'uploads'],
  ['/v1/batches', 'batches'],
  ['/v1/fine_tuning', 'fine_tuning'],
  ['/v1/vector_stores', 'vector_stores'],
  ['/v1/assistants', 'assistants'],
  ['/v1/threads', 'threads'],
  ['/v1/conversations', 'conversations'],
  ['/v1/containers', 'containers'],
  ['/v1/evals', 'evals'],
  ['/v1/videos', 'videos'],
  ['/v1/responses/', 'responses_by_id'],
  ['/v1/chat/completions/', 'stored_completion'],
];

const RESPONSES = '/v1/responses';
const CHAT = '/v1/chat/completions';

type Body = Record<string, unknown> | undefined;

/** Why this request must stay on the official side, or undefined when it may go to the relay. */
export function statefulReason(method: string, path: string, body: Body): string | undefined {
  // The two exact paths first: no prefix below matches them (the parsed endpoints' common case).
  const post = method.toUpperCase() === 'POST';
  if (path === RESPONSES) return post ? responsesReason(body) : 'responses_by_id';
  if (path === CHAT) {
    if (!post || body?.['store'] === true) return 'stored_completion';
    return listRefersToFile(body?.['messages']) ? 'file_input' : undefined;
  }
  for (const [prefix, reason, below] of PREFIXES) {
    if (below === undefined ? path.length > prefix.length && path.startsWith(prefix) : path === prefix || path.startsWith(below)) return reason;
  }
  return undefined;
}

/** STATEFUL_ROUTES with `prefix + '/'` built once (undefined for a prefix that ends in `/`: only paths below it). */
const PREFIXES: ReadonlyArray<readonly [prefix: string, reason: string, below: string | undefined]> = STATEFUL_ROUTES.map(
  ([prefix, reason]) => [prefix, reason, prefix.endsWith('/') ? undefined : `${prefix}/`] as const,
);

function responsesReason(body: Body): string | undefined {
  if (present(body?.['previous_response_id'])) return 'previous_response';
  if (present(body?.['conversation'])) return 'conversation';
  if (body === undefined || body['store'] !== false) return 'stored_response';
  if (isRecord(body['prompt']) && present(body['prompt']['id'])) return 'stored_prompt';
  const input = body['input'];
  if (listRefersToFile(input)) return 'file_input';
  if (Array.isArray(input) && input.some((item) => isRecord(item) && item['type'] === 'item_reference')) return 'item_reference';
  return toolsReason(body['tools']);
}

/** Tools that search or run against state stored with the provider. */
function toolsReason(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    if (tool['type'] === 'file_search') return 'vector_stores';
    if (tool['type'] === 'code_interpreter') {
      const container = tool['container'];
      if (typeof container === 'string') return 'containers';
      if (isRecord(container) && Array.isArray(container['file_ids']) && container['file_ids'].length > 0) return 'file_input';
    }
  }
  return undefined;
}

/** `messages[]` / `input[]`: does an item, or a part of its `content[]`, name an uploaded file? */
function listRefersToFile(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (const item of list) {
    if (!isRecord(item)) continue;
    if (partRefersToFile(item)) return true;
    const content = item['content'];
    if (Array.isArray(content) && content.some((part) => isRecord(part) && partRefersToFile(part))) return true;
  }
  return false;
}

/** `{type:'input_file'|'input_image', file_id}` (responses) or `{type:'file', file:{file_id}}` (chat). */
function partRefersToFile(part: Record<string, unknown>): boolean {
  if (present(part['file_id'])) return true;
  const file = part['file'];
  return isRecord(file) && present(file['file_id']);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}
