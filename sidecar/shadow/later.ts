/**
 * How shadow work yields to the app's: a copy's steps that cost CPU — sending
 * it, parsing the relay's reply, assembling the app's answer, judging the
 * pair — each start in a later macrotask (`setImmediate`), so the I/O
 * callbacks already ready in this turn of the event loop (the app's requests
 * and replies) run first. Node has no task priorities; this is the one it
 * gives: a check-phase callback runs after the poll phase's ready I/O.
 */
export function afterPendingIO(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
