/**
 * A session whose audit log refuses its records for long enough lets go of
 * the ones it holds past the bound (10,000), tool snapshots among them; it
 * then records, once the log takes batches again, how many records of which
 * types it let go (`records_dropped`), the tools listing it let go of (the
 * evidence names the tool definitions its calls were decided against), and
 * its start. A real `thoth run` in observe mode in front of
 * server-everything, started while another process holds the audit log's
 * lock (a real process, see `_hold_lock.ts`): it lists the tools once, then
 * makes over 5,000 calls (a decision and an outcome each) while the lock is
 * held; the lock let go, the session takes the decisions it let go back in
 * from its own spool files (whenever the let-go batch was cut, between a
 * call's decision and its outcome too), and `thoth audit verify` finds the
 * session started, and warns of the records it let go (`records_dropped`),
 * and of nothing else: no outcome names a decision the log lacks.
 * Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { initializeRequest, RawPeer, tempDir, testEnv } from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { holdLock } from "../_hold_lock.ts";
import { auditVerify, echoCall, loggedProfile, until } from "./_spooled_session.ts";
import { HELD_MAX } from "../../src/proxy/held_spool_files.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";

/** Calls made while the lock is held: their decisions and outcomes pass the held bound. */
const CALLS = HELD_MAX / 2 + 100;
/** Calls sent before their answers are read (the pipes stay short of full). */
const CHUNK = 250;

Deno.test("a session that let go of its tools listing past the held bound records it again once the log takes batches", async () => {
  await using dir = await tempDir("thoth-dropped-snapshot-");
  // A first session makes the log and the device's keys.
  const { home, argv } = await loggedProfile(dir.path, "observe");
  const holder = await holdLock(`${home}/audit/.lock`, 600_000);
  const peer = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    // Answered once the start has given up waiting for the lock (10 s).
    assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    assert.ok("result" in await peer.responseTo(2, 30_000), peer.stderr);
    for (let from = 10; from < 10 + CALLS; from += CHUNK) {
      const ids = Array.from({ length: Math.min(CHUNK, 10 + CALLS - from) }, (_, i) => from + i);
      await peer.sendRaw(ids.map((id) => JSON.stringify(echoCall(id, "x")) + "\n").join(""));
      await peer.responseTo(ids.at(-1), 60_000);
    }
    await until(
      () => /thoth stops holding them/.test(peer.stderr),
      `the held records are let go; stderr:\n${peer.stderr.slice(-2000)}`,
    );
    await holder.release();
    await until(
      () => /the audit log is open now/.test(peer.stderr),
      `the log opens once the lock is let go; stderr:\n${peer.stderr.slice(-2000)}`,
    );
    // One more call, answered once the log took what waited: its records follow.
    await peer.send(echoCall(9, "after"));
    assert.ok("result" in await peer.responseTo(9, 30_000), peer.stderr);
  } finally {
    await peer.finish(60_000);
    await holder.release();
  }
  const records = await auditRecords(home);
  const starts = records.filter((r) => r["type"] === "session_start");
  const session = starts.at(-1)?.["session"];
  const mine = records.filter((r) => r["session"] === session);
  const types = mine.map((r) => r["type"]);
  // The log says what the session let go of, tool snapshots included…
  const dropped = mine.filter((r) => r["type"] === "records_dropped");
  assert.equal(dropped.length, 1, JSON.stringify([...new Set(types)]));
  const counted = dropped[0]!["types"] as Record<string, number>;
  assert.equal(counted["tools_snapshot"], 1, JSON.stringify(dropped[0]));
  assert.ok((counted["outcome"] ?? 0) > 0, JSON.stringify(dropped[0]));
  assert.equal(counted["decision"], undefined, "decisions stay in the spool, not counted");
  // …and holds the tools the calls were decided against: the listing, recorded again after it.
  const snapshots = mine.filter((r) => r["type"] === "tools_snapshot");
  assert.equal(snapshots.length, 1, JSON.stringify([...new Set(types)]));
  assert.ok(mine.indexOf(snapshots[0]!) > mine.indexOf(dropped[0]!));
  const tools = (snapshots[0]!["tools"] as { name: string }[]).map((t) => t.name);
  assert.ok(tools.includes("echo"), JSON.stringify(tools));
  // Its start, in the log of the session itself.
  assert.equal(types.filter((t) => t === "session_start").length, 1, JSON.stringify(types));
  // The decisions it let go, taken back in from its spool files before its end: each call's,
  // once, and no file of the session is left for a later session.
  const decided = new Set(mine.filter((r) => r["type"] === "decision").map((r) => r["decisionId"]));
  assert.equal(decided.size, CALLS + 1, "every call's decision");
  assert.equal(mine.filter((r) => r["type"] === "decision").length, CALLS + 1, "each once");
  const left = [...Deno.readDirSync(DecisionSpool.dir(home))].map((e) => e.name)
    .filter((name) => name.startsWith(`${session}-`));
  assert.deepEqual(left, [], "the session's let-go spool files were taken back in");
  // The records let go are missing from the log: verify warns of them (records_dropped), and
  // of nothing else.
  const verified = await auditVerify(home);
  assert.equal(verified.code, 2, verified.said);
  assert.match(verified.said, /^RECORDS NOT WRITTEN: /);
  assert.match(
    verified.said,
    new RegExp(
      `warning records_dropped seq \\d+: session ${session} could not write \\d+ of its records`,
    ),
  );
  assert.equal(verified.said.match(/^ {2}warning /gm)?.length, 1, verified.said);
  assert.doesNotMatch(verified.said, /session_never_started/);
});
