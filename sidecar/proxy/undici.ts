/**
 * The parts of undici the sidecar uses, loaded from their own files.
 *
 * `import … from 'undici'` runs undici's index, which also loads fetch,
 * WebSocket, EventSource, the cache stores, the mock agents and their
 * dependencies: about 8 MiB of RSS per sidecar (bench/README.md, "Memory")
 * for code the sidecar never calls. This module is the one place that reaches
 * into `undici/lib/`; the rest of the sidecar imports from here, with undici's
 * own types (a type import loads nothing). undici has no `exports` map, so
 * these paths resolve as files; test/chart/image.test.ts starts the
 * production install, which proves they are there. The paths are undici's
 * internals, not its API: package.json takes patch releases of 7.30 only
 * (`~`), so a new minor is a deliberate upgrade that the tests run against.
 *
 * What the index also does, and this module repeats: it puts `request()`
 * (and `stream`, `pipeline`, `upgrade`, `connect`) on `Dispatcher.prototype`.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);
const lib = (path: string): unknown => require(`undici/lib/${path}`);

const Dispatcher = lib('dispatcher/dispatcher.js') as typeof Undici.Dispatcher;
Object.assign(Dispatcher.prototype, lib('api/index.js'));

export const Pool = lib('dispatcher/pool.js') as typeof Undici.Pool;
export const Agent = lib('dispatcher/agent.js') as typeof Undici.Agent;
export const ProxyAgent = lib('dispatcher/proxy-agent.js') as typeof Undici.ProxyAgent;
export const buildConnector = lib('core/connect.js') as typeof Undici.buildConnector;
export const errors = lib('core/errors.js') as typeof Undici.errors;
export const util = {
  parseHeaders: (lib('core/util.js') as typeof Undici.util).parseHeaders,
};
export type { Dispatcher } from 'undici';
export type Agent = Undici.Agent;
export type Pool = Undici.Pool;
export type PoolConstructorOptions = Undici.Pool.Options;
export type ConnectorOptions = Undici.buildConnector.BuildOptions;
export type Connector = Undici.buildConnector.connector;
