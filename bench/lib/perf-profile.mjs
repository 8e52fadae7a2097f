// An on-CPU profile of a Node process with Linux `perf`: `perf record -g` at
// 1,999 Hz on the process's threads, JS frames named through the map file
// that `node --perf-basic-prof-only-functions` writes to /tmp/perf-PID.map.
//
// Why not only `node --cpu-prof`: V8's sampler signals the main thread and
// records the stack in the signal handler. On this machine (a KVM guest) a
// signal takes ~16 µs to reach a thread running user code, but is taken at
// once when the thread returns from a syscall, so each sample due during JS
// work tends to land in the next syscall's binding. A proxy's JS runs between
// its reads and writes, so --cpu-prof charges the JS before a `writev` to the
// `writev` (experiments/sampler-bias.mjs: an fstat measured at 1.6 % of the time
// gets 11 % of the samples). perf samples from a timer interrupt on the CPU the
// thread runs on and has no such bias.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export const PERF_NODE_FLAGS = ['--perf-basic-prof-only-functions', '--interpreted-frames-native-stack'];

/** True when `perf record` can sample a process here (installed, permitted). */
export function perfWorks() {
  const r = spawnSync('perf', ['record', '-q', '-F', '99', '-g', '-o', '/dev/null', '--', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Start sampling `pid` into `file`; `stop()` ends it and resolves when perf has written the file. */
export function startPerf(pid, file) {
  const perf = spawn('perf', ['record', '-q', '-F', '1999', '-g', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  const exited = new Promise((resolve) => perf.once('exit', resolve));
  return {
    async stop() {
      perf.kill('SIGINT');
      await exited;
    },
  };
}

/**
 * V8 appends to the map as it compiles and never takes an entry back, so code
 * that was freed and whose addresses were reused leaves stale names that perf
 * may prefer. Keep, for each address, only the entry written last.
 */
export function dedupeMap(text) {
  const entries = text.split('\n').filter(Boolean).map((line, i) => {
    const [start, size] = line.split(' ', 2);
    const lo = parseInt(start, 16);
    return { lo, hi: lo + parseInt(size, 16), i, line };
  });
  const kept = [];
  for (const e of entries.sort((a, b) => a.lo - b.lo || a.i - b.i)) {
    while (kept.length && kept[kept.length - 1].hi > e.lo && kept[kept.length - 1].i < e.i) kept.pop(); // e supersedes it
    const last = kept[kept.length - 1];
    if (last && last.hi > e.lo) continue; // a later entry already covers this address
    kept.push(e);
  }
  return `${kept.map((e) => e.line).join('\n')}\n`;
}

/** `perf script` of a recording (with the JIT map made current), then the map file is removed. */
export function perfScript(file, pid) {
  const map = `/tmp/perf-${pid}.map`;
  if (existsSync(map)) writeFileSync(map, dedupeMap(readFileSync(map, 'utf8')));
  const r = spawnSync('perf', ['script', '-i', file, '-F', 'tid,period,ip,sym,dso'], { maxBuffer: 1 << 30 });
  rmSync(map, { force: true });
  if (r.status !== 0) throw new Error(`perf script failed: ${r.stderr}`);
  return r.stdout.toString();
}

const GC = /Heap::CollectGarbage|Heap::PerformGarbageCollection|ScavengerCollector|Scavenger::|MarkCompactCollector|ConcurrentMarking|Sweeper|MinorMarkSweep|IncrementalMarking|MemoryReducer|ScavengeJob|ArrayBufferSweeper/;
const JIT = /OptimizingCompileDispatcher|compiler::Pipeline|maglev::|Compiler::Compile|baseline::|BackgroundCompileTask/;
// The syscall a kernel stack is in (entry points are often inlined away, so also their helpers).
const SYSCALLS = [
  [/do_writev|vfs_writev|__x64_sys_writev/, 'writev'],
  [/ksys_write|vfs_write\b|__x64_sys_write\b/, 'write'],
  [/ksys_read|vfs_read|__x64_sys_read\b|tcp_recvmsg/, 'read'],
  [/do_epoll_wait|ep_poll|__x64_sys_epoll_pwait/, 'epoll_pwait'],
  [/__x64_sys_(\w+)|__do_sys_(\w+)/, null],
];
function syscallOf(stack) {
  for (const [re, name] of SYSCALLS) {
    const m = re.exec(stack);
    if (m) return name ?? m[1] ?? m[2];
  }
  return null;
}

/** One frame's display name and the package it belongs to. */
function classify(sym, dso, repoDir) {
  if (sym.startsWith('JS:')) {
    const m = /^JS:[*~^+]?(\S*) (\S+?)(?::(\d+):\d+)?$/.exec(sym);
    const [name, url, line] = m ? [m[1] || '(anonymous)', m[2], m[3]] : [sym.slice(3), '', ''];
    // node_modules/… for dependencies; dist/… and bench/… for the proxy's own code, wherever the build lives.
    const short = url.replace(`file://${repoDir}/`, '')
      .replace(/^(?:file:\/\/)?\/.*\/node_modules\//, 'node_modules/')
      .replace(/^file:\/\/\/.*?\/(dist\/sidecar\/)/, '$1');
    let pkg = 'node core (JS)';
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short);
    if (nm) pkg = nm[1];
    else if (short.startsWith('dist/')) pkg = `bellwether ${short.split('/').slice(0, 3).join('/')}`;
    else if (short.startsWith('bench/')) pkg = 'bench';
    else if (!short.startsWith('node:')) pkg = short || 'JS (unknown)';
    return { name: `${name} ${short}${line ? `:${line}` : ''}`, pkg, own: /^(dist|bench)\//.test(short) };
  }
  if (dso === '[kernel.kallsyms]') return { name: `[k] ${sym}`, pkg: 'kernel' };
  if (sym.startsWith('wasm-function')) return { name: sym.trim(), pkg: 'wasm (undici\'s llhttp)' };
  if (sym.startsWith('Builtins_')) return { name: sym, pkg: 'V8 builtins, ICs, interpreter' };
  if (sym.startsWith('v8::')) return { name: sym, pkg: 'V8 runtime' };
  if (sym.startsWith('node::')) return { name: sym, pkg: 'node native' };
  if (/^uv_|^uv__/.test(sym)) return { name: sym, pkg: 'libuv' };
  if (/libc\.so/.test(dso)) return { name: sym, pkg: 'libc' };
  return { name: sym || '(unknown)', pkg: dso.includes('perf-') ? 'JS (unnamed)' : `(${dso.replace(/^.*\//, '') || 'unknown'})` };
}

/**
 * Self time by "function" and by package, inclusive time of the proxy's own
 * JS functions, and CPU by thread, in ms. Kernel samples are grouped by the
 * syscall they are in ("kernel: writev"), GC and JIT compilation by stack,
 * whatever the leaf, since their insides are not the proxy's to change.
 */
export function analyzePerf(text, { mainTid, repoDir }) {
  const self = new Map();
  const byPackage = new Map();
  const inclusive = new Map();
  const byJsFunction = new Map();
  const threads = { main: 0, other: 0 };
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    const head = /^\s*(\d+)\s+(\d+)/.exec(lines[0]);
    if (!head) continue;
    const [tid, ms] = [Number(head[1]), Number(head[2]) / 1e6];
    const frames = lines.slice(1).map((l) => {
      const m = /^\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)$/.exec(l);
      return m ? { sym: m[1].replace(/\+0x[0-9a-f]+$/, ''), dso: m[2] } : { sym: '', dso: '' };
    });
    if (!frames.length) continue;
    total += ms;
    threads[tid === mainTid ? 'main' : 'other'] += ms;
    const stack = frames.map((f) => f.sym).join('\n');
    const leaf = classify(frames[0].sym, frames[0].dso, repoDir);
    let key = leaf.name;
    let pkg = leaf.pkg;
    if (GC.test(stack)) [key, pkg] = ['(garbage collection, all threads)', 'V8 GC'];
    else if (JIT.test(stack)) [key, pkg] = ['(JIT compilation, all threads)', 'V8 compiler'];
    else if (leaf.pkg === 'kernel') {
      const sys = syscallOf(stack);
      key = sys ? `kernel: ${sys} syscall` : /irq|sysvec|softirq/.test(stack) ? 'kernel: interrupts' : 'kernel: other';
      pkg = key.replace(/ syscall$/, '');
    }
    add(self, key, ms);
    add(byPackage, pkg, ms);
    // Charge builtins, ICs, V8 runtime and native helpers to the innermost JS function that called them.
    let js = key;
    if (!/^\(|^kernel/.test(key)) {
      const inner = frames.find((f) => f.sym.startsWith('JS:'));
      if (inner) js = classify(inner.sym, inner.dso, repoDir).name;
    }
    add(byJsFunction, js, ms);
    const seen = new Set();
    for (const f of frames) {
      if (!f.sym.startsWith('JS:')) continue;
      const c = classify(f.sym, f.dso, repoDir);
      if (c.own && !seen.has(c.name)) {
        seen.add(c.name);
        add(inclusive, c.name, ms);
      }
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, busyMs: total, threads, self: sorted(self), byJsFunction: sorted(byJsFunction), byPackage: sorted(byPackage), inclusive: sorted(inclusive) };
}
