/**
 * `thoth approvals approve|deny ID` says what an id is made of, from the
 * queue's own alphabet (no 0, 1, i, l or o, lowercase only), which
 * characters of a wrong id never appear in one, and reads an id typed in
 * capitals as the one id it can only mean.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { queueWithKeys } from "../approval/_signed_answers.ts";

const HINT = `^thoth: hint: an id is 8 characters from "abcdefghjkmnpqrstuvwxyz23456789" ` +
  `\\(lowercase letters and digits without 0, 1, i, l and o\\); copy it from "thoth approvals list"$`;

async function approvals(home: string, ...args: string[]) {
  return await runThoth(["approvals", ...args], {
    env: { THOTH_HOME: home, HOME: home, USER: "cli-user" },
    cwd: home,
  });
}

Deno.test("thoth approvals approve names the real alphabet and the characters that are wrong", async () => {
  const home = await tempFolder("thoth-approval-id-");
  const cases: [string, string][] = [
    ["abcd1234", '"abcd1234" is not an approval id: "1" never appears in one'],
    ["12345678", '"12345678" is not an approval id: "1" never appears in one'],
    ["0o1lixyz", '"0o1lixyz" is not an approval id: "0", "o", "1", "l", "i" never appear in one'],
    ["abcdefgI", '"abcdefgI" is not an approval id: "I" never appears in one'],
    ["k3f9x2q", '"k3f9x2q" is not an approval id: it has 7 characters, not 8'],
  ];
  for (const [id, message] of cases) {
    for (const verb of ["approve", "deny"]) {
      const run = await approvals(home, verb, id);
      assert.equal(run.code, 1, run.err);
      assert.match(run.err, new RegExp(`^thoth: error: ${RegExp.escape(message)}$`, "m"));
      assert.match(run.err, new RegExp(HINT, "m"));
    }
  }
});

Deno.test("thoth approvals approve reads an id typed in capitals as that id", async () => {
  const home = await tempFolder("thoth-approval-id-case-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(
    waitingRequest("a".repeat(64), { allowSession: false, pid: 42 }),
  );
  const run = await approvals(home, "approve", entry.id.toUpperCase());
  assert.equal(run.code, 0, run.err);
  assert.match(run.out, new RegExp(`^${entry.id}: approved`));
  assert.equal((await queue.answer(entry.id))?.decision, "approve");
  // Only ASCII capitals: the Kelvin sign lowercases to "k" but names no id.
  const kelvin = await approvals(home, "approve", `\u212A${entry.id.slice(1)}`);
  assert.equal(kelvin.code, 1, kelvin.out);
  assert.match(kelvin.err, /never appears in one$/m);
  // A capitalized id that is no id for another reason is still refused, in its own case.
  const wrong = await approvals(home, "deny", "ABCD1234");
  assert.equal(wrong.code, 1);
  assert.match(
    wrong.err,
    /^thoth: error: "ABCD1234" is not an approval id: "1" never appears in one$/m,
  );
});
