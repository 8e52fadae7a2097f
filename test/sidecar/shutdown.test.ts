/**
 * Shutdown: in-flight requests finish, and keep-alive connections do not hold
 * the sidecar open (pods must not wait out terminationGracePeriodSeconds).
 */
import { afterEach, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startStack, type Stack } from './harness.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.official.close();
  await stack?.relay.close();
  stack = undefined;
});

it('finishes the in-flight request, then closes promptly despite idle keep-alive connections', async () => {
  stack = await startStack({ canary: { weight: 100 } });
  stack.relay.setDefault({ kind: 'json', latencyMs: 300 });
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
  const send = () =>
    request(`${stack!.sidecar.baseURL}/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });

  // Warm two keep-alive connections, then leave one idle and one busy.
  await Promise.all([send().then((r) => r.body.text()), send().then((r) => r.body.text())]);
  const inflight = send();
  await stack.relay.waitForRequests(3);

  const started = Date.now();
  await stack.sidecar.close();
  const res = await inflight;
  expect(res.statusCode).toBe(200);
  expect(res.headers['connection']).toBe('close');
  expect(JSON.parse(await res.body.text()).choices[0].message.content).toContain('[relay:');
  // The idle connection would have kept the server open for its whole keep-alive timeout.
  expect(Date.now() - started).toBeLessThan(5_000);
  await agent.close();
});
