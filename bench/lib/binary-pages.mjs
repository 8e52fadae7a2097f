// Which parts of the node binary a live process has paged in: its resident
// pages of /usr/bin/node (from /proc/PID/pagemap, the "present" bit), each
// charged to the binary's symbol it falls in (`nm --defined-only -C`; node
// exports nearly all of its symbols for addons), grouped by component: V8's
// compilers (TurboFan, Maglev, the wasm tiers, irregexp), V8's runtime, the
// ICU data table, OpenSSL, libuv, node itself. Needs read access to the
// process's pagemap (same user, or root) and `nm` (binutils).
import { execFileSync } from 'node:child_process';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';

const PAGE = 4096;
const LOAD = 0x400000;

/** Sorted [{ start, end, name }] of the binary's defined symbols with a size. */
export function symbols(binary) {
  const text = execFileSync('nm', ['--defined-only', '-C', '-S', '-n', binary], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) \S (.*)$/.exec(line);
    if (!m) continue;
    const start = parseInt(m[1], 16);
    out.push({ start, end: start + parseInt(m[2], 16), name: m[3] });
  }
  return out;
}

/** The component a (demangled) symbol belongs to. */
export function component(name) {
  if (/^icudt\d+_dat$/.test(name)) return 'ICU data table';
  if (/^v8::internal::compiler::turboshaft/.test(name)) return 'V8 TurboFan/Turboshaft (optimizing compiler)';
  if (/^v8::internal::compiler::/.test(name)) return 'V8 TurboFan/Turboshaft (optimizing compiler)';
  if (/^v8::internal::maglev::/.test(name)) return 'V8 Maglev';
  if (/^v8::internal::wasm::/.test(name)) return 'V8 wasm (Liftoff, decoder, runtime)';
  if (/^v8::internal::(RegExp|regexp|Irregexp)|^v8::internal::.*RegExp/.test(name)) return 'V8 irregexp';
  if (/^v8::internal::(Parser|PreParser|Scanner|Scope|AstNode|.*Bytecode|interpreter::)|^v8::internal::interpreter/.test(name)) return 'V8 parser and bytecode generator';
  if (/^Builtins_|embedded_blob|v8_Default_embedded_blob/.test(name)) return 'V8 builtins (embedded blob)';
  if (/^v8::internal::(Heap|.*GC|MarkCompact|Scavenger|.*Marking|.*Sweeper|heap::|cppgc)|^cppgc::/.test(name)) return 'V8 GC';
  if (/^v8::|^v8_/.test(name)) return 'V8 other (runtime, API, snapshot)';
  if (/^icu_\d+::|^u_|^ucol_|^ubrk_|^uloc_|^unorm|^ures_|^utf8_|^ucnv/.test(name)) return 'ICU code';
  if (/^node::|^napi_|^node_/.test(name)) return 'node';
  if (/^uv_|^uv__/.test(name)) return 'libuv';
  if (/^(SSL|EVP|OPENSSL|CRYPTO|ossl_|BN_|RSA|EC_|X509|ASN1|BIO|ERR|OBJ_|PEM|TLS|tls|ssl|aes|sha|gcm|ChaCha|Poly|x25519|ed25519)/.test(name)) return 'OpenSSL';
  if (/^(ares_|nghttp|llhttp|brotli|Brotli|deflate|inflate|zlib|crc32|adler|simdutf|ada::|simdjson|sqlite|uvwasi|nbytes)/i.test(name)) return 'bundled C libraries (c-ares, nghttp2, llhttp, zlib, brotli, simdutf, ada …)';
  if (/^std::|^__gnu|^operator/.test(name)) return 'C++ standard library';
  return 'other symbols';
}

/** Resident bytes of `binary` in `pid`, by component, plus the part no symbol covers. */
export function residentByComponent(pid, binary = readlinkExe(pid)) {
  const syms = symbols(binary);
  const sections = sectionsOf(binary);
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')
    .map((l) => /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \S+\s+(.*)$/.exec(l))
    .filter((m) => m && m[5] === binary)
    .map((m) => ({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), perms: m[3], offset: parseInt(m[4], 16) }));
  const fd = openSync(`/proc/${pid}/pagemap`, 'r');
  const totals = new Map();
  let resident = 0;
  try {
    for (const m of maps) {
      const pages = (m.end - m.start) / PAGE;
      const buf = Buffer.alloc(pages * 8);
      readSync(fd, buf, 0, buf.length, (m.start / PAGE) * 8);
      for (let p = 0; p < pages; p++) {
        if ((buf.readBigUInt64LE(p * 8) >> 63n) === 0n) continue;
        resident += PAGE;
        // Link address of the page (the binary is not PIE: file offset + 0x400000), which also
        // places node's remapped copy of its text where its symbols are.
        const mid = LOAD + m.offset + p * PAGE + PAGE / 2;
        const sym = symbolAt(syms, mid);
        const key = sym ? component(sym.name) : `no symbol: ${sectionAt(sections, mid)}`;
        totals.set(key, (totals.get(key) ?? 0) + PAGE);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { resident, totals };
}

/** The symbol whose [start, end) holds addr, looking back from the last one starting at or before it. */
function symbolAt(syms, addr) {
  let lo = 0;
  let hi = syms.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (syms[mid].start <= addr) lo = mid;
    else hi = mid - 1;
  }
  for (let i = lo; i >= 0 && i > lo - 64; i--) if (syms[i].start <= addr && addr < syms[i].end) return syms[i];
  return undefined;
}

/** [{ name, start, end }] of the binary's sections (readelf -SW). */
function sectionsOf(binary) {
  const text = execFileSync('readelf', ['-SW', binary], { encoding: 'utf8' });
  return [...text.matchAll(/\]\s+(\S+)\s+\S+\s+([0-9a-f]{8,})\s+[0-9a-f]+\s+([0-9a-f]+)/g)]
    .map((m) => ({ name: m[1], start: parseInt(m[2], 16), end: parseInt(m[2], 16) + parseInt(m[3], 16) }))
    .filter((x) => x.start > 0);
}

function sectionAt(sections, addr) {
  return sections.find((x) => x.start <= addr && addr < x.end)?.name ?? '(between sections)';
}

function readlinkExe(pid) {
  return execFileSync('readlink', ['-f', `/proc/${pid}/exe`], { encoding: 'utf8' }).trim();
}
