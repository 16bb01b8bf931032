/**
 * An answer the waiting thoth refused as not given for its call (the
 * request file was rewritten after it was queued, so the person was shown
 * another call; or the answer binds nothing, as one of an earlier release)
 * is listed as refused by `thoth approvals list --all`, with the reason, and
 * `--json` says the call did not run: never as approved. The waiting thoth
 * notes the refusal next to the request, in a file only its user can read,
 * before it answers the client. Real processes: `thoth run` around
 * server-filesystem, the SDK client, and the real `thoth approvals` CLI.
 */
import assert from "node:assert/strict";
import { filesystemArgv } from "../e2e/_harness.ts";
import { auditRecords, type Json } from "./_governed_peer.ts";
import { signAnswer } from "./_signed_answers.ts";
import { queueSession } from "./_real_server_queue.ts";

const ASK_BEFORE_WRITE = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-write", match: { tool: "write_file" }, decision: "step_up" }],
};

/** The `thoth approvals list --all` line of request `id` (its first line). */
function headLine(listing: string, id: string): string {
  const line = listing.split("\n").find((l) => l.startsWith(`${id} `));
  assert.ok(line, `request ${id} is listed:\n${listing}`);
  return line;
}

Deno.test("thoth approvals list: an approval given for a rewritten request file is listed as refused by the waiting thoth, with why; --json says the call did not run", async () => {
  const session = await queueSession(ASK_BEFORE_WRITE, filesystemArgv, "fs");
  let listing: string;
  let json: Json;
  let outcomeMode: number | null | undefined;
  const target = `${session.dir}/note.txt`;
  try {
    const call = session.call("write_file", { path: target, content: "written" });
    const id = await session.queuedId();
    // What a writer of the queue folder (not of keys/) can do: the digest stays.
    const file = `${session.home}/approvals/${id}.request.json`;
    const request = JSON.parse(await Deno.readTextFile(file));
    Object.assign(request, { tool: "read_text_file", shape: ["path: string (8 chars)"] });
    await Deno.writeTextFile(`${file}.tmp`, JSON.stringify(request));
    await Deno.rename(`${file}.tmp`, file);
    const approved = await session.approvals(["approve", id]);
    assert.equal(approved.code, 0, approved.stderr);
    const { result } = await call;
    assert.equal(result?.isError, true, JSON.stringify(result));
    assert.match(JSON.stringify(result), /is not for this call/);
    const listed = await session.approvals(["list", "--all"]);
    assert.equal(listed.code, 0, listed.stderr);
    listing = headLine(listed.stdout, id);
    json = JSON.parse((await session.approvals(["list", "--all", "--json"])).stdout);
    outcomeMode = await Deno.stat(`${session.home}/approvals/${id}.outcome.json`)
      .then((info) => info.mode, () => undefined);
  } finally {
    await session.close();
  }
  await assert.rejects(Deno.stat(target), Deno.errors.NotFound, "the call did not run");
  assert.match(
    listing,
    /\[refused: the waiting thoth noted that the answer \(approved by [^)]+\) was not given for its call \(the person was shown another tool, argument shape than this call has/,
  );
  assert.doesNotMatch(listing, /\[approved/);
  const answer = json[0].answer;
  assert.equal(answer.decision, "approve", "what the person said");
  assert.equal(answer.callRan, false, JSON.stringify(answer));
  assert.equal(answer.callOutcome, "misbound");
  assert.equal(answer.callOutcomeSource, "waiting-thoth-note");
  assert.match(answer.callOutcomeReason, /another tool, argument shape than this call has/);
  assert.notEqual(outcomeMode, undefined, "the refusal is noted next to the request");
  if (Deno.build.os !== "windows") assert.equal(outcomeMode! & 0o777, 0o600, "owner-only");
  const [approval] = await auditRecords(session.home, "approval");
  assert.equal(approval.outcome, "error", "the audit says the same");
});

Deno.test("thoth approvals list: a signed answer that binds nothing (an earlier release's) is listed as refused, not approved", async () => {
  const session = await queueSession(ASK_BEFORE_WRITE, filesystemArgv, "fs");
  let listing: string;
  let json: Json;
  const target = `${session.dir}/note.txt`;
  try {
    const call = session.call("write_file", { path: target, content: "written" });
    const id = await session.queuedId();
    const dir = `${session.home}/approvals`;
    const { digest } = JSON.parse(await Deno.readTextFile(`${dir}/${id}.request.json`));
    const answer = { v: 1, id, digest, decision: "approve", by: "ana", at: Date.now() } as const;
    await signAnswer(session.home, answer);
    await Deno.writeTextFile(`${dir}/.hand`, JSON.stringify(answer), { mode: 0o600 });
    await Deno.link(`${dir}/.hand`, `${dir}/${id}.answer.json`);
    await Deno.remove(`${dir}/.hand`);
    const { result } = await call;
    assert.equal(result?.isError, true, JSON.stringify(result));
    listing = headLine((await session.approvals(["list", "--all"])).stdout, id);
    json = JSON.parse((await session.approvals(["list", "--all", "--json"])).stdout);
  } finally {
    await session.close();
  }
  await assert.rejects(Deno.stat(target), Deno.errors.NotFound, "the call did not run");
  assert.match(listing, /\[refused: .*does not say what the person was shown/);
  assert.doesNotMatch(listing, /\[approved/);
  assert.equal(json[0].answer.callRan, false);
  assert.equal(json[0].answer.callOutcome, "misbound");
});
