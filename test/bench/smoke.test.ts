/**
 * The benchmark still runs: `node bench/run.mjs --smoke` (a few hundred
 * requests per phase, seconds) starts the fake upstream, the load client, the
 * bare forwarder and the built sidecar, runs every phase and writes its table.
 * Nothing here is about speed: the smoke's figures mean nothing.
 * Needs `npm run build` and `npm --prefix bench install` (`make test` does both).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('bench smoke', () => {
  it('runs every phase against direct, bare and the sidecar and writes the ratio table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-bench-smoke-'));
    try {
      const out = join(dir, 'smoke');
      const { stdout } = await run(process.execPath, ['bench/run.mjs', '--smoke', '--out', out], { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 });
      expect(stdout).toContain('processes left behind: 0');
      const result = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as {
        meta: { processesLeftBehind: number; contestants: Record<string, string> };
        summary: { max: Record<string, { rps: number; errors: number }>; streams: Record<string, { streams: number; failed: number }>; targets: { target: string }[] };
      };
      expect(Object.keys(result.meta.contestants)).toEqual(['direct', 'bare', 'sidecar']);
      expect(result.meta.processesLeftBehind).toBe(0);
      for (const name of ['direct', 'bare', 'sidecar']) {
        expect(result.summary.max[name]!.rps).toBeGreaterThan(0); // requests went through every contestant ...
        expect(result.summary.max[name]!.errors).toBe(0); // ... and were answered
        expect(result.summary.streams[name]!.streams).toBeGreaterThan(0);
        expect(result.summary.streams[name]!.failed).toBe(0);
      }
      const md = readFileSync(`${out}.md`, 'utf8');
      expect(md).toContain('| figure | direct | bare forwarder | bellwether sidecar | Portkey | sidecar ÷ bare | sidecar ÷ Portkey |');
      expect(md).toContain('| target (issue #11) | limit | measured | met |');
      expect(result.summary.targets.length).toBeGreaterThan(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
