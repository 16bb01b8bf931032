// A real `thoth run` against server-everything, killed with kill -9 in the
// middle of a burst of calls (wherever the kill lands, and once with the
// batches' lines written but not counted in the state file, their intent
// left in .pending), never leaves a log that verifies as tampered or with
// records past the count unvouched, and neither does the log after the next
// session; an approval appended past the count by someone who holds no key
// is tampering all the same.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import type { Finding } from "../../src/audit/finding.ts";
import {
  connect,
  everythingArgv,
  initializeRequest,
  killQuietly,
  RawPeer,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { appendUncovered } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** The pids under `pid` (its children, theirs, …), read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const at = todo.pop()!;
    let children: number[] = [];
    try {
      for await (const task of Deno.readDir(`/proc/${at}/task`)) {
        const text = await Deno.readTextFile(`/proc/${at}/task/${task.name}/children`);
        children = children.concat(text.trim().split(/\s+/).filter((t) => t !== "").map(Number));
      }
    } catch {
      // Gone.
    }
    out.push(...children);
    todo.push(...children);
  }
  return out;
}

/** What a killed writer may leave: warnings about the session it ran, never more. */
function falseAlarms(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) =>
    f.severity === "tamper" || f.severity === "unverified" ||
    ["past_the_count", "decision_missing", "tail_taken_in"].includes(f.kind)
  );
}

/**
 * Runs one session that sends `calls` echo calls at once and is killed
 * `afterMs` after the first answer (after the last one, with `burst.all`);
 * `burst.before` runs once the session has started.
 */
async function killedMidBurst(
  home: string,
  calls: number,
  afterMs: number,
  burst: { before?: () => Promise<void>; all?: boolean; killed?: () => Promise<void> } = {},
): Promise<void> {
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything"]),
    testEnv({ THOTH_HOME: home }),
  );
  let below: number[] = [];
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 60_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await burst.before?.();
    for (let i = 1; i <= calls; i++) {
      await peer.send({
        jsonrpc: "2.0",
        id: i,
        method: "tools/call",
        params: { name: "echo", arguments: { message: `burst ${i}` } },
      });
    }
    await peer.responseTo(burst.all === true ? calls : 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    await burst.killed?.();
    below = await descendants(peer.child.pid);
    peer.child.kill("SIGKILL");
    const status = await peer.child.status;
    assert.equal(status.signal, "SIGKILL");
  } finally {
    await peer.finish();
    for (const pid of below) killQuietly(pid);
  }
}

/** What the state file counts, and the records the log holds. */
async function counts(home: string): Promise<{ counted: number; held: number }> {
  const counted = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).size;
  let held = 0;
  for await (const entry of Deno.readDir(`${home}/audit`)) {
    if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
    held += (await Deno.readTextFile(`${home}/audit/${entry.name}`)).split("\n").length - 1;
  }
  return { counted, held };
}

Deno.test("thoth run killed with kill -9 with its last batches written but not counted (their intent in .pending) does not verify as tampered; an approval appended after them does", async () => {
  const home = `${await tempFolder("thoth-killed-uncounted-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  const checkpoints = `${home}/audit/checkpoints`;
  // Past 1,000 records (a second after the last) a checkpoint is due: with its folder replaced by a file, each
  // batch's lines reach the log and the signing fails before the state counts them.
  let left: { counted: number; held: number } | undefined;
  await killedMidBurst(home, 700, 300, {
    before: async () => {
      await Deno.remove(checkpoints, { recursive: true });
      await Deno.writeTextFile(checkpoints, "not a folder\n");
      // At most one checkpoint a second is signed for the count alone.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    },
    all: true,
    killed: async () => {
      left = await counts(home);
    },
  });
  await Deno.remove(checkpoints);
  await Deno.mkdir(checkpoints);
  assert.ok(
    left !== undefined && left.counted < left.held,
    `uncounted records: ${JSON.stringify(left)}`,
  );
  const report = await verifyLocalLog(home);
  assert.deepEqual(falseAlarms(report.findings), [], JSON.stringify(report.findings));

  await appendUncovered(home, {
    type: "approval",
    session: "forged",
    decisionId: "d-forged",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  const found = forged.findings.find((f) => f.kind === "past_the_count");
  assert.equal(found?.severity, "tamper", JSON.stringify(forged.findings));
  assert.deepEqual([found.seq, found.toSeq], [left.counted, left.held]);
});

Deno.test("thoth run killed with kill -9 mid-burst never verifies as tampered (before or after the next session); an approval appended past the count does", async () => {
  const home = `${await tempFolder("thoth-killed-burst-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  for (const afterMs of [0, 40, 150, 400]) {
    await killedMidBurst(home, 120, afterMs);
    const report = await verifyLocalLog(home);
    assert.deepEqual(
      falseAlarms(report.findings),
      [],
      `killed ${afterMs} ms after the first answer: ${JSON.stringify(report.findings)}`,
    );
  }

  // The next session, closed cleanly, goes on from the killed sessions' log.
  const session = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything"]),
    {},
    { THOTH_HOME: home },
  );
  try {
    await session.client.callTool({ name: "echo", arguments: { message: "after" } });
  } finally {
    await session.close();
  }
  const after = await verifyLocalLog(home);
  assert.deepEqual(falseAlarms(after.findings), [], JSON.stringify(after.findings));

  // Someone who can write audit/ but holds no key appends an approval with the right seq and prev.
  await appendUncovered(home, {
    type: "approval",
    session: "forged",
    decisionId: "d-forged",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  assert.ok(
    forged.findings.some((f) => f.kind === "past_the_count" && f.severity === "tamper"),
    JSON.stringify(forged.findings),
  );
});
