import { Writable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { renderConfigMap } from '../../operator/render.js';
import { decisionsOf } from '../../operator/status.js';
import { routeFixture } from '../../operator/testdata/fixtures.js';
import { createLogger } from '../log.js';
import { ConfigSource } from './source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('logs a reload at info for a new decision, at debug when only the fleet budget figure changed', () => {
  const route = routeFixture({ spec: { budget: { daily: 100, action: 'block' } } } as never);
  const text = (weight: number, spent: number) =>
    renderConfigMap(route, decisionsOf(route, { effectiveWeight: weight, phase: 'Progressing', budgetSpent: { day: '2026-12-03', routeUSD: spent, models: {} } })).data!['route.yaml']!;
  const dir = mkdtempSync(join(tmpdir(), 'bw-source-'));
  dirs.push(dir);
  const routeFile = join(dir, 'route.yaml');
  writeFileSync(routeFile, text(25, 1));
  const lines: Array<{ level: string; msg: string; weight?: number }> = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  const source = new ConfigSource({ routeFile, relayKey: { value: 'k' }, officialKey: {}, pollMs: 60_000, log: createLogger('debug', sink) });
  source.load();
  const reloads = () => lines.filter((l) => l.msg === 'route reloaded').map((l) => [l.level, l.weight]);

  source.offerApiRoute(text(25, 2)); // first copy from the API server: only the figure differs from the file
  source.offerApiRoute(text(25, 3.5));
  source.offerApiRoute(text(50, 3.5)); // the operator stepped the canary
  expect(reloads()).toEqual([['debug', 25], ['debug', 25], ['info', 50]]);
});
