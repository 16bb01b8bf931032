/**
 * A stop while opening the log waits for the writers' lock (another process
 * holds it): a stop signal ends the wait at once, the client closing its
 * input ends it once it is a wait (when the note says so), each with
 * `audit.lock_wait_ended` naming the lock and why; nothing is written. A
 * client that closed its input before a free lock was taken (a pipe) still
 * gets its log. The holder is a real process that keeps the lock longer than
 * the test waits for a stop: code that does not hear the stop takes the lock
 * once the holder lets go, and fails.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { LOCK_WAIT_ENDED } from "../../src/audit/take_audit_lock.ts";
import { isAppError } from "../../src/errors.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Far longer than the holder keeps the lock: only a stop ends the wait before it lets go. */
const PATIENT = { waitMs: 60_000, noteAfterMs: 50 };
/** The longest the holder keeps the lock. */
const HOLD_AT_MOST = 3_000;

async function settled<T>(run: () => Promise<T>): Promise<T | unknown> {
  return await run().then((value) => value, (error: unknown) => error);
}

/** A profile whose audit lock another process holds, and what opening its log came to. */
async function openWhileHeld(
  open: (home: string, notes: string[]) => Promise<unknown>,
): Promise<{ home: string; outcome: unknown; notes: string[] }> {
  const home = await tempFolder("thoth-audit-wait-ended-");
  await Deno.mkdir(auditPaths(home).dir, { recursive: true });
  const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
  const notes: string[] = [];
  let outcome: unknown;
  try {
    outcome = await settled(() => open(home, notes));
  } finally {
    await holder.release();
  }
  // A log opened after all (the stop was not heard) is closed before the assertions.
  if (outcome !== null && typeof outcome === "object" && "close" in outcome) {
    await (outcome as { close(): Promise<void> }).close();
  }
  return { home, outcome, notes };
}

Deno.test("openAuditLog() ends its wait for the lock at a stop signal: audit.lock_wait_ended, nothing written", async () => {
  const { home, outcome, notes } = await openWhileHeld((home, notes) => {
    const stop = new AbortController();
    return openAuditLog({
      thothHome: home,
      lockPatience: PATIENT,
      // The signal arrives once the wait was told.
      note: (m) => {
        notes.push(m);
        stop.abort("SIGTERM");
      },
      lockWaitEnd: { stop: stop.signal },
    });
  });
  assert.ok(isAppError(outcome, LOCK_WAIT_ENDED), `not ended by the stop: ${String(outcome)}`);
  const { dir, lock } = auditPaths(home);
  assert.equal(
    outcome.message,
    `cannot write the audit log in "${dir}": received SIGTERM while waiting for its lock ` +
      `"${lock}", which another process holds`,
  );
  assert.match(outcome.hints.join("\n"), /to see which process holds it, run: /);
  assert.equal(notes.length, 1, notes.join("\n"));
  await assert.rejects(Deno.stat(auditPaths(home).state), Deno.errors.NotFound, "no state");
  // The lock it asked for came once the holder let go, and was let go: the log opens now.
  const log = await openAuditLog({ thothHome: home, lockPatience: PATIENT, note: () => {} });
  await log.close();
});

Deno.test("openAuditLog() ends its wait for the lock once it is one when the client closed its input", async () => {
  const { home, outcome, notes } = await openWhileHeld((home, notes) => {
    const closed = new AbortController();
    // Closed before the wait began: heard once the note says thoth waits.
    closed.abort("input closed");
    return openAuditLog({
      thothHome: home,
      lockPatience: PATIENT,
      note: (m) => notes.push(m),
      lockWaitEnd: { inputClosed: closed.signal },
    });
  });
  assert.ok(isAppError(outcome, LOCK_WAIT_ENDED), `not ended: ${String(outcome)}`);
  assert.match(
    outcome.message,
    /^cannot write the audit log in ".+\/audit": the client closed its input while waiting for its lock ".+\/audit\/\.lock", which another process holds$/,
  );
  assert.equal(notes.length, 1, "the wait was told first");
  await assert.rejects(Deno.stat(auditPaths(home).state), Deno.errors.NotFound, "no state");
});

Deno.test("openAuditLog() takes a free lock for a client that already closed its input (a pipe)", async () => {
  const home = await tempFolder("thoth-audit-wait-ended-");
  const closed = new AbortController();
  closed.abort("input closed");
  const log = await openAuditLog({
    thothHome: home,
    lockPatience: PATIENT,
    note: () => {},
    lockWaitEnd: { inputClosed: closed.signal },
  });
  await log.close();
  // A stop signal that came first takes nothing, even a free lock: the session is over.
  const stop = new AbortController();
  stop.abort("SIGINT");
  const error = await settled(() =>
    openAuditLog({ thothHome: home, lockPatience: PATIENT, lockWaitEnd: { stop: stop.signal } })
  );
  assert.ok(isAppError(error, LOCK_WAIT_ENDED), `opened anyway: ${String(error)}`);
  assert.match(error.message, /received SIGINT while waiting for its lock/);
});
