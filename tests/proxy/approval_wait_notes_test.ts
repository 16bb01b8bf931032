/**
 * The stderr line that says a call waits in the approval queue names the
 * call's tool and server (never its arguments) with the command that
 * answers it; when that request times out or is withdrawn before anyone
 * answered, one more line says so, by its id. A real queue under a temp
 * THOTH_HOME.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { stepUpRequest, tempHome } from "../approval/_relay_harness.ts";

const SECRET = "s3cret-argument-value";

function request(decisionId: string, signal?: AbortSignal) {
  const base = stepUpRequest(
    { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
    { path: SECRET },
    decisionId,
    "writes",
  );
  return signal === undefined ? base : { ...base, signal };
}

function approver(home: string, notes: string[], timeoutMs: number) {
  return createApprover({
    thothHome: home,
    env: {},
    user: "ana",
    dialog: false,
    timeoutMs,
    queuePollMs: 20,
    approvalsCommand: "thoth approvals",
    note: (m) => notes.push(m),
  });
}

/** The queue id a waiting line names. */
function waitingId(notes: readonly string[]): string {
  const line = notes.find((m) => /waits for approval/.test(m)) ?? "";
  const id = /approve (\S+)"/.exec(line)?.[1];
  assert.ok(id !== undefined, notes.join("\n"));
  return id;
}

Deno.test("the approval wait line names the tool and server, and a timeout is told by its id", async () => {
  const { home, remove } = await tempHome();
  try {
    const notes: string[] = [];
    const ask = approver(home, notes, 300);
    const outcome = await ask(request("d-wait"));
    ask.endSession();
    assert.equal(outcome.approved, false);
    const all = notes.join("\n");
    assert.match(
      all,
      /^a call to tool "write_file" on server "fs" waits for approval: run "thoth approvals approve \S+" or "thoth approvals deny \S+" within /m,
    );
    const id = waitingId(notes);
    assert.ok(
      notes.some((m) =>
        m === `approval request ${id} (tool "write_file" on server "fs") timed out: no one ` +
            'answered, so the call did not run; to answer it when it is asked again, run "thoth ' +
            'approvals watch" in a terminal'
      ),
      all,
    );
    assert.ok(!all.includes(SECRET), "no argument reaches stderr");
  } finally {
    await remove();
  }
});

Deno.test("a request withdrawn while it waits in the queue is told by its id", async () => {
  const { home, remove } = await tempHome();
  try {
    const notes: string[] = [];
    const ask = approver(home, notes, 30_000);
    const cancel = new AbortController();
    const asked = ask(request("d-gone", cancel.signal));
    for (let i = 0; i < 500 && !notes.some((m) => /waits for approval/.test(m)); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const id = waitingId(notes);
    cancel.abort();
    const outcome = await asked;
    ask.endSession();
    assert.equal(outcome.approved, false);
    // The channel's own close may finish just after the outcome is settled.
    for (let i = 0; i < 300 && !notes.some((m) => m.includes("withdrawn")); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(
      notes.some((m) =>
        m.startsWith(
          `approval request ${id} (tool "write_file" on server "fs") was withdrawn before anyone answered`,
        )
      ),
      notes.join("\n"),
    );
    assert.ok(!notes.join("\n").includes(SECRET));
  } finally {
    await remove();
  }
});
