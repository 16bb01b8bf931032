/**
 * Real `thoth run` sessions against server-everything killed with kill -9 in
 * a burst of calls, for the crash tests of the audit log: the kill (its
 * batches written but not counted, when the checkpoints cannot be signed),
 * what the state file counts against what the log holds, the next session
 * closed cleanly, and what verify may find afterwards. Everything writes
 * under the THOTH_HOME a test passes (a temp folder).
 *
 * @example
 * ```ts
 * await killedWithBatchesUncounted(home, 700);
 * await assertNoFalseAlarms(home);
 * await nextSession(home);
 * ```
 */
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
 * Verifies the log under `home` and asserts that it finds nothing a killed
 * writer may not leave; `context` leads the failure's message.
 */
export async function assertNoFalseAlarms(home: string, context = ""): Promise<void> {
  const report = await verifyLocalLog(home);
  assert.deepEqual(falseAlarms(report.findings), [], context + JSON.stringify(report.findings));
}

/**
 * Runs one session that sends `calls` echo calls at once and is killed
 * `afterMs` after the first answer (after the last one, with `burst.all`);
 * `burst.before` runs once the session has started, `burst.killed` just
 * before the kill.
 */
export async function killedMidBurst(
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

/**
 * Runs one session of `calls` echo calls, killed 300 ms after the last
 * answer, with its batches written but not counted (their intent left in
 * .pending); `killed` runs just before the kill. Past 1,000 records (a
 * second after the last) a checkpoint is due: with its folder replaced by a
 * file, each batch's lines reach the log and the signing fails before the
 * state counts them. The folder is back once the session is gone.
 */
export async function killedWithBatchesUncounted(
  home: string,
  calls: number,
  killed?: () => Promise<void>,
): Promise<void> {
  const checkpoints = `${home}/audit/checkpoints`;
  await killedMidBurst(home, calls, 300, {
    before: async () => {
      await Deno.remove(checkpoints, { recursive: true });
      await Deno.writeTextFile(checkpoints, "not a folder\n");
      // At most one checkpoint a second is signed for the count alone.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    },
    all: true,
    ...(killed === undefined ? {} : { killed }),
  });
  await Deno.remove(checkpoints);
  await Deno.mkdir(checkpoints);
}

/** What the state file counts, and the records the log holds. */
export async function counts(home: string): Promise<{ counted: number; held: number }> {
  const counted = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).size;
  let held = 0;
  for await (const entry of Deno.readDir(`${home}/audit`)) {
    if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
    held += (await Deno.readTextFile(`${home}/audit/${entry.name}`)).split("\n").length - 1;
  }
  return { counted, held };
}

/** One short session of thoth run, closed cleanly. */
export async function nextSession(home: string): Promise<void> {
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
}

/**
 * Appends an approval with the right seq and prev, as someone who can write
 * audit/ but holds no key would; returns the segment's lines before it.
 */
export function appendForgedApproval(home: string): Promise<string[]> {
  return appendUncovered(home, {
    type: "approval",
    session: "forged",
    decisionId: "d-forged",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
}
