/**
 * A person's answer in the approval queue is marked taken (`<id>.taken`,
 * which lets pruning remove it) only once the approval record that names it
 * is written: a thoth killed after it read the answer but before that record
 * leaves the answer unmarked, so pruning keeps it, the only trace of what the
 * person said, and `thoth approvals list` still shows it. The kill is made
 * exact with a real `thoth run`: a FIFO stands where its next spool file goes,
 * so the write of the approval record blocks in `open` (no one ever reads the
 * FIFO), and the test kills thoth while it is blocked there. In the normal
 * case the marker still comes, after the record, and pruning removes the
 * request's files.
 */
import assert from "node:assert/strict";
import { osUserName } from "../_os_user.ts";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { pruneQueue } from "../../src/approval/prune_queue.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { tempFolder } from "../_temp_dirs.ts";
import {
  logRecords,
  newSessionAudit,
  noClient,
  stepUp,
  toolCall,
} from "../proxy/_session_audit_harness.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  type Json,
  queuedId,
  thothCli,
  toolCall as mcpToolCall,
} from "./_governed_peer.ts";

const MINUTE = 60_000;

/** Waits until `check` holds; throws naming `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether `path` exists (not following a link). */
function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The number of `openat` on this machine's architecture. */
const OPENAT = Deno.build.arch === "aarch64" ? 56 : 257;

/** O_WRONLY | O_CREAT | O_APPEND, as the spool opens its next file. */
const SPOOL_OPEN_FLAGS = 0x1 | 0x40 | 0x400;

/**
 * The threads of process `pid` in `open` of a FIFO that has no reader: the
 * kernel names that wait `wait_for_partner`; where it does not name waits,
 * a thread in `openat` for appending (as the spool opens a file) counts.
 * Read by `sh` (a test may not read another process's `/proc` folder).
 */
async function fifoWaiters(pid: number): Promise<string[]> {
  const script = 'for t in /proc/"$1"/task/*; do ' +
    'echo "${t##*/} $(cat "$t/wchan" 2>/dev/null) $(cat "$t/syscall" 2>/dev/null)"; done';
  const out = await new Deno.Command("sh", { args: ["-c", script, "sh", String(pid)] }).output();
  const waiting: string[] = [];
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const [task, wchan, nr, , , flags] = line.split(" ");
    if (task === undefined || task === "") continue;
    const opening = Number(nr) === OPENAT &&
      (Number(flags) & SPOOL_OPEN_FLAGS) === SPOOL_OPEN_FLAGS;
    if (wchan === "wait_for_partner" || opening) waiting.push(task);
  }
  return waiting;
}

/** Whether a thread of `pid` is blocked opening a FIFO: still there a moment later. */
async function blockedOnFifo(pid: number): Promise<boolean> {
  const first = await fifoWaiters(pid);
  if (first.length === 0) return false;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return (await fifoWaiters(pid)).some((task) => first.includes(task));
}

Deno.test({
  name:
    "a thoth killed after reading an answer, before its approval record, leaves the answer: pruning keeps it and the list shows it",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(60) });
    const home = peer.home;
    const spool = DecisionSpool.dir(home);
    const fifos: string[] = [];
    let id: string;
    let markedBeforeKill: boolean;
    try {
      await peer.send(mcpToolCall(1, "delete_everything", { x: 1 }));
      id = await queuedId(peer);
      const [start] = await auditRecords(home, "session_start");
      const session: string = start.session;
      // The decision record is in the log and its spool file gone: the approval
      // record is the next gating record, and opens the next spool file.
      await until(
        "the decision record left the spool",
        () => [...Deno.readDirSync(spool)].length === 0,
      );
      for (let generation = 2; generation < 10; generation++) {
        const fifo = `${spool}/${session}-${generation}.jsonl`;
        const made = await new Deno.Command("mkfifo", { args: ["-m", "600", fifo] }).output();
        assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
        fifos.push(fifo);
      }
      const approved = await thothCli(home, ["approvals", "approve", id]);
      assert.equal(approved.code, 0, approved.stderr);
      // thoth read the answer and now writes its approval record: blocked in the FIFO's open.
      await until("thoth blocks writing its approval record", () => blockedOnFifo(peer.child.pid));
      markedBeforeKill = exists(`${home}/approvals/${id}.taken`);
      peer.child.kill("SIGKILL");
    } finally {
      await peer.finish();
      for (const fifo of fifos) await Deno.remove(fifo).catch(() => {});
    }
    const decisionId = (await auditRecords(home, "decision"))[0].decisionId;
    assert.deepEqual(
      (await auditRecords(home, "approval")).filter((r: Json) => r.decisionId === decisionId),
      [],
      "the approval record reached neither the log nor the spool",
    );
    assert.deepEqual([...Deno.readDirSync(spool)], [], "nothing left in the spool");
    const queue = ApprovalQueue.forHome(home);
    const entry = (await queue.entry(id))!;
    // Long past the grace, as `approvals watch` or a later `thoth run` would prune.
    await pruneQueue(queue, { ownerUid: Deno.uid(), now: entry.expiresAt + 11 * MINUTE });
    assert.ok(
      exists(`${home}/approvals/${id}.answer.json`),
      "the person's answer, in no record, is kept",
    );
    const listed = await thothCli(home, ["approvals", "list", "--all", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const item = JSON.parse(listed.stdout).find((i: Json) => i.id === id);
    assert.equal(item?.state, "settled", listed.stdout);
    assert.equal(item.decisionId, decisionId);
    assert.equal(item.answer.decision, "approve");
    assert.equal(item.answer.by, osUserName());
    // Its thoth is gone and never took the answer (no marker): the call did not run.
    assert.equal(item.answer.callRan, false);
    assert.equal(item.answer.callOutcome, "orphaned");
    const text = await thothCli(home, ["approvals", "list", "--all"]);
    assert.match(
      text.stdout,
      new RegExp(
        `${id} .*\\[approved by ${osUserName()} without a terminal(?:, from a detached process)?, but its thoth ended without marking it taken; the call did not run\\]`,
      ),
    );
    assert.equal(markedBeforeKill, false, "the answer is marked taken only after its record");
  },
});

Deno.test({
  name:
    "a thoth that is not killed marks the answer taken once its approval record is in the log, and pruning then removes it",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(60) });
    const home = peer.home;
    let id: string;
    try {
      await peer.send(mcpToolCall(1, "delete_everything", { x: 1 }));
      id = await queuedId(peer);
      const denied = await thothCli(home, ["approvals", "deny", id]);
      assert.equal(denied.code, 0, denied.stderr);
      await peer.wait((m: Json) => m.id === 1);
    } finally {
      await peer.finish();
    }
    const [approval] = await auditRecords(home, "approval");
    assert.equal(approval.outcome, "denied");
    assert.equal(approval.approver, osUserName());
    assert.ok(exists(`${home}/approvals/${id}.taken`), "marked taken after its record");
    const queue = ApprovalQueue.forHome(home);
    const entry = (await queue.entry(id))!;
    const removed = await pruneQueue(queue, {
      ownerUid: Deno.uid(),
      now: entry.expiresAt + 11 * MINUTE,
    });
    assert.equal(removed, 1);
    assert.deepEqual([...Deno.readDirSync(queue.dir)].filter((e) => e.name.startsWith(id)), []);
  },
});

/** A person's answer to the queued request of `approver`'s call, once it is queued. */
async function answerQueued(home: string, decision: "approve" | "deny"): Promise<string> {
  const queue = ApprovalQueue.forHome(home);
  let id: string | undefined;
  await until("the call is queued", async () => {
    id = (await queue.list()).find((item) => item.state === "pending")?.entry.id;
    return id !== undefined;
  });
  await queue.settle(id!, { decision, by: "ana" });
  return id!;
}

/** A step-up request for a call the queue is asked about. */
function queuedRequest(decisionId: string): ApprovalRequest {
  return {
    call: toolCall(),
    verdict: {
      decision: "step_up",
      decisionId,
      ruleIds: ["writes"],
      reasons: ["writes need a person"],
    },
    requestId: 1,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: noClient,
  };
}

Deno.test("an answer the approver took but no approval record holds is not marked taken, and pruning keeps it", async () => {
  const home = await tempFolder("thoth-taken-unrecorded-");
  const approver = createApprover({
    thothHome: home,
    env: {},
    user: "ana",
    dialog: false,
    timeoutMs: 30_000,
    queuePollMs: 10,
  });
  // The approver decides; the audit's record of it never comes (thoth killed right after).
  const asked = approver(queuedRequest("d-1"));
  const id = await answerQueued(home, "approve");
  const outcome = await asked;
  approver.endSession();
  assert.equal(outcome.approved, true);
  const queue = ApprovalQueue.forHome(home);
  const entry = (await queue.entry(id))!;
  assert.equal(
    await pruneQueue(queue, { ownerUid: Deno.uid(), now: entry.expiresAt + 11 * MINUTE }),
    0,
  );
  const [item] = await queue.list();
  assert.equal(item?.state, "settled");
  assert.equal(item?.answer?.decision, "approve");
  assert.ok(!exists(`${queue.dir}/${id}.taken`));
});

Deno.test("an answer whose approval record could not be written is not marked taken; one recorded (synced) is", async () => {
  for (const sync of ["default", "always"] as const) {
    const home = await tempFolder("thoth-taken-record-");
    // No log (it could not be opened): every record is lost, the answer is all there is.
    const lost = newSessionAudit(home, undefined, { session: "s-lost", sync }).audit;
    const recorded = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
      session: "s-kept",
      sync,
    }).audit;
    await recorded.start("fs-server", [], []);
    const queue = ApprovalQueue.forHome(home);
    const ids: string[] = [];
    for (const audit of [lost, recorded]) {
      const decisionId = audit === lost ? "d-lost" : "d-kept";
      const verdict = await audit.wrapEnforcer(stepUp).decide(toolCall(), () => decisionId);
      assert.equal(verdict.decision, audit === lost ? "block" : "step_up");
      const approver = audit.wrapApprover(
        createApprover({
          thothHome: home,
          env: {},
          user: "ana",
          dialog: false,
          timeoutMs: 30_000,
          queuePollMs: 10,
        }),
      );
      const asked = approver(queuedRequest(decisionId));
      ids.push(await answerQueued(home, "deny"));
      assert.equal((await asked).kind, "denied");
    }
    await recorded.end(0, null);
    const [lostId, keptId] = ids as [string, string];
    assert.ok(!exists(`${queue.dir}/${lostId}.taken`), `${sync}: no record, no marker`);
    assert.ok(exists(`${queue.dir}/${keptId}.taken`), `${sync}: recorded, then marked`);
    const approvals = (await logRecords(home)).filter((r) => r["type"] === "approval");
    assert.deepEqual(approvals.map((r) => [r["decisionId"], r["outcome"]]), [
      ["d-kept", "denied"],
    ]);
    const latest = Math.max(
      ...await Promise.all(ids.map(async (id) => (await queue.entry(id))!.expiresAt)),
    );
    const removed = await pruneQueue(queue, { ownerUid: Deno.uid(), now: latest + 11 * MINUTE });
    assert.equal(removed, 1, sync);
    assert.ok(exists(`${queue.dir}/${lostId}.answer.json`), `${sync}: the unrecorded answer stays`);
    assert.ok(!exists(`${queue.dir}/${keptId}.answer.json`), `${sync}: the recorded one went`);
  }
});
