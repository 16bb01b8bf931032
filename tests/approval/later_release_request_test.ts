/**
 * A request queued by a thoth of a later release (`"v"` above this
 * release's) is one this release cannot read: `thoth approvals list` says
 * how many wait and who can answer them (the later release's thoth, named
 * by its file, or an updated thoth), `approve ID` names it instead of "no
 * request", and the waiting thoth's note names a compiled thoth by its path.
 */
import assert from "node:assert/strict";
import { QUEUE_REQUEST_VERSION } from "../../src/approval/queue_record.ts";
import { answerFileProblem } from "../../src/approval/answer_file_problem.ts";
import { laterReleaseJson } from "../../src/approval/later_release_request.ts";
import { approvalsCommandFor } from "../../src/approval/create_approver.ts";
import { sourceLaunchWords } from "../../src/platform/source_launch_flags.ts";
import { isAppError } from "../../src/errors.ts";
import { tempHome } from "./_relay_harness.ts";
import { thothCli } from "./_governed_peer.ts";
import { queueWithKeys } from "./_signed_answers.ts";

const facts = {
  expiresAt: Date.now() + 600_000,
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

/** A queue with one request rewritten as a later release's (`v` 4, with `extra` fields). */
async function laterRequest(home: string, extra: Record<string, unknown> = {}) {
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(facts);
  const file = `${queue.dir}/${entry.id}.request.json`;
  const onDisk = JSON.parse(await Deno.readTextFile(file));
  await Deno.writeTextFile(
    file,
    JSON.stringify({ ...onDisk, v: QUEUE_REQUEST_VERSION + 1, newField: 1, ...extra }),
  );
  return { queue, id: entry.id };
}

Deno.test("ApprovalQueue.settle() names a later release's request, not an unknown id", async () => {
  const { home, remove } = await tempHome();
  try {
    const { queue, id } = await laterRequest(home, { thoth: "/opt/thoth-2/bin/thoth" });
    await assert.rejects(
      () => queue.settle(id, { decision: "approve", by: "ana" }),
      (error) => {
        assert.ok(isAppError(error, "approval.later_release"), String(error));
        assert.match(error.message, /queued by a thoth of a later release/);
        assert.match(error.hints.join("\n"), /"\/opt\/thoth-2\/bin\/thoth" approvals approve/);
        return true;
      },
    );
    assert.equal(await queue.answer(id), undefined, "nothing was answered");
    const items = await queue.list();
    assert.equal(items.length, 0);
    assert.deepEqual(queue.laterRequests().map((l) => l.id), [id]);
  } finally {
    await remove();
  }
});

Deno.test("thoth approvals list and approve say a later release's request waits, and who answers it", async () => {
  const { home, remove } = await tempHome();
  try {
    const { id } = await laterRequest(home);
    const list = await thothCli(home, ["approvals", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, /no approval requests are waiting/);
    assert.match(
      list.stdout,
      new RegExp(`1 approval request was queued by a thoth of a later release.*${id}`),
    );
    assert.match(list.stdout, new RegExp(`pid ${Deno.pid}\\), or update this thoth`));
    // A script polling --json sees it waits: one entry of its own state, what can be read safely.
    const json = await thothCli(home, ["approvals", "list", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [{
      id,
      state: "later_release",
      v: QUEUE_REQUEST_VERSION + 1,
      pid: Deno.pid,
      thoth: null,
      expiresAt: new Date(facts.expiresAt).toISOString(),
    }], "stdout stays one JSON array");
    assert.match(json.stderr, /note: 1 approval request was queued by a thoth of a later release/);
    const approve = await thothCli(home, ["approvals", "approve", id]);
    assert.equal(approve.code, 1);
    assert.doesNotMatch(approve.stderr, /no approval request with id/);
    assert.match(approve.stderr, /later release/);
  } finally {
    await remove();
  }
});

Deno.test("laterReleaseJson() shows a later release's thoth made safe, and no time it cannot write", () => {
  assert.deepEqual(
    laterReleaseJson({ id: "k3f9x2qa", v: 9, thoth: "/opt/t\u001b[2Jhoth", expiresAt: 9e15 }),
    {
      id: "k3f9x2qa",
      state: "later_release",
      v: 9,
      pid: null,
      thoth: "/opt/t?[2Jhoth",
      expiresAt: null,
    },
  );
});

Deno.test("answerFileProblem() says an answer of a later version is a later release's form", () => {
  const answer = {
    v: 4,
    id: "k3f9x2qa",
    digest: "a".repeat(64),
    decision: "approve",
    by: "a",
    at: 1,
  };
  assert.match(answerFileProblem(answer, "k3f9x2qa") ?? "", /later release's form/);
});

Deno.test("approvalsCommandFor() names a compiled thoth by its path, a source run by its task", () => {
  assert.equal(
    approvalsCommandFor("/home/ana/.thoth", "/home/ana", "linux", ["/opt/bin/thoth"]),
    "/opt/bin/thoth approvals",
  );
  assert.equal(
    approvalsCommandFor("/srv/t", "/home/ana", "linux", ["/Users/ana/My Tools/thoth"]),
    "THOTH_HOME='/srv/t' '/Users/ana/My Tools/thoth' approvals",
  );
  // No thoth on PATH from a checkout: its task, from any folder, for the profile it runs with.
  const source = ["/usr/bin/deno", ...sourceLaunchWords("/src/thoth/deno.json"), "/src/thoth/x.ts"];
  assert.equal(
    approvalsCommandFor("/home/ana/.thoth", "/home/ana", "linux", source),
    "deno task --config /src/thoth/deno.json thoth approvals",
  );
  assert.equal(
    approvalsCommandFor("/srv/t", "/home/ana", "linux", [
      "/usr/bin/deno",
      ...sourceLaunchWords("/src/my thoth/deno.json"),
      "/src/my thoth/x.ts",
    ]),
    "THOTH_HOME='/srv/t' deno task --config '/src/my thoth/deno.json' thoth approvals",
  );
  assert.equal(
    approvalsCommandFor("C:\\Users\\ana\\.thoth", "C:\\Users\\ana", "windows", [
      "C:\\deno\\deno.exe",
      ...sourceLaunchWords("C:\\src\\my thoth\\deno.json"),
      "C:\\src\\my thoth\\x.ts",
    ]),
    "deno task --config 'C:\\src\\my thoth\\deno.json' thoth approvals",
  );
  // A launch it cannot read: plain thoth, as before.
  assert.equal(
    approvalsCommandFor("/home/ana/.thoth", "/home/ana", "linux", ["/usr/bin/deno", "run", "x.ts"]),
    "thoth approvals",
  );
});
