// The orchestrator's side of reply-timing.mjs (run.mjs --reply-timing): preloads the probe
// into a sidecar, and around each paced run empties it, then reads its samples. Also the
// shadow totals from a sidecar's /status, read around every paced run of a shadow contestant.
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

  async start() {
    await this.#dump(); // drops what came before this run
  }

  /** The run's figures: { replyTiming } to merge into its record. */
  async finish() {
    const d = await this.#dump();
    const stat = (v) => ({ count: v.length, ...pick(summarize(v)) });
    return { replyTiming: { noCopy: stat(d.noCopy), copyInFlight: stat(d.copyInFlight), copiesStarted: d.copiesStarted } };
  }
}

/** A sidecar's shadow totals from /status (null without spec.shadow). */
export async function shadowTotals(adminURL) {
  const res = await fetch(`${adminURL}/status`);
  const doc = await res.json();
  return doc.shadow ?? null;
}

/** What changed between two shadowTotals: the copies judged and skipped during a run. */
export function shadowDelta(before, after) {
  if (!before || !after) return undefined;
  const d = (k) => after[k] - before[k];
  return { pairs: d('pairs'), equivalent: d('equivalent'), relayErrors: d('relayErrors'), skipped: d('skipped') };
}

function pick(s) {
  return { p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max };
}
