/**
 * A session stopped while its records wait for the audit log's lock that
 * another process holds, as an MCP client closes a server (the SDK's
 * `StdioClientTransport.close`: stdin closed, 2 s, SIGTERM, 2 s, SIGKILL):
 * the stop ends the wait at once, the session's end is kept in its spool
 * counting what the log lacks, and thoth exits before the client kills it.
 * The next session takes the spool in, and `thoth audit verify` shows the
 * session's end and warns `records_dropped` for the call's outcome, not
 * `session_without_end`. Before, a batch's wait did not end on a stop: thoth
 * was killed mid-wait (SIGTERM: after 11 s by its own watchdog, which blamed
 * the client; closing stdin: 13.5 s), and the outcome and the end were lost.
 * A real `thoth run` in block mode in front of server-everything, the lock
 * held by a real process (see `_hold_lock.ts`). Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { everythingArgv, RawPeer, tempDir, testEnv, thothArgv, throughThoth } from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";
import { holdLock } from "../_hold_lock.ts";
import { echoCall, oneDecisionLogged, spoolFiles, until } from "../proxy/_spooled_session.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";

/** How long the MCP SDK's client waits after closing a server's stdin, and after its SIGTERM. */
const SDK_GRACE_MS = 2_000;

/** Longer than any wait of the code before the fix: the holder outlives it. */
const HOLD_AT_MOST = 90_000;

/** What ended the process as the SDK's client closed it. */
type EndedBy = "stdin closed" | "SIGTERM" | "SIGKILL";

/** Ends the process as the SDK's client closes its server; says what ended it. */
async function closeAsTheSdkDoes(peer: RawPeer, withStdin: boolean): Promise<EndedBy> {
  const exited = async (ms: number) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = await Promise.race([
      peer.child.status.then(() => true),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms)),
    ]).finally(() => clearTimeout(timer));
    return done;
  };
  if (withStdin) {
    await peer.closeInput();
    if (await exited(SDK_GRACE_MS)) return "stdin closed";
  }
  peer.child.kill("SIGTERM");
  if (await exited(SDK_GRACE_MS)) return "SIGTERM";
  peer.child.kill("SIGKILL");
  return "SIGKILL";
}

/**
 * A session that makes a call while another process holds the log's lock,
 * and is closed (`withStdin`: its stdin closed first) once its batch waits;
 * then the next session and verify. Returns the session's records and verify's report.
 */
async function stoppedWhileLocked(withStdin: boolean) {
  await using dir = await tempDir("thoth-lock-stop-");
  const home = await profileWithRules(dir.path, []);
  const env = testEnv({ THOTH_HOME: home, HOME: dir.path });
  const argv = throughThoth(everythingArgv(), [
    "--agent-id",
    "everything",
    "--enforcement-mode",
    "block",
  ]);
  const peer = new RawPeer(argv, env);
  let endedBy: EndedBy;
  try {
    // A call before the hold: the log is open and has taken the session's records.
    await oneDecisionLogged(peer, home, "before");
    const holder = await holdLock(`${home}/audit/.lock`, HOLD_AT_MOST);
    try {
      await peer.send(echoCall(3, "while held"));
      assert.match(JSON.stringify(await peer.responseTo(3, 30_000)), /Echo: while held/);
      // The call's records wait for the lock (said after 1 s).
      await until(() => peer.stderr.includes("waiting for the audit log's lock"), peer.stderr);
      endedBy = await closeAsTheSdkDoes(peer, withStdin);
    } finally {
      await holder.release();
    }
  } finally {
    await peer.finish();
  }
  // Stdin closed: its end waits no longer for the lock than it takes to say so (1 s).
  assert.equal(endedBy, withStdin ? "stdin closed" : "SIGTERM", peer.stderr);
  assert.doesNotMatch(peer.stderr, /the proxy core did not stop/);
  // The spool kept the call's decision and the session's end: the next session takes them in.
  const waiting = spoolFiles(home);
  assert.ok(waiting.length > 0, peer.stderr);
  const old = new Date(Date.now() - 2 * ORPHAN_AFTER_MS);
  for (const name of waiting) await Deno.utime(`${DecisionSpool.dir(home)}/${name}`, old, old);
  const next = new RawPeer(argv, env);
  try {
    await oneDecisionLogged(next, home, "next");
  } finally {
    await next.finish();
  }
  const records = await auditRecords(home);
  const start = records.find((r) => r["type"] === "session_start")!;
  const session = start["session"] as string;
  const mine = records.filter((r) => r["session"] === session);
  const [command, ...args] = thothArgv(["audit", "verify", "--json"]);
  const verified = await new Deno.Command(command!, { args, env, stdin: "null" }).output();
  const report = JSON.parse(new TextDecoder().decode(verified.stdout)) as {
    exitCode: number;
    findings: { kind: string; severity: string; message: string }[];
  };
  return { peer, session, mine, report, code: verified.code };
}

/** What both ways of closing leave: the end in the log with its count, and verify's warning. */
function assertEndKept(result: Awaited<ReturnType<typeof stoppedWhileLocked>>): void {
  const { peer, session, mine, report, code } = result;
  const types = mine.map((r) => r["type"]);
  // Both calls' decisions (the second from the spool); only the first call's outcome.
  assert.equal(types.filter((t) => t === "decision").length, 2, JSON.stringify(types));
  assert.equal(types.filter((t) => t === "outcome").length, 1, JSON.stringify(types));
  const end = mine.find((r) => r["type"] === "session_end");
  assert.ok(end !== undefined, `no session_end: ${JSON.stringify(types)}; stderr:\n${peer.stderr}`);
  const counted = end["recordsDropped"] as Record<string, unknown> | undefined;
  assert.ok(counted !== undefined, JSON.stringify(end));
  assert.equal((counted["types"] as Record<string, number>)["outcome"], 1, JSON.stringify(end));
  const kinds = report.findings.map((f) => f.kind);
  assert.ok(!kinds.includes("session_without_end"), JSON.stringify(report.findings));
  assert.ok(kinds.includes("records_dropped"), JSON.stringify(report.findings));
  assert.ok(
    report.findings.some((f) => f.kind === "records_dropped" && f.message.includes(session)),
    JSON.stringify(report.findings),
  );
  assert.equal(code, 2, JSON.stringify(report.findings));
}

Deno.test("a session sent SIGTERM while its records wait for a held audit lock exits within the client's grace and keeps its end in its spool", async () => {
  const result = await stoppedWhileLocked(false);
  assert.match(result.peer.stderr, /received SIGTERM while waiting for its lock/);
  assertEndKept(result);
});

Deno.test("a session whose client closes its stdin while its records wait for a held audit lock exits before the client signals it and keeps its end", async () => {
  const result = await stoppedWhileLocked(true);
  assert.match(result.peer.stderr, /the client closed its input while waiting for its lock/);
  assertEndKept(result);
});
