// What the figures were measured on: the machine, the versions, how busy the
// cores were.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function versionOf(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    platform: `${os.platform()} ${os.arch()}`,
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function describeVersions(benchDir, repoDir) {
  let commit = null;
  try {
    commit = execFileSync('git', ['-C', repoDir, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    commit = null; // no commit yet, or not a git checkout
  }
  const nm = join(benchDir, 'node_modules');
  return {
    node: process.version,
    bellwether: versionOf(repoDir),
    bellwetherCommit: commit,
    undici: versionOf(join(nm, 'undici')),
    autocannon: versionOf(join(nm, 'autocannon')),
    portkeyGateway: versionOf(join(nm, '@portkey-ai', 'gateway')),
    honoNodeServer: versionOf(join(nm, '@hono', 'node-server')),
  };
}

/** Busy jiffies and total jiffies over all cores, from /proc/stat. */
export function cpuJiffies() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Cores busy on average between two cpuJiffies() readings. */
export function busyCores(a, b) {
  const dt = b.total - a.total;
  return dt > 0 ? ((b.busy - a.busy) / dt) * os.cpus().length : null;
}
