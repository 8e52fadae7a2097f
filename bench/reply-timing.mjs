// A probe preloaded into a sidecar by `run.mjs --reply-timing` (node --import), never in
// production: for each app request, the time INSIDE the sidecar from the upstream's last
// reply byte to the app's last reply byte handed to the socket, and whether a shadow copy
// was in flight in this process at that moment. It needs no core to itself: it is the
// sidecar's own clock, so it shows whether a copy holds up an app reply (the event loop
// busy with the copy), apart from the CPU the machine's other processes take.
//
// It listens on diagnostics_channel only: undici's request create/trailers/error and
// node's http.server.response.finish. Requests are paired by the `x-bench-seq` header the
// load client sets (`paced` with seq) and the sidecar forwards upstream. A shadow copy
// carries the app's headers too; it is told apart by being created after the app's reply
// finished. SIGUSR2 writes the samples so far to $BENCH_REPLY_TIMING_FILE and starts afresh.
import dc from 'node:diagnostics_channel';
import { writeFileSync, renameSync } from 'node:fs';

const file = process.env.BENCH_REPLY_TIMING_FILE;
const SEQ = 'x-bench-seq';
let upstreamEnd = new Map(); // seq → ms, the app's attempt's last byte
let finished = new Set(); // seqs whose app reply finished (a request created for one later is a copy)
const copies = new WeakSet();
const seqs = new WeakMap(); // undici request → seq (a WeakMap: no property added to undici's objects)
let copiesInFlight = 0;
let samples = { noCopy: [], copyInFlight: [] };
let copiesStarted = 0;
let dumps = 0;

const seqOf = (headers) => {
  for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === SEQ) return String(headers[i + 1]);
  return undefined;
};
const copyDone = (request) => {
  if (!copies.has(request)) return false;
  copies.delete(request);
  copiesInFlight--;
  return true;
};

dc.subscribe('undici:request:create', ({ request }) => {
  const seq = seqOf(request.headers);
  if (seq === undefined) return;
  seqs.set(request, seq);
  if (finished.has(seq)) {
    copies.add(request);
    copiesInFlight++;
    copiesStarted++;
  }
});
dc.subscribe('undici:request:trailers', ({ request }) => {
  if (copyDone(request)) return;
  const seq = seqs.get(request);
  if (seq !== undefined) upstreamEnd.set(seq, performance.now());
});
dc.subscribe('undici:request:error', ({ request }) => {
  copyDone(request);
});
dc.subscribe('http.server.response.finish', ({ request }) => {
  const seq = request.headers[SEQ];
  if (seq === undefined) return;
  finished.add(seq);
  const end = upstreamEnd.get(seq);
  if (end === undefined) return; // answered without an upstream reply (an error of the sidecar's own)
  upstreamEnd.delete(seq);
  const ms = Math.round((performance.now() - end) * 1000) / 1000;
  (copiesInFlight > 0 ? samples.copyInFlight : samples.noCopy).push(ms);
});

process.on('SIGUSR2', () => {
  const out = { dump: ++dumps, copiesStarted, copiesInFlightNow: copiesInFlight, ...samples };
  writeFileSync(`${file}.tmp`, JSON.stringify(out));
  renameSync(`${file}.tmp`, file);
  samples = { noCopy: [], copyInFlight: [] };
  copiesStarted = 0;
  upstreamEnd = new Map();
  finished = new Set();
});
