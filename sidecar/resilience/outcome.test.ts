import { describe, expect, it } from 'vitest';
import { classify, type Action, type BodyShape, type ErrorKind, type Observation, type RetryOn, type Role } from './outcome.js';

const retryOn: RetryOn = { statuses: new Set([429, 500, 502, 503, 504]), connectError: true, timeout: true };
const nothingListed: RetryOn = { statuses: new Set(), connectError: false, timeout: false };

const reply = (status: number, body: BodyShape = status < 300 ? 'json' : 'error_body', errorCode?: string): Observation =>
  errorCode === undefined ? { kind: 'reply', status, body } : { kind: 'reply', status, body, errorCode };
const error = (e: ErrorKind): Observation => ({ kind: 'error', error: e });

type Row = [string, Role, Observation, Action, 'success' | 'failure' | 'none', string, boolean];

// [case, role, observation, action, breaker, result, served]
const TABLE: Row[] = [
  // --- the relay: it must earn every byte it sends ---
  ['relay success (JSON)', 'relay', reply(200), 'commit', 'success', 'ok', true],
  ['relay success (first SSE data event)', 'relay', reply(200, 'sse_data'), 'commit', 'success', 'ok', true],
  ['relay reply too large to buffer', 'relay', reply(200, 'large'), 'commit', 'success', 'ok', true],
  ['relay 200 text/html (a CDN error page)', 'relay', reply(200, 'not_json'), 'retry', 'failure', 'malformed', false],
  ['relay 200 JSON to a stream request', 'relay', reply(200, 'wrong_type'), 'next_model', 'failure', 'malformed', false],
  ['relay stream of pings that ends before data', 'relay', reply(200, 'sse_empty'), 'retry', 'failure', 'cut', false],
  ['relay first event is an error', 'relay', reply(200, 'sse_error'), 'retry', 'failure', 'error_event', false],
  ['relay first event is not JSON', 'relay', reply(200, 'sse_malformed'), 'retry', 'failure', 'malformed', false],
  ['relay event over the size cap', 'relay', reply(200, 'sse_too_large'), 'retry', 'failure', 'event_too_large', false],
  ['relay encoding the sidecar cannot decode', 'relay', reply(200, 'undecodable'), 'next_model', 'failure', 'undecodable', false],
  ['relay 301 (not followed)', 'relay', reply(301), 'next_model', 'failure', 'http_301', false],
  ['relay 401 (ADR 0002)', 'relay', reply(401), 'skip_relay', 'failure', 'relay_auth', false],
  ['relay 403', 'relay', reply(403), 'skip_relay', 'failure', 'relay_auth', false],
  ['relay 402 out of credit', 'relay', reply(402), 'skip_relay', 'failure', 'relay_billing', false],
  ['relay 404 model_not_found', 'relay', reply(404, 'error_body', 'model_not_found'), 'next_model', 'failure', 'http_404', false],
  ['relay 404 without a code', 'relay', reply(404), 'next_model', 'failure', 'http_404', false],
  ['relay 400 model_not_found', 'relay', reply(400, 'error_body', 'model_not_found'), 'next_model', 'failure', 'http_400', false],
  ['relay 400 context_length_exceeded', 'relay', reply(400, 'error_body', 'context_length_exceeded'), 'next_model', 'failure', 'context_length', false],
  ['relay 413 (its own limit)', 'relay', reply(413), 'next_model', 'none', 'http_413', false],
  ['relay 408', 'relay', reply(408), 'next_model', 'none', 'http_408', false],
  ['relay 400: the app\'s own error', 'relay', reply(400), 'pass_on', 'success', 'app_error', true],
  ['relay 422: the app\'s own error', 'relay', reply(422), 'pass_on', 'success', 'app_error', true],
  ['relay 429 listed', 'relay', reply(429), 'retry', 'failure', 'http_429', false],
  ['relay 503 listed', 'relay', reply(503), 'retry', 'failure', 'http_503', false],
  ['relay 520 unlisted (Cloudflare)', 'relay', reply(520), 'next_model', 'failure', 'http_520', false],
  ['relay 522 unlisted', 'relay', reply(522), 'next_model', 'failure', 'http_522', false],
  ['relay 524 unlisted', 'relay', reply(524), 'next_model', 'failure', 'http_524', false],
  ['relay connect error', 'relay', error('connect'), 'retry', 'failure', 'connect_error', false],
  ['relay connect timeout', 'relay', error('connect_timeout'), 'retry', 'failure', 'timeout', false],
  ['relay first-byte timeout', 'relay', error('first_byte_timeout'), 'retry', 'failure', 'timeout', false],
  ['relay idle before commit', 'relay', error('idle_timeout'), 'retry', 'failure', 'timeout', false],
  ['relay cut before commit', 'relay', error('cut'), 'retry', 'failure', 'cut', false],
  ['a local error on the relay path (Expect: 100-continue)', 'relay', error('local'), 'local_error', 'none', 'local_error', false],

  // --- the official API after the relay chain ---
  ['fallback success', 'official_fallback', reply(200), 'commit', 'none', 'ok', true],
  ['fallback 200 HTML: the official API\'s answer', 'official_fallback', reply(200, 'not_json'), 'commit', 'none', 'ok', true],
  ['fallback stream that ends before data', 'official_fallback', reply(200, 'sse_empty'), 'retry', 'none', 'cut', false],
  ['fallback first event is an error: the official API\'s answer', 'official_fallback', reply(200, 'sse_error'), 'commit', 'none', 'ok', true],
  ['fallback 503 listed', 'official_fallback', reply(503), 'retry', 'none', 'http_503', false],
  ['fallback 520 unlisted', 'official_fallback', reply(520), 'pass_on', 'none', 'http_520', false],
  ['fallback 400', 'official_fallback', reply(400), 'pass_on', 'none', 'app_error', true],
  ['fallback 401 (the app\'s key)', 'official_fallback', reply(401), 'pass_on', 'none', 'app_error', true],
  ['fallback connect error', 'official_fallback', error('connect'), 'retry', 'none', 'connect_error', false],
  ['fallback local error', 'official_fallback', error('local'), 'local_error', 'none', 'local_error', false],

  // --- the official API in front of the relay chain (canary.mode fallbackOnly) ---
  ['first success', 'official_first', reply(200), 'commit', 'none', 'ok', true],
  ['first first SSE data event', 'official_first', reply(200, 'sse_data'), 'commit', 'none', 'ok', true],
  ['first 200 HTML: the official API\'s answer, not a reason to ask the relay', 'official_first', reply(200, 'not_json'), 'commit', 'none', 'ok', true],
  ['first first event is an error: passed on as it came', 'official_first', reply(200, 'sse_error'), 'commit', 'none', 'ok', true],
  ['first stream that ends before data: retried, then the relay', 'official_first', reply(200, 'sse_empty'), 'retry', 'none', 'cut', false],
  ['first 429 listed: retried, then the relay', 'official_first', reply(429), 'retry', 'none', 'http_429', false],
  ['first 503 listed', 'official_first', reply(503), 'retry', 'none', 'http_503', false],
  ['first 520 unlisted: straight to the relay', 'official_first', reply(520), 'next_model', 'none', 'http_520', false],
  ['first 400: the app\'s own error, never sent to the relay', 'official_first', reply(400), 'pass_on', 'none', 'app_error', true],
  ['first 401: the app\'s key, never sent to the relay', 'official_first', reply(401), 'pass_on', 'none', 'app_error', true],
  ['first 404 model_not_found: the app\'s model, passed on', 'official_first', reply(404, 'error_body', 'model_not_found'), 'pass_on', 'none', 'app_error', true],
  ['first 413', 'official_first', reply(413), 'pass_on', 'none', 'app_error', true],
  ['first connect error', 'official_first', error('connect'), 'retry', 'none', 'connect_error', false],
  ['first first-byte timeout', 'official_first', error('first_byte_timeout'), 'retry', 'none', 'timeout', false],
  ['first cut before commit', 'official_first', error('cut'), 'retry', 'none', 'cut', false],
  ['first local error', 'official_first', error('local'), 'local_error', 'none', 'local_error', false],

  // --- the official API alone: invisible ---
  ['primary success', 'official_primary', reply(200), 'commit', 'none', 'ok', true],
  ['primary 429: passed on, never retried by the sidecar', 'official_primary', reply(429), 'pass_on', 'none', 'http_429', false],
  ['primary 503: passed on', 'official_primary', reply(503), 'pass_on', 'none', 'http_503', false],
  ['primary 404', 'official_primary', reply(404), 'pass_on', 'none', 'app_error', true],
  ['primary 200 HTML', 'official_primary', reply(200, 'not_json'), 'commit', 'none', 'ok', true],
  ['primary undecodable', 'official_primary', reply(200, 'undecodable'), 'commit', 'none', 'ok', true],
  ['primary first event is an error: passed on as it came', 'official_primary', reply(200, 'sse_error'), 'commit', 'none', 'ok', true],
  ['primary first event is not JSON: passed on (the writer ends it with an error event)', 'official_primary', reply(200, 'sse_malformed'), 'commit', 'none', 'ok', true],
  ['primary JSON to a stream request', 'official_primary', reply(200, 'wrong_type'), 'commit', 'none', 'ok', true],
  ['primary stream that ends before data', 'official_primary', reply(200, 'sse_empty'), 'give_up', 'none', 'cut', false],
  ['primary connect error: 502 the SDK retries', 'official_primary', error('connect'), 'give_up', 'none', 'connect_error', false],
  ['primary first-byte timeout', 'official_primary', error('first_byte_timeout'), 'give_up', 'none', 'timeout', false],
  ['primary local error', 'official_primary', error('local'), 'local_error', 'none', 'local_error', false],
];

describe('classify', () => {
  it.each(TABLE)('%s', (_name, role, o, action, breaker, result, served) => {
    expect(classify(role, o, retryOn)).toEqual({ action, breaker, result, served });
  });

  it('retryOn decides retries only: an unlisted relay failure still moves on', () => {
    expect(classify('relay', reply(503), nothingListed).action).toBe('next_model');
    expect(classify('relay', error('connect'), nothingListed).action).toBe('next_model');
    expect(classify('relay', error('first_byte_timeout'), nothingListed).action).toBe('next_model');
    expect(classify('relay', reply(200, 'not_json'), nothingListed).action).toBe('next_model');
  });

  it('an unlisted official-fallback failure gives up or passes on instead of retrying', () => {
    expect(classify('official_fallback', error('connect'), nothingListed).action).toBe('give_up');
    expect(classify('official_fallback', reply(503), nothingListed).action).toBe('pass_on');
  });

  it('an unlisted official-first failure goes to the relay at once', () => {
    expect(classify('official_first', error('connect'), nothingListed).action).toBe('next_model');
    expect(classify('official_first', error('first_byte_timeout'), nothingListed).action).toBe('next_model');
    expect(classify('official_first', reply(503), nothingListed).action).toBe('next_model');
    expect(classify('official_first', reply(429), nothingListed).action).toBe('next_model');
    expect(classify('official_first', reply(200, 'sse_empty'), nothingListed).action).toBe('next_model');
  });

  it('never lets the official side touch a breaker, and never retries the primary', () => {
    const shapes: Observation[] = [reply(200), reply(429), reply(500), reply(503), error('connect'), error('first_byte_timeout'), reply(200, 'sse_empty')];
    for (const o of shapes) {
      for (const role of ['official_primary', 'official_first', 'official_fallback'] as const) expect(classify(role, o, retryOn).breaker).toBe('none');
      expect(classify('official_primary', o, retryOn).action).not.toBe('retry');
    }
  });

  it('never charges a local error to anyone', () => {
    for (const role of ['relay', 'official_first', 'official_fallback', 'official_primary'] as const) {
      expect(classify(role, error('local'), retryOn)).toEqual({ action: 'local_error', breaker: 'none', result: 'local_error', served: false });
    }
  });
});
