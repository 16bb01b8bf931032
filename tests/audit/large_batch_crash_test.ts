// A real `thoth run` against server-everything, killed with kill -9 in a
// burst of calls with its batches (more than 64 records) written but not
// counted, the log ending inside the last batch as a kill during its write
// leaves it: the intent in .pending names that point, so neither verify nor
// the next session finds anything unvouched. An approval appended past the
// count is tampering, and stays tampering once the next session takes it in.
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
import { appendUncovered, readLines } from "./_log_helpers.ts";
import { listSegments } from "../../src/audit/log_files.ts";
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

/** Keeps the first `size` records of the log: what a kill during the write of the records after them leaves. */
async function cutTo(home: string, size: number): Promise<void> {
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  const path = `${home}/audit/${name}`;
  const lines = await readLines(path);
  const first = JSON.parse(lines[0]!).seq as number;
  assert.ok(size > first, "the cut stays in the last segment");
  await Deno.writeTextFile(path, lines.slice(0, size - first).join("\n") + "\n");
}

/** One short session of thoth run, closed cleanly. */
async function nextSession(home: string): Promise<void> {
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

/** A session killed with its batches written, uncounted; the log then ends inside its last batch. */
async function killedInsideLargeBatch(home: string): Promise<void> {
  const checkpoints = `${home}/audit/checkpoints`;
  // Past 1,000 records (a second after the last) a checkpoint is due: with its folder replaced
  // by a file, each batch's lines reach the log and the signing fails before the state counts them.
  await killedMidBurst(home, 900, 300, {
    before: async () => {
      await Deno.remove(checkpoints, { recursive: true });
      await Deno.writeTextFile(checkpoints, "not a folder\n");
      await new Promise((resolve) => setTimeout(resolve, 1100));
    },
    all: true,
  });
  await Deno.remove(checkpoints);
  await Deno.mkdir(checkpoints);
  const { counted, held } = await counts(home);
  const intent = JSON.parse((await Deno.readTextFile(`${home}/audit/.pending`)).split("\n")[0]!);
  assert.ok(counted < held, `uncounted records: ${counted} < ${held}`);
  assert.equal(intent.end.size, held, JSON.stringify(intent));
  const batch = intent.end.size - intent.start.size;
  assert.ok(batch > 64, `the last batch holds more than 64 records: ${JSON.stringify(intent)}`);
  // A kill during the write of its last part: the log ends a few records short.
  await cutTo(home, Math.max(held - 5, (intent.done.size as number) + 1, counted + 1));
}

Deno.test("thoth run killed with kill -9 inside a batch of more than 64 records leaves nothing unvouched, before or after the next session", async () => {
  const home = `${await tempFolder("thoth-killed-large-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  await killedInsideLargeBatch(home);
  const report = await verifyLocalLog(home);
  assert.deepEqual(falseAlarms(report.findings), [], JSON.stringify(report.findings));
  await nextSession(home);
  const after = await verifyLocalLog(home);
  assert.deepEqual(falseAlarms(after.findings), [], JSON.stringify(after.findings));
});

Deno.test("an approval appended past the count of a killed thoth run is tampering, and stays tampering once the next session takes it in", async () => {
  const home = `${await tempFolder("thoth-killed-forged-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  await killedInsideLargeBatch(home);
  const lines = await appendUncovered(home, {
    type: "approval",
    session: "forged",
    decisionId: "d-forged",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
  const seq = JSON.parse(lines[lines.length - 1]!).seq + 1;
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  await nextSession(home);
  const after = await verifyLocalLog(home);
  assert.equal(after.exitCode, 1, JSON.stringify(after.findings));
  const taken = after.findings.find((f) => f.kind === "tail_taken_in");
  assert.equal(taken?.severity, "tamper", JSON.stringify(after.findings));
  assert.equal(taken.toSeq ?? taken.seq, seq);
  assert.match(taken.message, /decision or approval records? \(seqs? \d/);
});
