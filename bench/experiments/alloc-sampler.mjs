// Preloaded with --import: V8's sampling heap profiler over every allocation,
// garbage included (includeObjectsCollectedBy{Major,Minor}GC), written to
// $ALLOC_PROFILE when the process gets SIGUSR2.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
process.on('SIGUSR2', () => {
  session.post('HeapProfiler.stopSampling', (err, r) => {
    if (!err) writeFileSync(process.env.ALLOC_PROFILE, JSON.stringify(r.profile));
    process.send?.({ type: 'alloc-written' });
  });
});
process.on('SIGUSR1', () => {
  session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
});
