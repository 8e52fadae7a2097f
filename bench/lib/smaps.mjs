// Where a process's resident memory is, from /proc/PID/smaps: each mapping's
// Rss, grouped by what the mapping is. Linux only.
//
//   node binary        /usr/bin/node's pages: its machine code (V8, the compilers,
//                      libuv, ICU …) and read-only data, paged in as they are used.
//                      File-backed and clean: shared with every process running the
//                      same binary file, but counted in each one's RSS.
//   shared libraries   libc, libstdc++, libm … (file-backed, same remark)
//   malloc, brk heap   glibc's main arena ([heap])
//   malloc, thread arenas  anonymous mappings at a 64 MiB boundary (glibc's per-thread
//                      arenas: HEAP_MAX_SIZE), with their reserved tails
//   V8 heap pages      anonymous mappings made of V8's 256 KiB pages (aligned to 256 KiB,
//                      a multiple of it long): the JS heap, code space included
//   other anonymous    everything else: thread stacks, V8's large-object pages,
//                      node's and OpenSSL's big mallocs (served by mmap), wasm code
import { readFileSync } from 'node:fs';

const KIB = 1024;
const V8_PAGE = 256 * KIB;
const ARENA = 64 * KIB * KIB;

/** Parses /proc/PID/smaps into mappings: { start, end, perms, path, rssKiB }. */
export function readSmaps(pid) {
  const mappings = [];
  let current;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3], path: head[4].trim(), rssKiB: 0 };
      mappings.push(current);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) current.rssKiB = Number(rss[1]);
  }
  return mappings;
}

/** The group a mapping belongs to (see the header). */
export function classify(m, nodeBinary = process.execPath) {
  if (m.path === nodeBinary || m.path.endsWith('/node')) return 'node binary';
  if (m.path === '[heap]') return 'malloc, brk heap';
  if (m.path === '[stack]') return 'main thread stack';
  if (m.path.startsWith('[')) return 'other anonymous';
  if (m.path !== '') return 'shared libraries';
  const size = m.end - m.start;
  if (m.start % BigInt(ARENA) === 0n && size <= BigInt(ARENA)) return 'malloc, thread arenas';
  if (m.start % BigInt(V8_PAGE) === 0n && size % BigInt(V8_PAGE) === 0n) return 'V8 heap pages';
  return 'other anonymous';
}

export const GROUPS = ['node binary', 'shared libraries', 'V8 heap pages', 'malloc, brk heap', 'malloc, thread arenas', 'main thread stack', 'other anonymous'];

/** { group: MiB } and the total, for a live process. */
export function rssBreakdown(pid) {
  const groups = Object.fromEntries(GROUPS.map((g) => [g, 0]));
  let total = 0;
  for (const m of readSmaps(pid)) {
    groups[classify(m)] += m.rssKiB / KIB;
    total += m.rssKiB / KIB;
  }
  return { groups, totalMiB: total };
}
