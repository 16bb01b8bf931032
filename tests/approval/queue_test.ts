import assert from "node:assert/strict";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import { argumentDigest } from "../../src/approval/argument_digest.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { isAppError } from "../../src/errors.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { approvalsCli, tempHome } from "./_relay_harness.ts";
import { queueWithKeys, signAnswer } from "./_signed_answers.ts";

const facts = (digest: string, expiresAt: number) => ({
  expiresAt,
  server: "fs",
  tool: "write_file",
  ruleIds: ["w"],
  reasons: [],
  decisionId: "d-1",
  shape: ["path: string (3 chars)"],
  digest,
  allowSession: true,
  pid: 1,
});

Deno.test("ApprovalQueue: of several processes settling one request, exactly one wins", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts("a".repeat(64), Date.now() + 60_000));
    const mode = (await Deno.stat(`${home}/approvals`)).mode! & 0o777;
    assert.equal(mode, 0o700);
    assert.equal(
      (await Deno.stat(`${home}/approvals/${entry.id}.request.json`)).mode! & 0o777,
      0o600,
    );
    const runs = await Promise.all([
      approvalsCli(home, ["approve", entry.id]),
      approvalsCli(home, ["deny", entry.id]),
      approvalsCli(home, ["approve", entry.id, "--session"]),
      approvalsCli(home, ["deny", entry.id, "--reason", "no"]),
    ]);
    assert.equal(runs.filter((r) => r.code === 0).length, 1, runs.map((r) => r.stderr).join("|"));
    for (const r of runs.filter((r) => r.code !== 0)) {
      assert.match(r.stderr, /thoth: error: request "[a-z0-9]{8}" was already (approved|denied)/);
    }
    const leftovers = [...Deno.readDirSync(`${home}/approvals`)].filter((e) =>
      e.name.startsWith(".")
    );
    assert.deepEqual(leftovers, [], "no temp files are left behind");
  } finally {
    await remove();
  }
});

Deno.test({
  name: "ApprovalQueue: a queue directory open to other users is made private before use",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, remove } = await tempHome();
    try {
      const queue = await queueWithKeys(home);
      await Deno.mkdir(queue.dir, { mode: 0o777 });
      await Deno.chmod(queue.dir, 0o777);
      await queue.submit(facts("a".repeat(64), Date.now() + 60_000));
      assert.equal((await Deno.stat(queue.dir)).mode! & 0o777, 0o700);
    } finally {
      await remove();
    }
  },
});

Deno.test("ApprovalQueue: unknown, expired and malformed ids are refused with clear errors", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    await assert.rejects(
      queue.settle("abcdefgh", { decision: "approve", by: "me" }),
      (e) =>
        isAppError(e, "approval.unknown_id") &&
        /no approval request with id "abcdefgh"/.test(e.message),
    );
    const old = await queue.submit(facts("b".repeat(64), Date.now() - 1));
    await assert.rejects(
      queue.settle(old.id, { decision: "approve", by: "me" }),
      (e) => isAppError(e, "approval.expired"),
    );
    const bad = await approvalsCli(home, ["approve", "../../etc"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /is not an approval id/);
  } finally {
    await remove();
  }
});

Deno.test("queueChannel: an answer bound to other arguments is refused", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    let id = "";
    const channel = queueChannel({ queue, pollMs: 20, onQueued: (queued) => id = queued });
    const digest = await argumentDigest("fs", "write_file", { path: "/a" });
    const forged = await argumentDigest("fs", "write_file", { path: "/b" });
    const request = {
      call: { server: "fs", tool: "write_file", arguments: { path: "/a" } },
      verdict: { decision: "step_up", decisionId: "d-1", ruleIds: [], reasons: [] },
      signal: new AbortController().signal,
    } as unknown as ApprovalRequest;
    const question = approvalQuestion(request.call, request.verdict, digest);
    const asked = channel.ask({
      question,
      request,
      signal: new AbortController().signal,
      deadline: Date.now() + 5_000,
      allowSession: false,
    });
    while (id === "") await new Promise((r) => setTimeout(r, 10));
    // Someone writes an approval meant for other arguments into this request's slot
    // (signed: a MAC proves who wrote it, not that it fits this call).
    const other = {
      v: 1,
      id,
      digest: forged,
      decision: "approve",
      by: "mallory",
      at: Date.now(),
    } as const;
    await signAnswer(home, other);
    await Deno.writeTextFile(`${home}/approvals/${id}.answer.json`, JSON.stringify(other));
    const answer = await asked;
    assert.equal(answer.kind, "error");
    assert.match(
      answer.kind === "error" ? answer.message : "",
      /does not match this call's arguments/,
    );
  } finally {
    await remove();
  }
});

Deno.test({
  name: "ApprovalQueue: a FIFO dropped in the queue is read as damaged, never waited on",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, remove } = await tempHome();
    try {
      const queue = await queueWithKeys(home);
      const entry = await queue.submit(facts("c".repeat(64), Date.now() + 60_000));
      const answer = `${home}/approvals/${entry.id}.answer.json`;
      const made = await new Deno.Command("mkfifo", { args: [answer] }).output();
      assert.ok(made.success, "mkfifo");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<"hung">((resolve) => {
        timer = setTimeout(() => resolve("hung"), 5_000);
      });
      const listing = queue.list();
      const outcome = await Promise.race([listing, hung]);
      clearTimeout(timer);
      if (outcome === "hung") {
        (await Deno.open(answer, { write: true })).close(); // let the read end
        await listing.catch(() => {});
      }
      assert.notEqual(outcome, "hung", "list() waited on the FIFO");
      assert.ok(Array.isArray(outcome));
    } finally {
      await remove();
    }
  },
});
