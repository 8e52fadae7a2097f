/**
 * Everything the demo starts, and how it all goes away: the pooled
 * connections, the sidecar, the two fakes and the temp dir. `run` is
 * idempotent (normal end, failure and Ctrl-C may all call it); `now` is the
 * synchronous last resort for the process 'exit' hook.
 */
import { rmSync } from 'node:fs';
import type { FakeUpstream } from '../../test/fakes/upstream.js';
import { connections } from './connections.js';
import type { SidecarProcess } from './sidecar-process.js';

export class Teardown {
  official: FakeUpstream | undefined;
  relay: FakeUpstream | undefined;
  dir: string | undefined;
  sidecar: SidecarProcess | undefined;
  #running: Promise<string> | undefined;

  /** Tears everything down once; resolves with how the sidecar stopped. */
  run(): Promise<string> {
    this.#running ??= (async () => {
      await connections.destroy().catch(() => undefined);
      const stopped = (await this.sidecar?.stop()) ?? 'not started';
      await Promise.all([this.official?.close(), this.relay?.close()]);
      if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      return stopped;
    })();
    return this.#running;
  }

  /** Kill the sidecar and remove the temp dir without waiting for anything. */
  now(): void {
    this.sidecar?.killNow();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
