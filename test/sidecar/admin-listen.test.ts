/**
 * The admin port listens dual-stack on `::` by default and falls back to
 * 0.0.0.0 where IPv6 is disabled.
 */
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bind, createAdminServer, listenAdmin } from '../../sidecar/admin/server.js';
import { createLogger } from '../../sidecar/log.js';
import type { Runtime } from '../../sidecar/runtime.js';
import { startStack, type Stack } from './harness.js';

const servers: http.Server[] = [];
let stack: Stack | undefined;
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await stack?.close();
  stack = undefined;
});

function setup() {
  const lines: string[] = [];
  const log = createLogger('info', new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString('utf8')), cb()) }));
  const server = createAdminServer({ runtime: () => ({}) as Runtime, health: () => ({ files: {} }), ready: () => true });
  servers.push(server);
  return { server, log, lines };
}

const healthz = (host: string, port: number): Promise<number | string> =>
  new Promise((resolve) => {
    http
      .get({ host, port, path: '/healthz', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

const hasIPv6Loopback = (): boolean => Object.values(networkInterfaces()).flat().some((a) => a?.internal && a.family === 'IPv6' && a.address === '::1');

describe('admin listen address', () => {
  it('binds :: and answers on 127.0.0.1 and ::1 — or, where IPv6 is off, falls back to 0.0.0.0 and says so', async () => {
    const { server, log, lines } = setup();
    await listenAdmin(server, 0, '::', log);
    const addr = server.address() as AddressInfo;
    expect(await healthz('127.0.0.1', addr.port)).toBe(200);
    if (addr.address === '::') {
      expect(lines.join('')).not.toContain('cannot listen on ::');
      // Bound to :: with IPv6 up: ::1 must answer whenever the host has it.
      if (hasIPv6Loopback()) expect(await healthz('::1', addr.port)).toBe(200);
      else expect(await healthz('::1', addr.port)).not.toBe(200);
    } else {
      expect(addr.address).toBe('0.0.0.0');
      expect(lines.join('')).toContain('listening on 0.0.0.0 (IPv4 only) instead');
    }
  });

  for (const code of ['EAFNOSUPPORT', 'EADDRNOTAVAIL']) {
    it(`falls back to 0.0.0.0 when binding :: fails with ${code}`, async () => {
      const { server, log, lines } = setup();
      const tried: string[] = [];
      await listenAdmin(server, 0, '::', log, (s, port, host) => {
        tried.push(host);
        if (host === '::') return Promise.reject(Object.assign(new Error(`listen ${code} :::0`), { code }));
        return bind(s, port, host);
      });
      expect(tried).toEqual(['::', '0.0.0.0']);
      const addr = server.address() as AddressInfo;
      expect(addr.address).toBe('0.0.0.0');
      expect(await healthz('127.0.0.1', addr.port)).toBe(200);
      const line = JSON.parse(lines.find((l) => l.includes('cannot listen on ::'))!) as { level: string; code: string };
      expect(line).toMatchObject({ level: 'warn', code });
    });
  }

  it('does not fall back on other errors, or for an explicit host', async () => {
    const { server, log } = setup();
    const inUse = (): Promise<void> => Promise.reject(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }));
    await expect(listenAdmin(server, 0, '::', log, inUse)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const noV6 = (): Promise<void> => Promise.reject(Object.assign(new Error('listen EAFNOSUPPORT'), { code: 'EAFNOSUPPORT' }));
    await expect(listenAdmin(server, 0, '::1', log, noV6)).rejects.toMatchObject({ code: 'EAFNOSUPPORT' });
  });

  it('the sidecar uses it: an admin on :: is reachable through adminURL', async () => {
    stack = await startStack({}, { adminHost: '::' });
    expect(stack.sidecar.adminURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${stack.sidecar.adminURL}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.sidecar.adminURL}/readyz`)).status).toBe(200);
  });
});
