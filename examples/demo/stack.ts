/**
 * The stack every phase runs against: two fake upstreams on loopback, the
 * route file, the real sidecar as a child process, its admin port and the
 * app's SDK client. `setUp` builds it, registering each piece with the
 * teardown before the next can fail, and prints the setup section.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream } from '../../test/fakes/upstream.js';
import { Admin } from './admin.js';
import { demoFetch } from './connections.js';
import { ms, say, section, table } from './report.js';
import { RouteFile } from './route-file.js';
import { APP_KEY, LATENCY, RELAY_KEY, USAGE } from './scenario.js';
import { SidecarProcess } from './sidecar-process.js';
import type { Teardown } from './teardown.js';
import { AppTraffic } from './traffic.js';

export interface Stack {
  official: FakeUpstream;
  relay: FakeUpstream;
  route: RouteFile;
  sidecar: SidecarProcess;
  admin: Admin;
  app: AppTraffic;
  /** One or more lines per phase for the closing summary: [phase, what it showed]. */
  summary: Array<[string, string]>;
}

export async function setUp(teardown: Teardown): Promise<Stack> {
  const official = (teardown.official = await startFakeUpstream({ name: 'official' }));
  const relay = (teardown.relay = await startFakeUpstream({ name: 'relay' }));
  official.setDefault({ kind: 'auto', ...LATENCY.official, chunks: 8, usage: USAGE });
  relay.setDefault({ kind: 'auto', ...LATENCY.relay, chunks: 8, usage: USAGE });
  const dir = (teardown.dir = mkdtempSync(join(tmpdir(), 'bellwether-demo-')));
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
  const sidecar = (teardown.sidecar = new SidecarProcess(route.path, keyFile));
  await sidecar.start();
  say(`  sidecar   node dist/sidecar/main.js --route … --log-level warn (pid ${sidecar.pid}): ready in ${ms(performance.now() - t0)}`);
  say(`            app ${sidecar.appURL} (the app's OPENAI_BASE_URL)  admin ${sidecar.adminURL}`);

  // No SDK retries: every failure the sidecar lets through must show.
  const client = new OpenAI({ baseURL: sidecar.appURL, apiKey: APP_KEY, maxRetries: 0, timeout: 15_000, fetch: demoFetch });
  return { official, relay, route, sidecar, admin: new Admin(sidecar.adminURL), app: new AppTraffic(client), summary: [] };
}
