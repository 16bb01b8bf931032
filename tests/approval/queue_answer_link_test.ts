/**
 * A queue answer is named by the uid that owns its file, so a link in the
 * queue folder must not count: a symbolic link, or a hard link, to a file
 * another user owns (left writable, holding a valid approval) would pin the
 * approval on that user. Such a file is no answer: the call is refused, the
 * reason is told on stderr, and nobody is named as its approver. A real
 * answer, whose writer removes its temp link a moment after linking it into
 * place, still counts.
 */
import assert from "node:assert/strict";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { openAnswerFile } from "../../src/approval/open_answer_file.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { isAppError } from "../../src/errors.ts";
import type { ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { tempFolder } from "../_temp_dirs.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  type Json,
  queuedId,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";
import { boundAnswer, queueWithKeys, signAnswer } from "./_signed_answers.ts";

const DIGEST = "a".repeat(64);
const NOBODY = 65534;
const IS_ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;

type Link = "symlink" | "hardlink";

/** Asks the queue channel once; `plant` puts something where the answer goes. */
async function askWith(
  plant: (answerPath: string, id: string, home: string) => Promise<void>,
): Promise<{ answer: ChannelAnswer; refusals: string[]; queue: ApprovalQueue; id: string }> {
  const home = await tempFolder("thoth-answer-link-");
  const queue = await queueWithKeys(home);
  const refusals: string[] = [];
  let queued: (id: string) => void = () => {};
  const queuedId = new Promise<string>((resolve) => queued = resolve);
  const channel = queueChannel({
    queue,
    pollMs: 10,
    user: "ana",
    onQueued: (id) => queued(id),
    onRefused: (message) => refusals.push(message),
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const asking = channel.ask({
      question: {
        server: "srv",
        tool: "write",
        ruleIds: ["r"],
        reasons: [],
        decisionId: "d-1",
        shape: [],
        digest: DIGEST,
      } as never,
      request: { signal: new AbortController().signal } as never,
      signal: controller.signal,
      deadline: Date.now() + 10_000,
      allowSession: false,
    });
    const id = await queuedId;
    await plant(`${queue.dir}/${id}.answer.json`, id, home);
    return { answer: await asking, refusals, queue, id };
  } finally {
    clearTimeout(timer);
  }
}

/** A valid approval of `id`, in a file outside the queue folder (chowned to nobody as root). */
async function othersApproval(home: string, id: string): Promise<string> {
  const target = `${home}/other-user.json`;
  const answer = { v: 1, id, digest: DIGEST, decision: "approve", by: "nobody", at: Date.now() };
  await Deno.writeTextFile(target, JSON.stringify(answer));
  if (Deno.build.os !== "windows") await Deno.chmod(target, 0o666);
  if (IS_ROOT) await Deno.chown(target, NOBODY, NOBODY);
  return target;
}

async function plantLink(kind: Link, answerPath: string, id: string, home: string) {
  const target = await othersApproval(home, id);
  if (kind === "symlink") await Deno.symlink(target, answerPath);
  else await Deno.link(target, answerPath);
}

for (const kind of ["symlink", "hardlink"] as const) {
  Deno.test({
    name: `queue channel: a ${kind} where the answer goes is no answer, and is told`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const { answer, refusals, queue, id } = await askWith((path, id, home) =>
        plantLink(kind, path, id, home)
      );
      const why = kind === "symlink" ? /is a symbolic link/ : /has 2 hard links/;
      assert.equal(answer.kind, "error", JSON.stringify(answer));
      assert.match(JSON.stringify(answer), why);
      assert.match(JSON.stringify(answer), /the answer to request [a-z0-9]{8} is not one/);
      assert.doesNotMatch(JSON.stringify(answer), /approvals\//, "no local path for the model");
      assert.doesNotMatch(JSON.stringify(answer), /nobody|uid 65534/);
      assert.equal(refusals.length, 1, "one note for the person at the machine");
      assert.match(refusals[0]!, why);
      assert.match(refusals[0]!, /the answer file ".*\.answer\.json" is not an answer/);
      // The queue lists it settled as a denial by no one, and refuses to answer over it.
      const owned = await queue.ownedAnswer(id);
      assert.equal(owned?.ownerUid, null);
      assert.equal(owned?.answer.decision, "deny");
      await assert.rejects(
        queue.settle(id, { decision: "approve", by: "ana" }),
        (e) => isAppError(e, "approval.answer_refused") && why.test(e.message),
      );
    },
  });
}

Deno.test({
  name: "queue channel: a symbolic link to a file that is no JSON is refused too, not a denial",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { answer, refusals } = await askWith(async (path, _id, home) => {
      await Deno.writeTextFile(`${home}/plain.txt`, "not an answer\n");
      await Deno.symlink(`${home}/plain.txt`, path);
    });
    assert.equal(answer.kind, "error");
    assert.match(refusals.join("\n"), /is a symbolic link/);
  },
});

Deno.test("queue channel: an answer linked into place as thoth approvals does still counts", async () => {
  const { answer, refusals } = await askWith(async (path, id, home) => {
    const temp = `${path}.hand`;
    const body = await boundAnswer(home, {
      v: 1,
      id,
      digest: DIGEST,
      decision: "approve",
      by: "ana",
      at: Date.now(),
    });
    await signAnswer(home, body);
    await Deno.writeTextFile(temp, JSON.stringify(body), { mode: 0o600 });
    await Deno.link(temp, path);
    // The settler removes its temp link a moment later: the reader waits for it.
    await new Promise((resolve) => setTimeout(resolve, 60));
    await Deno.remove(temp);
  });
  assert.equal(answer.kind, "approve", JSON.stringify(answer));
  assert.deepEqual(refusals, []);
});

Deno.test({
  name: "openAnswerFile(): a second link that stays is refused; one removed in time is not",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-answer-open-");
    await Deno.writeTextFile(`${dir}/a`, "{}");
    await Deno.link(`${dir}/a`, `${dir}/b`);
    const stays = await openAnswerFile(`${dir}/b`, { tries: 3, waitMs: 5 });
    assert.equal(stays.kind, "refused");
    setTimeout(() => Deno.removeSync(`${dir}/a`), 30);
    const removed = await openAnswerFile(`${dir}/b`, { tries: 50, waitMs: 5 });
    assert.equal(removed.kind, "opened");
    if (removed.kind === "opened") removed.file.close();
    await assert.rejects(openAnswerFile(`${dir}/missing`), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "thoth run: a hard-linked answer is refused with a note on stderr and names no approver",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(30) });
    let id: string;
    try {
      await peer.send(toolCall(1, "delete_everything", { x: 1 }));
      id = await queuedId(peer);
      const dir = `${peer.home}/approvals`;
      const entry = JSON.parse(await Deno.readTextFile(`${dir}/${id}.request.json`));
      const target = `${peer.home}/other-user.json`;
      const body = { v: 1, id, digest: entry.digest, decision: "approve", by: "x", at: Date.now() };
      await Deno.writeTextFile(target, JSON.stringify(body));
      await Deno.chmod(target, 0o666);
      if (IS_ROOT) await Deno.chown(target, NOBODY, NOBODY);
      await Deno.link(target, `${dir}/${id}.answer.json`);
      const reply = await peer.wait((m: Json) => m.id === 1);
      assert.match(JSON.stringify(reply), /is not one: it has 2 hard links/);
      await peer.waitStderr(
        /thoth: warning: the answer file .* is not an answer: it has 2 hard links/,
      );
    } finally {
      await peer.finish();
    }
    assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
    const approvals = await auditRecords(peer.home, "approval");
    assert.equal(approvals.length, 1);
    assert.notEqual(approvals[0].outcome, "approved");
    assert.doesNotMatch(JSON.stringify(approvals), /nobody|uid 65534/);
    const cli = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.notEqual(cli.code, 0);
  },
});
