/**
 * Request and answer files say which release's form they are in: a
 * request this release queues is `"v": 3` (its thoth takes only answers
 * that bind what the person was shown, and reads how they were given),
 * one of an earlier release `"v": 1` (its thoth refuses such answers as
 * malformed). This release still reads
 * the earlier one, and lists it as such; an answer of this release's form
 * found on it (written before `approve` refused to, or by hand) is listed
 * as refused by that thoth, not as approved.
 */
import assert from "node:assert/strict";
import {
  parseQueueAnswer,
  parseQueueEntry,
  QUEUE_ANSWER_VERSION,
  QUEUE_REQUEST_VERSION,
  type QueueAnswer,
} from "../../src/approval/queue_record.ts";
import { answerFileProblem } from "../../src/approval/answer_file_problem.ts";
import { answerBinding } from "../../src/approval/answer_binding.ts";
import { isAppError } from "../../src/errors.ts";
import { tempHome } from "./_relay_harness.ts";
import { thothCli } from "./_governed_peer.ts";
import { queueWithKeys, signAnswer } from "./_signed_answers.ts";

const facts = {
  // A minute from when each test submits it: a grouped run may load this file minutes before.
  get expiresAt(): number {
    return Date.now() + 60_000;
  },
  server: "fs",
  tool: "write_file",
  ruleIds: ["w"],
  reasons: [],
  decisionId: "d-1",
  shape: ["path: string (3 chars)"],
  digest: "a".repeat(64),
  allowSession: true,
  pid: Deno.pid,
};

Deno.test("request and answer files this release writes carry version 3; versions 1 and 2 are still read", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const onDisk = JSON.parse(await Deno.readTextFile(`${queue.dir}/${entry.id}.request.json`));
    assert.equal(onDisk.v, QUEUE_REQUEST_VERSION);
    assert.equal(QUEUE_REQUEST_VERSION, 3);
    const answer = await queue.settle(entry.id, { decision: "approve", by: "ana" });
    assert.equal(answer.v, QUEUE_ANSWER_VERSION);
    assert.equal(QUEUE_ANSWER_VERSION, 3);
    const earlier = { ...onDisk, v: 1 };
    assert.equal(parseQueueEntry(earlier)?.v, 1, "an earlier release's request is read");
    assert.equal(parseQueueEntry({ ...onDisk, v: 2 })?.v, 2, "one that takes no `given` is read");
    assert.equal(parseQueueEntry({ ...onDisk, v: 4 }), null, "a later one is not");
    const old = { v: 1, id: entry.id, digest: facts.digest, decision: "approve", by: "a", at: 1 };
    assert.equal(parseQueueAnswer(old)?.v, 1);
    assert.equal(parseQueueAnswer({ ...old, v: 4 }), null);
    // The words for a malformed file know this release's fields and versions.
    assert.equal(answerFileProblem({ ...old, v: 0 }, entry.id), '"v" is not 1, 2 or 3');
    assert.equal(
      answerFileProblem({ ...old, ...answerBinding(entry), digest: "zz" }, entry.id),
      '"digest" is not 64 lowercase hex digits',
    );
  } finally {
    await remove();
  }
});

Deno.test("ApprovalQueue.settle() answers no request of an earlier release, and writes nothing", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const file = `${queue.dir}/${entry.id}.request.json`;
    await Deno.writeTextFile(file, JSON.stringify({ ...entry, v: 1 }));
    for (const decision of ["approve", "session", "deny"] as const) {
      await assert.rejects(
        queue.settle(entry.id, { decision, by: "ana" }),
        (error) => isAppError(error, "approval.earlier_release"),
      );
    }
    const names = [...Deno.readDirSync(queue.dir)].map((e) => e.name);
    assert.deepEqual(names, [`${entry.id}.request.json`], "no answer and no MAC file");
  } finally {
    await remove();
  }
});

Deno.test("thoth approvals list: an answer of this release's form to an earlier release's request is listed as refused by that thoth", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    await Deno.writeTextFile(
      `${queue.dir}/${entry.id}.request.json`,
      JSON.stringify({ ...entry, v: 1 }),
    );
    // As this release's approve wrote it before it refused to.
    const answer: QueueAnswer = {
      v: 1,
      id: entry.id,
      digest: entry.digest,
      decision: "approve",
      by: "ana",
      at: Date.now(),
      ...answerBinding(entry),
    };
    await signAnswer(home, answer);
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.answer.json`, JSON.stringify(answer), {
      mode: 0o600,
    });
    const text = await thothCli(home, ["approvals", "list", "--all"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /\[approved by [^\]]+, but the thoth that asked is of an earlier release and refuses an answer of this release's form as malformed, so it refused the call; it did not run\]/,
    );
    // Settled: nothing is left to answer, so no line says how to.
    assert.doesNotMatch(text.stdout, /queued by a thoth of an earlier release/);
    const json = JSON.parse(
      (await thothCli(home, ["approvals", "list", "--all", "--json"])).stdout,
    );
    assert.equal(json[0].earlierRelease, true);
    assert.equal(json[0].answer.callRan, false);
    assert.equal(json[0].answer.callOutcome, "refused");
    assert.equal(json[0].answer.callOutcomeSource, "earlier-release");
    // The same answer in the earlier release's own form decided the call: listed as given.
    const { server: _s, tool: _t, decisionId: _d, shapeHash: _h, ...own } = answer;
    await Deno.remove(`${queue.dir}/${entry.id}.answer.json`);
    await signAnswer(home, own);
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.answer.json`, JSON.stringify(own), {
      mode: 0o600,
    });
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.taken`, "{}", { mode: 0o600 });
    const plain = JSON.parse(
      (await thothCli(home, ["approvals", "list", "--all", "--json"])).stdout,
    );
    assert.equal(plain[0].answer.callRan, undefined, JSON.stringify(plain[0]));
  } finally {
    await remove();
  }
});

Deno.test("thoth approvals list: the earlier-release lines stand under a pending request only, not once that release's own CLI answered it or it expired", async () => {
  const { home, remove } = await tempHome();
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit(facts);
    const file = `${queue.dir}/${entry.id}.request.json`;
    await Deno.writeTextFile(file, JSON.stringify({ ...entry, v: 1 }));
    const pending = await thothCli(home, ["approvals", "list"]);
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(
      pending.stdout,
      /^ {10}queued by a thoth of an earlier release \(or its file was edited to say so\), which refuses this release's answers\n {10}left unanswered, it is refused when it times out: restart the MCP client so its server runs under this release, or answer it with that release's thoth approvals if it is still installed\n {10}asked by /m,
    );
    // That release's own CLI approved it (its form: no binding), and its thoth took it.
    const own: QueueAnswer = {
      v: 1,
      id: entry.id,
      digest: entry.digest,
      decision: "approve",
      by: "root",
      at: Date.now(),
    };
    await signAnswer(home, own);
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.answer.json`, JSON.stringify(own), {
      mode: 0o600,
    });
    await Deno.writeTextFile(`${queue.dir}/${entry.id}.taken`, "{}", { mode: 0o600 });
    const settled = await thothCli(home, ["approvals", "list", "--all"]);
    assert.equal(settled.code, 0, settled.stderr);
    assert.match(settled.stdout, new RegExp(`^${entry.id} .*\\[approved by [^\\],]+\\]$`, "m"));
    assert.doesNotMatch(settled.stdout, /earlier release|that release's thoth/, settled.stdout);
    const json = JSON.parse(
      (await thothCli(home, ["approvals", "list", "--all", "--json"])).stdout,
    );
    assert.equal(json[0].earlierRelease, true, "--json still says which release queued it");
    // Expired unanswered: nothing to answer either.
    const late = await queue.submit({ ...facts, expiresAt: Date.now() - 1_000 });
    await Deno.writeTextFile(
      `${queue.dir}/${late.id}.request.json`,
      JSON.stringify({ ...late, v: 1 }),
    );
    const expired = await thothCli(home, ["approvals", "list", "--all"]);
    assert.match(expired.stdout, new RegExp(`^${late.id} .*\\[expired\\]$`, "m"));
    assert.doesNotMatch(expired.stdout, /earlier release|that release's thoth/, expired.stdout);
  } finally {
    await remove();
  }
});
