/**
 * A session that starts while another process holds the audit log's lock
 * past the start's wait (a thoth stopped with Ctrl-Z) recovers once the lock
 * is let go, as a session whose log fails in its middle does: a real
 * `thoth run` in front of server-everything refuses a call while the lock
 * is held (fail closed, its decision spooled), then, the lock let go, opens
 * the log, writes its start and the refused call's decision, and decides
 * the next call by its policy. `thoth audit show` then lists the session's
 * start and both decisions, and `thoth audit verify` passes. Temp
 * THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { initializeRequest, RawPeer, tempDir, testEnv } from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { holdLock } from "../_hold_lock.ts";
import {
  auditVerify,
  echoCall,
  loggedProfile,
  oneDecisionLogged,
  spoolFiles,
  until,
} from "./_spooled_session.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";

Deno.test("a session started with the audit log's lock held records its start and calls once it is let go", async () => {
  await using dir = await tempDir("thoth-lock-at-start-");
  // A first session makes the log and the device's keys.
  const { home, argv } = await loggedProfile(dir.path, "block");
  await using holder = await holdLock(`${home}/audit/.lock`, 120_000);
  const peer = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  let refused: Record<string, unknown>;
  try {
    await peer.send(initializeRequest(1));
    // Answered once the start has given up waiting for the lock (10 s).
    assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    assert.match(peer.stderr, /cannot write the audit log in .*was held by another process/);
    await peer.send(echoCall(2, "while held"));
    refused = await peer.responseTo(2, 30_000);
    await holder.release();
    await until(
      () => /the audit log is open now/.test(peer.stderr),
      `the log opens once the lock is let go; stderr:\n${peer.stderr}`,
    );
    await peer.send(echoCall(3, "after"));
    const answer = await peer.responseTo(3, 30_000);
    assert.ok("result" in answer, JSON.stringify(answer));
    const result = answer["result"] as { isError?: boolean; content?: { text?: string }[] };
    assert.notEqual(result.isError, true, JSON.stringify(answer));
    assert.match(JSON.stringify(result.content), /after/);
  } finally {
    await peer.finish();
  }
  // Refused while the lock was held: fail closed.
  assert.match(JSON.stringify(refused), /thoth cannot record this call in its audit log/);
  assert.doesNotMatch(peer.stderr, /LOST|could not be written to the audit log before/);
  const records = await auditRecords(home);
  const starts = records.filter((r) => r["type"] === "session_start");
  assert.equal(starts.length, 2, JSON.stringify(records.map((r) => r["type"])));
  const session = starts[1]!["session"];
  const mine = records.filter((r) => r["session"] === session);
  const types = mine.map((r) => r["type"]);
  assert.equal(types[0], "session_start", JSON.stringify(types));
  assert.equal(types.at(-1), "session_end", JSON.stringify(types));
  const decisions = mine.filter((r) => r["type"] === "decision");
  assert.equal(decisions.length, 2, JSON.stringify(mine));
  assert.deepEqual(decisions[0]!["ruleIds"], ["audit.unwritable"]);
  assert.equal(decisions[0]!["effect"], "blocked");
  assert.equal(decisions[1]!["effect"], "forwarded");
  // The refused call's arguments are digested under the device key, as any call's are.
  const args = decisions[0]!["args"] as { digest?: string };
  assert.match(String(args.digest), /^[0-9a-f]{64}$/, JSON.stringify(decisions[0]));
  assert.equal(mine.filter((r) => r["type"] === "decisions_lost").length, 0);
  const verified = await auditVerify(home);
  assert.equal(verified.code, 0, verified.said);
});

Deno.test("a session whose audit log's lock stays held to its end leaves its start and decisions in the spool, not lost", async () => {
  await using dir = await tempDir("thoth-lock-at-start-held-");
  // A first session makes the log and the device's keys.
  const { home, argv } = await loggedProfile(dir.path, "block");
  const holder = await holdLock(`${home}/audit/.lock`, 120_000);
  const peer = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(echoCall(2, "while held"));
    assert.match(
      JSON.stringify(await peer.responseTo(2, 30_000)),
      /thoth cannot record this call in its audit log/,
    );
  } finally {
    await peer.finish();
    await holder.release();
  }
  // Said as it is: the decision, the session's start and its end wait in the spool.
  assert.match(
    peer.stderr,
    /1 decision or approval record\(s\) among them stay in the spool for the next session to take in, and so do the session's start and end/,
  );
  assert.doesNotMatch(peer.stderr, /LOST/);
  // Left for the next session, which takes it in once it is a dead session's (aged here).
  const waiting = spoolFiles(home);
  assert.ok(waiting.length > 0, JSON.stringify(waiting));
  const old = new Date(Date.now() - 2 * ORPHAN_AFTER_MS);
  for (const name of waiting) await Deno.utime(`${DecisionSpool.dir(home)}/${name}`, old, old);
  const next = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  try {
    await oneDecisionLogged(next, home, "next");
  } finally {
    await next.finish();
  }
  const records = await auditRecords(home);
  const held = records.filter((r) =>
    r["type"] === "decision" && JSON.stringify(r["ruleIds"]) === '["audit.unwritable"]'
  );
  assert.equal(held.length, 1, JSON.stringify(records));
  // Its start came with its decision, once: the session that made the decision is named.
  const starts = records.filter((r) =>
    r["type"] === "session_start" && r["session"] === held[0]!["session"]
  );
  assert.equal(starts.length, 1, JSON.stringify(records.map((r) => [r["type"], r["session"]])));
  assert.equal(starts[0]!["mode"], "block");
  // And its end: it ended, it was not killed.
  const ends = records.filter((r) =>
    r["type"] === "session_end" && r["session"] === held[0]!["session"]
  );
  assert.equal(ends.length, 1, JSON.stringify(records.map((r) => [r["type"], r["session"]])));
  assert.match(String(starts[0]!["commandDigest"]), /^[0-9a-f]{64}$/);
  assert.ok(records.indexOf(starts[0]!) < records.indexOf(held[0]!), "the start comes first");
  assert.deepEqual(spoolFiles(home), []);
  // Its end counts the records the log never took (its handshake): verify warns of those only.
  const counted = ends[0]!["recordsDropped"] as { types?: Record<string, number> } | undefined;
  assert.equal(counted?.types?.["handshake"], 1, JSON.stringify(ends[0]));
  const verified = await auditVerify(home);
  assert.equal(verified.code, 2, verified.said);
  assert.match(verified.said, /^RECORDS NOT WRITTEN: /);
  assert.equal(verified.said.match(/^ {2}warning records_dropped /gm)?.length, 1, verified.said);
  assert.equal(verified.said.match(/^ {2}warning /gm)?.length, 1, verified.said);
  assert.doesNotMatch(verified.said, /session_never_started|session_without_end/);
});
