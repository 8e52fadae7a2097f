// Child processes: start each in its own process group with a parent-death
// signal (so even a SIGKILLed orchestrator leaves nothing behind), stop them all
// on exit, error and signals, and read their CPU time and memory from /proc.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';

const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64 and arm64
const children = new Set();
const hasSetpriv = existsSync('/usr/bin/setpriv');

/**
 * Start `node args…` in a new process group. With `ipc`, the child gets an IPC
 * channel and `message(type)` waits for a message of that type.
 */
export function startNode(name, args, { ipc = false, env = {}, cwd, log } = {}) {
  const argv = hasSetpriv ? ['--pdeathsig', 'KILL', process.execPath, ...args] : args;
  const cmd = hasSetpriv ? '/usr/bin/setpriv' : process.execPath;
  const child = spawn(cmd, argv, {
    cwd,
    detached: true, // its own process group: we kill the group
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  const entry = { name, child, tail: [] };
  const keep = (d) => {
    entry.tail.push(String(d));
    if (entry.tail.length > 40) entry.tail.shift();
    log?.(String(d));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(entry);
  child.on('exit', (code, signal) => {
    entry.exited = { code, signal };
    children.delete(entry);
  });
  entry.message = (type, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${name}: no '${type}' message in ${timeoutMs} ms\n${entry.tail.join('')}`)), timeoutMs);
      const on = (m) => {
        if (m?.type === type) {
          clearTimeout(t);
          child.off('message', on);
          resolve(m);
        }
      };
      child.on('message', on);
      child.once('exit', (code, sig) => {
        clearTimeout(t);
        reject(new Error(`${name} exited (${code ?? sig}) before '${type}'\n${entry.tail.join('')}`));
      });
    });
  return entry;
}

/** A request/response channel over IPC: call(cmd, args) → result. */
export function rpc(entry) {
  let next = 1;
  const waiting = new Map();
  entry.child.on('message', (m) => {
    if (m?.id && waiting.has(m.id)) {
      const { resolve, reject } = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) resolve(m.result);
      else reject(new Error(`${entry.name}: ${m.error}`));
    }
  });
  entry.child.on('exit', () => {
    for (const { reject } of waiting.values()) reject(new Error(`${entry.name} exited\n${entry.tail.join('')}`));
    waiting.clear();
  });
  return (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      entry.child.send({ id, cmd, args });
    });
}

function signalGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Stop one child's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(entry, graceMs = 3000) {
  const { child } = entry;
  if (entry.exited) {
    signalGroup(child.pid, 'SIGKILL'); // any grandchildren
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  signalGroup(child.pid, 'SIGTERM');
  const t = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
  signalGroup(child.pid, 'SIGKILL');
}

export async function stopAll() {
  await Promise.all([...children].map((e) => stop(e)));
}

/** Synchronous last resort (process 'exit' handler): SIGKILL every group. */
export function killAllNow() {
  for (const e of children) signalGroup(e.child.pid, 'SIGKILL');
}

/** Pids of the groups we started that still have a live member. */
export function leftovers(pids) {
  return pids.filter((pid) => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/** CPU seconds (user + system, all threads) of a live process. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

/** { rssMiB, hwmMiB } of a live process from /proc/PID/status. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

/** Reset the peak-RSS mark (VmHWM) to the current RSS. Needs Linux ≥ 4.0. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (bound and released; tiny race accepted). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolve when `probe()` resolves truthy; poll every `everyMs`. */
export async function waitFor(what, probe, { timeoutMs = 20_000, everyMs = 50 } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}
