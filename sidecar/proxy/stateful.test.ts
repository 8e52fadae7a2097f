import { describe, expect, it } from 'vitest';
import { STATEFUL_ROUTES, statefulReason } from './stateful.js';

type Body = Record<string, unknown> | undefined;
type Case = [method: string, path: string, body: Body, reason: string | undefined];

const chat = (extra: Record<string, unknown> = {}, messages: unknown[] = [{ role: 'user', content: 'hi' }]) => ({ model: 'gpt-4o', messages, ...extra });
const resp = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o', input: 'hi', store: false, ...extra });

const stateless: Case[] = [
  ['GET', '/v1/models', undefined, undefined],
  ['GET', '/v1/models/gpt-4o', undefined, undefined],
  ['POST', '/v1/moderations', { input: 'x' }, undefined],
  ['POST', '/v1/embeddings', { model: 'e', input: ['a'] }, undefined],
  ['POST', '/v1/audio/transcriptions', undefined, undefined],
  ['POST', '/v1/audio/speech', { model: 'tts-1', input: 'hi' }, undefined],
  ['POST', '/v1/images/generations', { prompt: 'cat' }, undefined],
  ['POST', '/v1/images/edits', undefined, undefined],
  ['POST', '/v1/chat/completions', chat(), undefined],
  ['post', '/v1/chat/completions', chat({ store: false }), undefined],
  ['POST', '/v1/chat/completions', chat({ store: 'true' }), undefined],
  ['POST', '/v1/chat/completions', undefined, undefined],
  ['POST', '/v1/completions', { model: 'x', prompt: 'hi' }, undefined],
  ['POST', '/v1/responses', resp(), undefined],
  ['POST', '/v1/responses', resp({ previous_response_id: null, conversation: null }), undefined],
  ['POST', '/v1/responses', resp({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'file_id' }] }] }), undefined],
  ['POST', '/v1/responses', resp({ input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] }), undefined],
  ['POST', '/v1/responses', resp({ tools: [{ type: 'function', name: 'f' }, { type: 'code_interpreter', container: { type: 'auto' } }] }), undefined],
  ['POST', '/v1/filesystem', undefined, undefined],
  ['POST', '/v1/responsesx', undefined, undefined],
];

const routes: Case[] = [
  ['POST', '/v1/files', undefined, 'files'],
  ['GET', '/v1/files/file-abc/content', undefined, 'files'],
  ['POST', '/v1/uploads/upload_1/parts', undefined, 'uploads'],
  ['POST', '/v1/batches', { input_file_id: 'f' }, 'batches'],
  ['GET', '/v1/fine_tuning/jobs', undefined, 'fine_tuning'],
  ['POST', '/v1/vector_stores/vs_1/search', { query: 'q' }, 'vector_stores'],
  ['POST', '/v1/assistants', undefined, 'assistants'],
  ['POST', '/v1/threads/thread_1/runs', undefined, 'threads'],
  ['POST', '/v1/conversations', undefined, 'conversations'],
  ['GET', '/v1/containers/cntr_1/files', undefined, 'containers'],
  ['POST', '/v1/evals/eval_1/runs', undefined, 'evals'],
  ['GET', '/v1/videos/video_1/content', undefined, 'videos'],
  ['GET', '/v1/responses/resp_1', undefined, 'responses_by_id'],
  ['POST', '/v1/responses/resp_1/cancel', undefined, 'responses_by_id'],
  ['GET', '/v1/responses/resp_1/input_items', undefined, 'responses_by_id'],
  ['DELETE', '/v1/responses/resp_1', undefined, 'responses_by_id'],
  ['POST', '/v1/responses/input_tokens', resp(), 'responses_by_id'],
  ['GET', '/v1/responses', undefined, 'responses_by_id'],
  ['GET', '/v1/chat/completions/chatcmpl-1', undefined, 'stored_completion'],
  ['GET', '/v1/chat/completions/chatcmpl-1/messages', undefined, 'stored_completion'],
  ['POST', '/v1/chat/completions/chatcmpl-1', { metadata: {} }, 'stored_completion'],
  ['GET', '/v1/chat/completions', undefined, 'stored_completion'],
];

const bodies: Case[] = [
  ['POST', '/v1/chat/completions', chat({ store: true }), 'stored_completion'],
  ['POST', '/v1/chat/completions', chat({}, [{ role: 'user', content: [{ type: 'text', text: 'read' }, { type: 'file', file: { file_id: 'file-abc' } }] }]), 'file_input'],
  ['POST', '/v1/chat/completions', chat({}, [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' } }] }]), undefined],
  ['POST', '/v1/responses', { model: 'gpt-4o', input: 'hi' }, 'stored_response'],
  ['POST', '/v1/responses', resp({ store: true }), 'stored_response'],
  ['POST', '/v1/responses', resp({ store: null }), 'stored_response'],
  ['POST', '/v1/responses', undefined, 'stored_response'],
  ['POST', '/v1/responses', resp({ previous_response_id: 'resp_1' }), 'previous_response'],
  ['POST', '/v1/responses', { model: 'x', previous_response_id: 'resp_1' }, 'previous_response'],
  ['POST', '/v1/responses', resp({ conversation: 'conv_1' }), 'conversation'],
  ['POST', '/v1/responses', resp({ conversation: { id: 'conv_1' } }), 'conversation'],
  ['POST', '/v1/responses', resp({ prompt: { id: 'pmpt_1', version: '2' } }), 'stored_prompt'],
  ['POST', '/v1/responses', resp({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-abc' }] }] }), 'file_input'],
  ['POST', '/v1/responses', resp({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-img' }] }] }), 'file_input'],
  ['POST', '/v1/responses', resp({ input: [{ type: 'input_file', file_id: 'file-abc' }] }), 'file_input'],
  ['POST', '/v1/responses', resp({ input: [{ type: 'item_reference', id: 'msg_1' }] }), 'item_reference'],
  ['POST', '/v1/responses', resp({ tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }), 'vector_stores'],
  ['POST', '/v1/responses', resp({ tools: [{ type: 'code_interpreter', container: 'cntr_1' }] }), 'containers'],
  ['POST', '/v1/responses', resp({ tools: [{ type: 'code_interpreter', container: { type: 'auto', file_ids: ['file-1'] } }] }), 'file_input'],
];

describe('statefulReason', () => {
  it.each(stateless)('%s %s is stateless', (method, path, body, reason) => {
    expect(statefulReason(method, path, body)).toBe(reason);
  });
  it.each(routes)('%s %s is stateful by route', (method, path, body, reason) => {
    expect(statefulReason(method, path, body)).toBe(reason);
  });
  it.each(bodies)('%s %s with %j', (method, path, body, reason) => {
    expect(statefulReason(method, path, body)).toBe(reason);
  });

  it('looks only two levels deep', () => {
    const deep = [{ role: 'user', content: [{ type: 'text', nested: { type: 'file', file: { file_id: 'file-abc' } } }] }];
    expect(statefulReason('POST', '/v1/chat/completions', chat({}, deep))).toBeUndefined();
  });

  it('copes with content that is not an array or items that are not objects', () => {
    const messages = [null, 7, 'x', { role: 'user', content: 'file_id' }, { role: 'user', content: [null, 'x'] }];
    expect(statefulReason('POST', '/v1/chat/completions', chat({}, messages))).toBeUndefined();
    expect(statefulReason('POST', '/v1/responses', resp({ input: { file_id: 'f' }, tools: 'x' }))).toBeUndefined();
  });

  it('returns bounded tokens usable as label values', () => {
    const reasons = new Set([...routes, ...bodies].map((c) => statefulReason(c[0], c[1], c[2])));
    for (const r of reasons) if (r !== undefined) expect(r).toMatch(/^[a-z_]{1,32}$/);
    for (const [prefix, reason] of STATEFUL_ROUTES) {
      expect(prefix.startsWith('/v1/')).toBe(true);
      expect(reason).toMatch(/^[a-z_]{1,32}$/);
    }
  });
});
