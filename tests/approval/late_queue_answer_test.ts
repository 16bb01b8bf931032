/**
 * A person approves a queued call just as the client cancels it: the answer
 * counts for nothing (the call is withdrawn), but the audit keeps who
 * answered, and the queue records what became of the call, so
 * `thoth approvals list` does not call a call approved that never ran.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "../cli/_fake_cli_io.ts";
import { stepUpRequest, tempHome } from "./_relay_harness.ts";
import { queueWithKeys } from "./_signed_answers.ts";

async function waitingId(queue: ApprovalQueue): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const pending = (await queue.list()).filter((item) => item.state === "pending");
    if (pending[0] !== undefined) return pending[0].entry.id;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no request was queued");
}

Deno.test("an approval written just before the client cancels keeps its approver in the cancelled outcome, and the list says the call did not run", async () => {
  const { home, remove } = await tempHome();
  try {
    const approver = createApprover({
      thothHome: home,
      env: {},
      user: "ana",
      dialog: false,
      timeoutMs: 30_000,
      // The channel sleeps between looks: the cancel comes before it reads the answer.
      queuePollMs: 60_000,
    });
    const cancel = new AbortController();
    const request = {
      ...stepUpRequest(
        { server: "fs", tool: "echo", era: "initialize", protocolVersion: "2025-06-18" },
        { text: "hi" },
        "d-late",
        "ask-echo",
      ),
      signal: cancel.signal,
    };
    // The profile's keys first, as a session's audit makes them before anything is asked.
    const queue = await queueWithKeys(home);
    const asked = approver(request);
    const id = await waitingId(queue);
    await queue.settle(id, { decision: "approve", by: "ana" });
    cancel.abort();
    const outcome = await asked;
    approver.endSession();
    assert.equal(outcome.approved, false);
    assert.equal(outcome.kind, "cancelled");
    assert.equal(outcome.approver, "ana", "the audit keeps who approved");
    assert.match(
      outcome.why,
      /^a person allowed it once, but the answer came after the call was withdrawn/,
    );
    const [item] = await queue.list();
    assert.deepEqual(item?.callFate?.outcome, "withdrawn");
    const io = fakeCliIo(home, {});
    const program = new Command("thoth").addCommand(approvalsCommand(io));
    assert.equal(await runProgram("thoth", program, ["approvals", "list", "--all"], io), 0);
    assert.match(
      io.stdout,
      /approved by .*, but the waiting thoth noted that the call was withdrawn before the answer was used/,
    );
    assert.match(io.stdout, /it did not run/);
    const json = fakeCliIo(home, {});
    const jsonProgram = new Command("thoth").addCommand(approvalsCommand(json));
    await runProgram("thoth", jsonProgram, ["approvals", "list", "--all", "--json"], json);
    const [listed] = JSON.parse(json.stdout);
    assert.equal(listed.answer.decision, "approve");
    assert.equal(listed.answer.callRan, false);
    assert.equal(listed.answer.callOutcome, "withdrawn");
    assert.equal(listed.answer.callOutcomeSource, "waiting-thoth-note");
  } finally {
    await remove();
  }
});

Deno.test("the queue's record of a withdrawn call is read strictly: another request's, or a malformed one, is none", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit({
      expiresAt: Date.now() + 60_000,
      server: "fs",
      tool: "echo",
      ruleIds: [],
      reasons: [],
      decisionId: "d-1",
      shape: [],
      digest: "a".repeat(64),
      allowSession: true,
      pid: 42,
    });
    await queue.settle(entry.id, { decision: "approve", by: "ana" });
    const path = `${queue.dir}/${entry.id}.outcome.json`;
    const write = (value: unknown) => Deno.writeTextFile(path, JSON.stringify(value));
    const valid = {
      v: 1,
      id: entry.id,
      digest: "a".repeat(64),
      outcome: "withdrawn",
      reason: "the client cancelled the call while it waited",
      at: 1,
    };
    for (
      const bad of [{ ...valid, digest: "b".repeat(64) }, { ...valid, extra: 1 }, {
        ...valid,
        outcome: "approved",
      }]
    ) {
      await write(bad);
      assert.equal((await queue.list())[0]?.callFate, undefined, JSON.stringify(bad));
    }
    await write(valid);
    assert.equal((await queue.list())[0]?.callFate?.outcome, "withdrawn");
  } finally {
    await remove();
  }
});
