/**
 * A session whose audit log never opens (another process holds its lock
 * from before the session starts to after it ends) keeps its start and end
 * in its spool for the next session, and its end counts, by type, the
 * records the log never took and the spool does not keep (its handshake,
 * tools listing, the outcome of its forwarded call): once the next session
 * takes the spool in, `thoth audit verify --json` warns `records_dropped`
 * (exit 2) naming the session, the count by type and when, instead of
 * `OK: the audit log is intact`. Before, the end carried nothing and
 * verify passed, though the log lacked three of the session's records. A
 * real `thoth run` in observe mode in front of server-everything, the lock
 * held by a real process (see `_hold_lock.ts`). Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { initializeRequest, RawPeer, tempDir, testEnv, thothArgv } from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { holdLock } from "../_hold_lock.ts";
import { echoCall, loggedProfile, oneDecisionLogged, spoolFiles } from "./_spooled_session.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";

Deno.test("a session whose log never opened ends with a count of the records the log lacks, and verify warns of them", async () => {
  await using dir = await tempDir("thoth-spooled-end-counts-");
  // A first session makes the log and the device's keys.
  const { home, argv } = await loggedProfile(dir.path, "observe");
  const holder = await holdLock(`${home}/audit/.lock`, 120_000);
  const peer = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    // Answered once the start has given up waiting for the lock (10 s).
    assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({ jsonrpc: "2.0", id: 5, method: "tools/list" });
    assert.ok("result" in await peer.responseTo(5, 30_000), peer.stderr);
    // Observe mode: forwarded, and answered by the server.
    await peer.send(echoCall(2, "while held"));
    const answer = await peer.responseTo(2, 30_000);
    assert.match(JSON.stringify(answer), /Echo: while held/);
  } finally {
    await peer.finish();
    await holder.release();
  }
  assert.match(
    peer.stderr,
    /the session's end, kept in the spool, counts the 3 record\(s\) of this session that the audit log lacks \(handshake 1, outcome 1, tools_snapshot 1\)/,
  );
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
  // One end counts what the log lacks: the held session's.
  const ends = records.filter((r) => r["type"] === "session_end" && "recordsDropped" in r);
  assert.equal(ends.length, 1, JSON.stringify(records.map((r) => [r["type"], r["session"]])));
  const end = ends[0]!;
  const session = end["session"] as string;
  const mine = records.filter((r) => r["session"] === session).map((r) => r["type"]);
  // Its start, decision and end came from its spool; its handshake, listing and outcome never did.
  assert.deepEqual(mine, ["session_start", "decision", "session_end"]);
  const counted = end["recordsDropped"] as Record<string, unknown>;
  assert.equal(counted["count"], 3, JSON.stringify(end));
  assert.deepEqual(counted["types"], { handshake: 1, outcome: 1, tools_snapshot: 1 });
  assert.ok(
    Date.parse(String(counted["from"])) <= Date.parse(String(counted["until"])),
    JSON.stringify(counted),
  );
  const [command, ...args] = thothArgv(["audit", "verify", "--json"]);
  const verified = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const report = JSON.parse(new TextDecoder().decode(verified.stdout)) as {
    exitCode: number;
    findings: { kind: string; severity: string; message: string }[];
  };
  assert.equal(verified.code, 2, JSON.stringify(report.findings));
  assert.equal(report.exitCode, 2);
  const warnings = report.findings.filter((f) => f.severity === "warning");
  assert.deepEqual(warnings.map((f) => f.kind), ["records_dropped"], JSON.stringify(warnings));
  assert.match(
    warnings[0]!.message,
    new RegExp(
      `^session ${session} could not write 3 of its records to the audit log \\(handshake 1, ` +
        "outcome 1, tools_snapshot 1\\), made between \\S+ and \\S+: the log could not be written",
    ),
  );
  assert.ok(!report.findings.some((f) => f.kind === "session_never_started"));
});
