/**
 * `thoth run` stopped while its start waits for the audit log's lock
 * (another process holds it; thoth waits up to 10 s): a SIGTERM, or the
 * client closing its input, ends the wait at once instead of after it. The
 * MCP server is never started, the client's `initialize` is answered with
 * why, stderr says what happened and that nothing of the session is left
 * behind, and records waiting in the spool (a killed session's) are left as
 * they were: once the lock is free, the next session takes them in (a
 * client that closes its input before a free lock is taken is still served:
 * see `tests/audit/audit_lock_wait_ended_test.ts`). Real processes: thoth
 * from source, the fault server, a lock holder, under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import type { DecisionEvent } from "../../src/audit/record.ts";
import { FileLock } from "../../src/platform/file_lock.ts";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { signedLines } from "../audit/_spool_mac.ts";
import { holdLock } from "../_hold_lock.ts";

/** Longer than thoth waits for the lock: thoth's wait, not the holder, ends first. */
const HOLD_AT_MOST = 60_000;
const DEAD = "s-00000000000000d1";

function decision(n: number): DecisionEvent {
  return {
    type: "decision",
    session: DEAD,
    server: "fault",
    tool: "wire_transfer",
    decisionId: `${DEAD}/d-${n}`,
    verdict: "allow",
    ruleIds: [],
    reasons: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    effect: "forwarded",
    args: { digest: "", shape: { t: "null" } },
  };
}

/** A profile with a policy, and a killed session's spool file of two decisions, two hours old. */
async function profileWithSpool(dir: string): Promise<{ home: string; spool: string }> {
  const home = `${dir}/home`;
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.writeTextFile(`${home}/policy.jsonc`, '{"version":1,"default":"allow","rules":[]}');
  const spool = `${DecisionSpool.dir(home)}/${DEAD}-1.jsonl`;
  await Deno.mkdir(DecisionSpool.dir(home), { recursive: true });
  const old = Date.now() - 2 * 3_600_000;
  writeSpoolFile(spool, await signedLines(home, DEAD, [decision(1), decision(2)]), old);
  await Deno.utime(spool, new Date(old), new Date(old));
  return { home, spool };
}

/** `thoth run` in front of the fault server, which writes its pid to `pidFile` once it runs. */
function thothRun(home: string, pidFile: string): RawPeer {
  return new RawPeer(
    throughThoth(faultArgv(["--pid-file", pidFile]), [
      "--agent-id",
      "fault",
      "--enforcement-mode",
      "block",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
}

/** Waits until thoth says it waits for the lock (it says so after 1 s). */
async function waitingForLock(peer: RawPeer): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (/waiting for the audit log's lock/.test(peer.stderr)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`thoth never said it waits for the lock; stderr:\n${peer.stderr}`);
}

/**
 * thoth's exit, and whether the lock was still held by the other process when it came: thoth
 * ended without waiting for the holder to let go (which it does only after `HOLD_AT_MOST`).
 */
async function exited(peer: RawPeer, lockPath: string) {
  const status = await peer.child.status;
  const probe = await FileLock.open(lockPath);
  try {
    const free = probe.tryAcquire();
    if (free) probe.release();
    return { status, lockStillHeld: !free };
  } finally {
    probe.close();
  }
}

/** Whether the file at `path` exists. */
async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("thoth run stopped by SIGTERM while it waits for the audit log's lock ends at once and loses no record", async () => {
  await using dir = await tempDir("thoth-lock-wait-stop-");
  const { home, spool } = await profileWithSpool(dir.path);
  const pidFile = `${dir.path}/server.pid`;
  const holder = await holdLock(`${home}/audit/.lock`, HOLD_AT_MOST);
  const peer = thothRun(home, pidFile);
  let answer: Record<string, unknown>;
  let end: Awaited<ReturnType<typeof exited>>;
  try {
    await peer.send(initializeRequest(1));
    await waitingForLock(peer);
    peer.child.kill("SIGTERM");
    answer = await peer.responseTo(1, 30_000);
    end = await exited(peer, `${home}/audit/.lock`);
  } finally {
    await peer.finish();
    // Still held: thoth did not wait for the holder to let go.
    await holder.release();
  }
  assert.equal(end.status.code, 143, peer.stderr);
  // Checked is an order of events, not a time (which a busy machine stretches): thoth exited
  // while the other process still held the lock, and before its own wait for it ran out.
  assert.ok(end.lockStillHeld, `thoth waited for the lock; stderr:\n${peer.stderr}`);
  const error = answer["error"] as { code: number; message: string } | undefined;
  assert.equal(error?.code, -32000, JSON.stringify(answer));
  assert.match(error.message, /^thoth was stopped \(SIGTERM\) before it started the MCP server/);
  assert.ok(!error.message.includes(dir.path), "the client is told no path");
  assert.equal(await exists(pidFile), false, "the MCP server was never started");
  assert.match(
    peer.stderr,
    /thoth: cannot write the audit log in ".+\/audit": received SIGTERM while waiting for its lock ".+\/audit\/\.lock", which another process holds; the session ends without starting the MCP server\n/,
  );
  assert.match(
    peer.stderr,
    /thoth: nothing of this session is left behind: no tool call reached thoth/,
  );
  assert.doesNotMatch(peer.stderr, /was held by another process for 10 s/);
  assert.ok(await exists(spool), "the killed session's spool file is left where it was");

  // The lock is free now: the next session takes the spooled records in.
  const next = thothRun(home, `${dir.path}/next.pid`);
  try {
    await next.send(initializeRequest(1));
    assert.ok("result" in await next.responseTo(1, 60_000), next.stderr);
  } finally {
    await next.finish();
  }
  const records = await auditRecords(home);
  assert.deepEqual(
    records.filter((r) => r["type"] === "decision").map((r) => r["decisionId"]),
    [`${DEAD}/d-1`, `${DEAD}/d-2`],
    "the spooled decisions reached the log",
  );
  assert.equal(await exists(spool), false, "taken in, the spool file is gone");
});

Deno.test("thoth run whose client closes its input while it waits for the audit log's lock ends at once", async () => {
  await using dir = await tempDir("thoth-lock-wait-stop-");
  const { home } = await profileWithSpool(dir.path);
  const pidFile = `${dir.path}/server.pid`;
  const holder = await holdLock(`${home}/audit/.lock`, HOLD_AT_MOST);
  const peer = thothRun(home, pidFile);
  let answer: Record<string, unknown>;
  let end: Awaited<ReturnType<typeof exited>>;
  try {
    await peer.send(initializeRequest(1));
    await waitingForLock(peer);
    await peer.closeInput();
    answer = await peer.responseTo(1, 30_000);
    end = await exited(peer, `${home}/audit/.lock`);
  } finally {
    await peer.finish();
    await holder.release();
  }
  assert.equal(end.status.code, 0, peer.stderr);
  // Checked is an order of events, not a time (which a busy machine stretches): thoth exited
  // while the other process still held the lock, and before its own wait for it ran out.
  assert.ok(end.lockStillHeld, `thoth waited for the lock; stderr:\n${peer.stderr}`);
  assert.doesNotMatch(peer.stderr, /was held by another process for 10 s/);
  const error = answer["error"] as { message: string } | undefined;
  assert.match(
    error?.message ?? JSON.stringify(answer),
    /^thoth ended this session before it started the MCP server: the client closed its input while thoth waited to open its audit log/,
  );
  assert.equal(await exists(pidFile), false, "the MCP server was never started");
  assert.match(
    peer.stderr,
    /the client closed its input while waiting for its lock ".+\/audit\/\.lock", which another process holds; the session ends without starting the MCP server/,
  );
});
