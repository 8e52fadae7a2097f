/**
 * The Redis password Secret (spec.cache.redis.passwordSecretRef) is mounted
 * as an optional volume: a Secret that does not exist leaves no file. The
 * sidecar must start anyway — a cache is never worth the workload — report
 * `auth_missing`, miss every lookup, and connect once the file appears.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { eventually, metric, startStack, type Stack } from './harness.js';
import { startRedis, type RedisServer } from '../fakes/redis-server.js';

const PASSWORD = 'fake-redis-password-0004';
let stack: Stack | undefined;
let redis: RedisServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.close();
  await redis?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = redis = dir = undefined;
});

const chat = (content = 'hello') => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content }] });

it('starts without the password file, misses with cache.state auth_missing, and connects when the file appears', async () => {
  redis = await startRedis({ password: PASSWORD });
  dir = mkdtempSync(join(tmpdir(), 'bellwether-redis-secret-'));
  const file = join(dir, 'password');
  stack = await startStack({ canary: { weight: 0 }, cache: { backend: 'redis', redis: { url: redis.url, timeout: '1s' } } }, { redisPassword: { file } });
  const client = stack.client();

  expect((await stack.status()).cache.state).toBe('auth_missing');
  expect((await stack.status()).config.files.redis_password.ok).toBe(false);
  expect(stack.logs.join('')).toContain('no Redis password loaded');
  for (let i = 0; i < 2; i++) {
    const r = await client.chat.completions.create(chat()).withResponse();
    expect(r.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect(r.response.headers.get('x-bellwether-side')).toBe('official');
  }
  expect(stack.official.requests).toHaveLength(2);

  // The kubelet creates the file once the Secret exists (atomically, like any mounted Secret).
  writeFileSync(`${file}.tmp`, `${PASSWORD}\n`);
  renameSync(`${file}.tmp`, file);
  await eventually(async () => (await stack!.status()).cache.state === 'ready');
  expect(metric(await stack.metrics(), 'bellwether_config_last_reload_successful', { file: 'redis_password' })).toBe(1);
  await client.chat.completions.create(chat('again'));
  await eventually(async () => (await stack!.status()).cache.stores > 0);
  const hit = await client.chat.completions.create(chat('again')).withResponse();
  expect(hit.response.headers.get('x-bellwether-cache')).toBe('hit');
  expect(stack.official.requests).toHaveLength(3);

  expect(JSON.stringify(await stack.status())).not.toContain(PASSWORD);
  expect(stack.logs.join('')).not.toContain(PASSWORD);
  expect(await stack.metrics()).not.toContain(PASSWORD);
});

it('reconnects with a changed password without a restart', async () => {
  redis = await startRedis({ password: PASSWORD });
  dir = mkdtempSync(join(tmpdir(), 'bellwether-redis-secret-'));
  const file = join(dir, 'password');
  writeFileSync(file, 'an-old-password\n');
  stack = await startStack({ canary: { weight: 0 }, cache: { backend: 'redis', redis: { url: redis.url, timeout: '1s' } } }, { redisPassword: { file } });
  expect((await stack.status()).cache.state).not.toBe('ready');
  writeFileSync(`${file}.tmp`, PASSWORD);
  renameSync(`${file}.tmp`, file);
  await eventually(async () => (await stack!.status()).cache.state === 'ready');
});
