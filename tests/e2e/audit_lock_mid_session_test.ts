/**
 * The audit log's lock taken by another process while a session runs (a
 * thoth stopped with Ctrl-Z, `flock` from a shell), through the real
 * `thoth run` and server-everything: the session goes on relaying (its
 * decisions are in its spool before the calls are forwarded), allowed calls
 * are answered while the lock is held, stderr says what it waits for, and
 * once the lock is let go the records are in the log and `thoth audit
 * verify` finds nothing wrong. (Before the fix each batch took the lock
 * with a blocking call on the relay's thread: the session froze until the
 * holder let go, without a word.)
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";
import { holdLock } from "../_hold_lock.ts";

/** Longer than the client waits: a frozen session fails the test at its deadline, not the hold's. */
const HOLD_AT_MOST = 90_000;
/** How long the client waits for an answer: half the SDK's request timeout. */
const CLIENT_WAITS = 30_000;

function echo(id: number, message: string) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { message } },
  };
}

/** The text of an echo call's answer, failing on an error or a refusal. */
function echoed(answer: Record<string, unknown>): string {
  const result = answer["result"] as { isError?: boolean; content: { text: string }[] } | undefined;
  assert.ok(result !== undefined && result.isError !== true, JSON.stringify(answer));
  return result.content[0]!.text;
}

/** Whether another process holds the exclusive lock on `path` now (this one does not). */
function heldElsewhere(path: string): boolean {
  const file = Deno.openSync(path, { read: true, write: true });
  try {
    const taken = file.tryLockSync(true);
    if (taken) file.unlockSync();
    return !taken;
  } finally {
    file.close();
  }
}

/** Polls `done` every 100 ms; false after `ms`. */
async function within(ms: number, done: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}

/** What a held-lock session does at each step (see {@linkcode heldLockSession}). */
interface HeldLockSteps {
  /** While another process holds the lock (`lock`, its file). */
  whileHeld: (peer: RawPeer, lock: string) => Promise<void>;
  /** Once the holder let go, before the session ends. */
  afterRelease: (peer: RawPeer) => Promise<void>;
  /** Once the session ended: its stderr and the log's records. */
  afterEnd: (peer: RawPeer, records: Record<string, unknown>[]) => void;
}

/**
 * A session through the real `thoth run` in block mode in front of
 * server-everything, in a temp profile: one echo call logged, then the
 * log's lock taken by another process for `steps.whileHeld`, let go for
 * `steps.afterRelease`; once the session ended, `steps.afterEnd`, and
 * `thoth audit verify` finds nothing wrong.
 */
async function heldLockSession(steps: HeldLockSteps): Promise<void> {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const env = testEnv({ THOTH_HOME: home, HOME: dir.path });
  const lock = `${home}/audit/.lock`;
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    env,
  );
  try {
    await peer.send(initializeRequest(1));
    assert.ok("result" in await peer.responseTo(1, CLIENT_WAITS));
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // A call before the hold: the log is open and has taken the session's records.
    await peer.send(echo(2, "before"));
    assert.match(echoed(await peer.responseTo(2, CLIENT_WAITS)), /before/);

    const holder = await holdLock(lock, HOLD_AT_MOST);
    try {
      await steps.whileHeld(peer, lock);
    } finally {
      await holder.release();
    }
    await steps.afterRelease(peer);
  } finally {
    await peer.finish();
  }
  steps.afterEnd(peer, await auditRecords(home));
  const [command, ...args] = thothArgv(["audit", "verify"]);
  const verified = await new Deno.Command(command!, { args, env, stdin: "null" }).output();
  const said = new TextDecoder().decode(verified.stdout) +
    new TextDecoder().decode(verified.stderr);
  assert.equal(verified.code, 0, said);
}

Deno.test("a session whose audit lock another process takes goes on answering allowed calls, says so, and logs them once it is let go", async () => {
  await heldLockSession({
    async whileHeld(peer, lock) {
      await peer.send(echo(3, "while-held-1"));
      assert.match(echoed(await peer.responseTo(3, CLIENT_WAITS)), /while-held-1/);
      // A pause (no measure of anything) for the batch of those records to begin waiting for
      // the lock: the relay's thread must stay free for the next call.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await peer.send(echo(4, "while-held-2"));
      assert.match(echoed(await peer.responseTo(4, CLIENT_WAITS)), /while-held-2/);
      assert.ok(
        await within(CLIENT_WAITS, () => peer.stderr.includes("waiting for the audit log's lock")),
        `nothing said of the held lock; stderr:\n${peer.stderr}`,
      );
      assert.ok(heldElsewhere(lock), "the calls were answered only after the holder let go");
    },
    async afterRelease(peer) {
      assert.match(
        peer.stderr,
        /thoth: warning: waiting for the audit log's lock ".+\/audit\/\.lock", which another process holds .*to see which process holds it/,
      );
      await peer.send(echo(5, "after"));
      assert.match(echoed(await peer.responseTo(5, CLIENT_WAITS)), /after/);
    },
    afterEnd(peer, records) {
      assert.doesNotMatch(peer.stderr, /error: cannot write the audit log/, peer.stderr);
      // Each call's decision (forwarded) and outcome, the ones made while the lock was held among them.
      const decided = records.filter((r) =>
        r["type"] === "decision" && r["effect"] === "forwarded"
      );
      const outcomes = records.filter((r) => r["type"] === "outcome" && r["isError"] === false);
      assert.equal(decided.length, 4, JSON.stringify(records));
      assert.deepEqual(
        outcomes.map((r) => r["decisionId"]).sort(),
        decided.map((r) => r["decisionId"]).sort(),
      );
    },
  });
});

Deno.test("a session whose audit lock another process keeps past 10 s refuses calls with the lock's remedies, and proceeds once it is let go", async () => {
  await heldLockSession({
    async whileHeld(peer) {
      await peer.send(echo(3, "while-held"));
      assert.match(echoed(await peer.responseTo(3, CLIENT_WAITS)), /while-held/);
      // Its records wait 10 s for the lock, and then the session says it gave up.
      assert.ok(
        await within(CLIENT_WAITS, () => peer.stderr.includes("was held by another process")),
        `the wait never gave up; stderr:\n${peer.stderr}`,
      );
      assert.match(
        peer.stderr,
        /thoth: error: cannot write the audit log in ".+\/audit": its lock ".+\/audit\/\.lock" was held by another process for 10 s; tool calls are blocked[^\n]*\nthoth: hint: to see which process holds it, run: /,
      );
      assert.doesNotMatch(peer.stderr, /hint: check free space/);
      await peer.send(echo(4, "refused"));
      const refused = (await peer.responseTo(4, CLIENT_WAITS))["result"] as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(refused.isError, true, JSON.stringify(refused));
      assert.match(refused.content[0]!.text, /cannot record this call in its audit log/);
    },
    async afterRelease(peer) {
      assert.ok(
        await within(CLIENT_WAITS, () => peer.stderr.includes("the audit log is writable again")),
        `never writable again; stderr:\n${peer.stderr}`,
      );
      await peer.send(echo(5, "after"));
      assert.match(echoed(await peer.responseTo(5, CLIENT_WAITS)), /after/);
    },
    afterEnd(peer, records) {
      assert.equal(
        peer.stderr.match(/waiting for the audit log's lock/g)?.length,
        1,
        `the wait is said once; stderr:\n${peer.stderr}`,
      );
      const forwarded = records.filter((r) =>
        r["type"] === "decision" && r["effect"] === "forwarded"
      );
      assert.equal(forwarded.length, 3, JSON.stringify(records));
    },
  });
});
