// The orchestrator's side of reply-timing.mjs (run.mjs --reply-timing): preloads the probe
// into a sidecar, and around each paced run empties it, then reads its samples and the
// sidecar's shadow totals from /status (copies judged and skipped during the run).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const PRELOAD = join(dirname(dirname(fileURLToPath(import.meta.url))), 'reply-timing.mjs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class ReplyTimingProbe {
  constructor(file) {
    this.file = file;
    this.nodeFlags = ['--import', PRELOAD];
    this.env = { BENCH_REPLY_TIMING_FILE: file };
    this.dumps = 0;
    rmSync(file, { force: true });
  }

  attach(pid) {
    this.pid = pid;
    return this;
  }

  /** Ask the probe for its samples (SIGUSR2) and wait until it has written them. */
  async #dump() {
    const want = ++this.dumps;
    process.kill(this.pid, 'SIGUSR2');
    for (let i = 0; i < 200; i++) {
      if (existsSync(this.file)) {
        const d = JSON.parse(readFileSync(this.file, 'utf8'));
        if (d.dump === want) return d;
      }
      await sleep(10);
    }
    throw new Error(`reply-timing probe in pid ${this.pid} did not answer`);
  }

  async #shadow(c) {
    const res = await fetch(`${c.adminURL}/status`);
    const doc = await res.json();
    return doc.shadow ?? null;
  }

  async start(c) {
    await this.#dump(); // drops what came before this run
    this.before = await this.#shadow(c);
  }

  /** The run's probe figures: { replyTiming, shadow } to merge into its record. */
  async finish(c) {
    const d = await this.#dump();
    const after = await this.#shadow(c);
    const stat = (v) => ({ count: v.length, ...pick(summarize(v)) });
    const out = { replyTiming: { noCopy: stat(d.noCopy), copyInFlight: stat(d.copyInFlight), copiesStarted: d.copiesStarted } };
    if (this.before && after) {
      out.shadow = {
        pairs: after.pairs - this.before.pairs,
        equivalent: after.equivalent - this.before.equivalent,
        relayErrors: after.relayErrors - this.before.relayErrors,
        skipped: after.skipped - this.before.skipped,
      };
    }
    return out;
  }
}

function pick(s) {
  return { p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max };
}
