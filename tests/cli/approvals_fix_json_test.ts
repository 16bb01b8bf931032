/**
 * `thoth approvals approve` and `deny` print the answer they wrote as JSON
 * with `--json`, and an id found nowhere is refused naming the queue folder
 * looked in and the THOTH_HOME that chose it (the real CLI, under a temp
 * profile).
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { osUserName } from "../_os_user.ts";
import { thothCli } from "../approval/_governed_peer.ts";
import { queueWithKeys } from "../approval/_signed_answers.ts";

async function profile(): Promise<string> {
  const home = `${await tempFolder("thoth-approvals-json-")}/home`;
  await Deno.mkdir(home);
  return home;
}

const waiting = (digest: string) => waitingRequest(digest);

Deno.test("thoth approvals approve --json and deny --json print the answer written", async () => {
  const home = await profile();
  const queue = await queueWithKeys(home);
  const first = await queue.submit(waiting("a".repeat(64)));
  const second = await queue.submit(waiting("b".repeat(64)));
  const approved = await thothCli(home, ["approvals", "approve", first.id, "--json"]);
  assert.equal(approved.code, 0, approved.stderr);
  const a = JSON.parse(approved.stdout);
  assert.deepEqual([a.id, a.decision, a.by, a.reason], [
    first.id,
    "approve",
    osUserName(),
    undefined,
  ]);
  assert.ok(!Number.isNaN(Date.parse(a.at)), a.at);
  const denied = await thothCli(home, [
    "approvals",
    "deny",
    second.id,
    "--reason",
    "not on production",
    "--json",
  ]);
  assert.equal(denied.code, 0, denied.stderr);
  const d = JSON.parse(denied.stdout);
  assert.deepEqual([d.id, d.decision, d.reason], [second.id, "deny", "not on production"]);
  // What was written is what was printed.
  assert.equal((await queue.answer(second.id))?.reason, "not on production");
});

Deno.test("an id not in the queue is refused naming the folder looked in and THOTH_HOME", async () => {
  const home = await profile();
  for (const verb of ["approve", "deny"]) {
    const out = await thothCli(home, ["approvals", verb, "abcdefgh"]);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /no approval request with id "abcdefgh"/);
    assert.ok(out.stderr.includes(`"${home}/approvals"`), out.stderr);
    assert.ok(out.stderr.includes(`THOTH_HOME is set to "${home}"`), out.stderr);
  }
});
