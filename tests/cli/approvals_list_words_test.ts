/**
 * What `thoth approvals list --all` says of requests no longer waiting: the
 * thoth that asked is named as having asked, not as waiting; and a call
 * withdrawn before the answer was used is said as the waiting thoth's note
 * (its outcome file, which any process of this user could write), not as a
 * fact the list checked, in text and in `--json`.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { queueWithKeys } from "../approval/_signed_answers.ts";

const waiting = (digest: string, pid: number) => waitingRequest(digest, { pid });

async function list(home: string, args: string[]) {
  const io = fakeCliIo(home, { USER: "cli-user" });
  const program = new Command("thoth").addCommand(approvalsCommand(io));
  const code = await runProgram("thoth", program, ["approvals", "list", ...args], io);
  assert.equal(code, 0, io.stderr);
  return io.stdout;
}

Deno.test("approvals list --all says a settled request was asked by its thoth, a pending one waits in it", async () => {
  const home = await tempFolder("thoth-list-words-");
  const queue = await queueWithKeys(home);
  const settled = await queue.submit(waiting("a".repeat(64), 4242));
  await queue.settle(settled.id, { decision: "approve", by: "ana" });
  await new Promise((r) => setTimeout(r, 3));
  await queue.submit(waiting("b".repeat(64), 4343));
  const out = await list(home, ["--all"]);
  assert.match(
    out,
    /\[approved by [^\]]*\][^\n]*\n(?:.*\n)*? {10}asked by the thoth with pid 4242\n/,
  );
  assert.doesNotMatch(out, /waiting in the thoth with pid 4242/, out);
  assert.match(out, /waiting in the thoth with pid 4343\n/);
});

Deno.test("approvals list --all gives a withdrawn call as the waiting thoth's note", async () => {
  const home = await tempFolder("thoth-list-words-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(waiting("a".repeat(64), 4242));
  await queue.settle(entry.id, { decision: "approve", by: "ana" });
  await queue.recordOutcome(
    entry.id,
    entry.digest,
    "the client cancelled the call while it waited",
  );
  const out = await list(home, ["--all"]);
  assert.match(
    out,
    /approved by [^,\]]*, but the waiting thoth noted that the call was withdrawn before the answer was used \(the client cancelled the call while it waited\) and that it did not run\]/,
  );
  assert.doesNotMatch(out, /, but the call was withdrawn/);
  const [item] = JSON.parse(await list(home, ["--all", "--json"]));
  assert.equal(item.answer.callRan, false);
  assert.equal(item.answer.callOutcome, "withdrawn");
  assert.equal(item.answer.callOutcomeSource, "waiting-thoth-note");
});
