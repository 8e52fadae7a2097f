/**
 * `make demo`: the real sidecar (dist/sidecar/main.js, as a child process)
 * between the official `openai` SDK and two fake upstreams on loopback —
 * "official" standing in for api.openai.com and "relay" for
 * api.holysheep.ai — in seven phases: a shadow phase at weight 0 (the relay
 * answers copies nobody sees, and the pairs are judged), canary split,
 * streaming, a weight flip,
 * tokens and cost, a relay failure ending in the automatic rollback, and the
 * resume. It prints what a platform engineer would look at and checks it as it
 * goes: a failed expectation ends the run with a message and exit code 1, so
 * the demo doubles as a smoke test. The sidecar, the fakes and the temp dir
 * are cleaned up on every exit path, Ctrl-C included.
 *
 * The pieces live in examples/demo/: the stack and its teardown, the sidecar
 * process, the admin port, the app's traffic, the report, and one file per
 * phase under phases/.
 */
import { checks, DemoFailure, expect } from './demo/check.js';
import { phaseCost } from './demo/phases/cost.js';
import { phaseFailure } from './demo/phases/failure.js';
import { phaseFlip } from './demo/phases/flip.js';
import { phaseResume } from './demo/phases/resume.js';
import { phaseShadow } from './demo/phases/shadow.js';
import { phaseSplit } from './demo/phases/split.js';
import { phaseStreaming } from './demo/phases/streaming.js';
import { bold, green, ms, red, say, yellow } from './demo/report.js';
import { USERS } from './demo/scenario.js';
import { setUp } from './demo/stack.js';
import { showSummary } from './demo/summary.js';
import { Teardown } from './demo/teardown.js';

const teardown = new Teardown();
/** Set by Ctrl-C: the requests cut short by the stop are not failures worth reporting. */
let interrupting = false;

async function main(): Promise<number> {
  const started = performance.now();
  say(bold('bellwether demo') + ' · the sidecar between the openai SDK, a fake OpenAI API and a fake HolySheep relay');
  try {
    const stack = await setUp(teardown);
    await phaseShadow(stack);
    const relayAt25 = await phaseSplit(stack);
    await phaseStreaming(stack, [...relayAt25], USERS.filter((u) => !relayAt25.has(u)));
    const relayAt50 = await phaseFlip(stack, relayAt25);
    await phaseCost(stack);
    await phaseFailure(stack, [...relayAt50]);
    await phaseResume(stack, { at25: relayAt25, at50: relayAt50 });

    showSummary(stack, performance.now() - started);
    const stopped = await teardown.run();
    say(`\n  sidecar stopped (${stopped}); fakes closed; ${teardown.dir} removed`);
    expect(stack.sidecar.exit === 0, `the sidecar exited with ${stack.sidecar.exit} after SIGTERM`);
    say(`${green('✓')} ${bold('demo passed')}: ${checks.passed} checks in ${ms(performance.now() - started)}`);
    return 0;
  } catch (err) {
    if (interrupting) return 130;
    say();
    if (err instanceof DemoFailure) say(`${red('✗ demo failed:')} ${err.message}`);
    else say(`${red('✗ demo crashed:')} ${(err as Error).stack ?? String(err)}`);
    const tail = teardown.sidecar?.output.slice(-15) ?? [];
    if (tail.length) say(`\n  last sidecar output:\n${tail.map((l) => `    ${l}`).join('\n')}`);
    return 1;
  } finally {
    await teardown.run();
  }
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  interrupting = true;
  say(`\n${yellow(`interrupted (${signal})`)}: stopping the sidecar and the fakes`);
  await teardown.run();
  process.exit(130);
}
process.once('SIGINT', (s) => void interrupted(s));
process.once('SIGTERM', (s) => void interrupted(s));
// Last resort (e.g. an exception while exiting): never leave the sidecar running.
process.once('exit', () => teardown.now());

main().then((code) => process.exit(code));
