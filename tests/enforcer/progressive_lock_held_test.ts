/**
 * The progressive counters' lock held by another process (a stopped thoth,
 * any process of the user): a decision waits for it without blocking the
 * thread, says once on `note` what it waits for, and past the wait the
 * violation is blocked (fail closed) with a reason naming the lock and the
 * remedy, instead of being left undecided. The lock it gave up on is let go
 * once it comes. The holder is a real process; the waits are injected short ones.
 */
import assert from "node:assert/strict";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { ProgressiveStateError, ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { FileLock } from "../../src/platform/file_lock.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { DELETION, noDeletesPolicy } from "./_no_deletes.ts";

const SHORT = { waitMs: 400, noteAfterMs: 50 };
/** The longest the holder keeps the lock: code that waits for it for ever ends, and fails. */
const HOLD_AT_MOST = 3_000;
const KEY = { server: "fs", user: "ana@example.org" };
const HOUR = 3_600_000;

/** A profile whose counters' lock another process holds (at most {@linkcode HOLD_AT_MOST}). */
async function heldCounters() {
  const home = await tempFolder("thoth-progressive-locked-");
  await Deno.mkdir(`${home}/state`, { recursive: true });
  const lock = `${home}/state/progressive.lock`;
  return { home, lock, holder: await holdLock(lock, HOLD_AT_MOST) };
}

Deno.test("recordViolations() gives up on a lock another process keeps: named, said once, counted nothing", async () => {
  const { home, lock, holder } = await heldCounters();
  const notes: string[] = [];
  const store = new ProgressiveStore(home, { lockPatience: SHORT, note: (m) => notes.push(m) });
  let outcomes: PromiseSettledResult<Record<string, number>>[];
  try {
    // Two decisions at once: both wait, both give up, the wait is told once.
    outcomes = await Promise.allSettled([
      store.recordViolations(KEY, ["no-deletes"], Date.now(), HOUR),
      store.recordViolations(KEY, ["no-deletes"], Date.now(), HOUR),
    ]);
  } finally {
    await holder.release();
  }
  for (const outcome of outcomes) {
    assert.equal(outcome.status, "rejected", `counted anyway: ${JSON.stringify(outcome)}`);
    const error = (outcome as PromiseRejectedResult).reason;
    assert.ok(error instanceof ProgressiveStateError, String(error));
    assert.equal(error.code, "enforcer.progressive_state");
    assert.equal(
      error.message,
      `cannot update the progressive counters in "${home}/state": their lock "${lock}" was held by another process for 0.4 s`,
    );
    assert.equal(error.sameCause, `locked ${lock}`);
    assert.match(error.hints.join("\n"), /to see which process holds it, run: /);
  }
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.match(
    notes[0]!,
    /^warning: waiting for the progressive counters' lock ".+\/state\/progressive\.lock", which another process holds .*; the call is blocked if it is not free within 0\.4 s; to see which process holds it/,
  );
  // The lock given up on was let go once it came; nothing was counted meanwhile.
  assert.deepEqual(await store.recordViolations(KEY, ["no-deletes"], Date.now(), HOUR), {
    "no-deletes": 0,
  });
});

Deno.test("a progressive decision whose counters stay locked is blocked, the lock named in its reasons", async () => {
  const { home, lock, holder } = await heldCounters();
  const notes: string[] = [];
  const enforcer = new LocalEnforcer({
    policy: compilePolicy(noDeletesPolicy("step_up", { stepUpAfter: 5, blockAfter: 10 })),
    mode: "progressive",
    intent: undefined,
    userId: KEY.user,
    counter: new ProgressiveStore(home, { lockPatience: SHORT, note: (m) => notes.push(m) }),
  });
  let verdict: LocalVerdict;
  try {
    verdict = await enforcer.decide(DELETION, () => "d-1");
  } finally {
    await holder.release();
  }
  assert.equal(verdict.decision, "block");
  assert.match(
    verdict.reasons[0]!,
    new RegExp(
      `^progressive counters unavailable, failing closed: cannot update the progressive counters in ".+": their lock "${
        RegExp.escape(lock)
      }" was held by another process for 0\\.4 s$`,
    ),
  );
  assert.match(verdict.shownReasons?.[0] ?? "", /progressive counters are unavailable/);
  assert.match(verdict.counterWarning?.text ?? "", /to see which process holds it/);
  assert.equal(notes.length, 1, notes.join("\n"));
  await takenAgain(lock);
});

/**
 * Takes `path` on this thread, behind the take that gave up on it (which
 * keeps this thread's turn until its late request ended and let go).
 */
async function takenAgain(path: string): Promise<void> {
  const lock = await FileLock.open(path);
  try {
    assert.equal(await lock.acquireWithin(5_000), true);
    await lock.release();
  } finally {
    lock.close();
  }
}
