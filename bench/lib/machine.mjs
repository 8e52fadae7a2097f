// What the figures were measured on: the machine, the versions, how busy the
// cores were.
import os from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
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
  // Uncommitted changes to the code under test (read-only: `git diff` does not write the index).
  let uncommitted = null;
  if (commit) {
    try {
      uncommitted = execFileSync('git', ['-C', repoDir, 'diff', '--name-only', 'HEAD', '--', 'sidecar', 'crds'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString().trim().split('\n').filter(Boolean);
    } catch {
      uncommitted = null;
    }
  }
  const nm = join(benchDir, 'node_modules');
  return {
    node: process.version,
    bellwether: versionOf(repoDir),
    bellwetherCommit: commit,
    bellwetherUncommitted: uncommitted,
    undici: versionOf(join(nm, 'undici')),
    autocannon: versionOf(join(nm, 'autocannon')),
    portkeyGateway: versionOf(join(nm, '@portkey-ai', 'gateway')),
    honoNodeServer: versionOf(join(nm, '@hono', 'node-server')),
  };
}

/**
 * CPU seconds used so far by every process on the machine except `ours`
 * (and this process): what neighbours on a shared machine took. Processes that
 * both start and end between two readings are missed.
 */
export function neighbourCpu(ours) {
  const skip = new Set([...ours, process.pid].filter(Boolean).map(String));
  const perPid = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || skip.has(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Kernel threads (flag PF_KTHREAD) do the loopback and timer work our own traffic causes: not neighbours.
      if (Number(f[6]) & 0x00200000) continue;
      perPid.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  return perPid;
}

/** Cores the neighbours used between two neighbourCpu() readings `sec` seconds apart. */
export function neighbourCores(a, b, sec) {
  let total = 0;
  for (const [pid, v] of b) total += v - (a.get(pid) ?? 0);
  return sec > 0 ? total / sec : null;
}

/** The neighbours that used the most CPU between two readings: [[pid, command, seconds]]. */
export function topNeighbours(a, b, n = 3) {
  const rows = [];
  for (const [pid, v] of b) {
    const d = v - (a.get(pid) ?? 0);
    if (d <= 0) continue;
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // gone
    }
    rows.push([pid, comm, Math.round(d * 100) / 100]);
  }
  return rows.sort((x, y) => y[2] - x[2]).slice(0, n);
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
