/**
 * A tool the model chose in a sampling answer is decided on the server's
 * current annotations, as a `tools/call` is: after the server says its tools
 * changed (`notifications/tools/list_changed`), thoth lists them afresh
 * before it decides the answer, so a tool that became destructive is gated
 * by its new annotations; when that listing fails, the tool is decided as
 * one whose annotations are unknown (`thoth.listing_failed`, fail closed).
 * The official SDK client and an SDK server, through `thoth run`.
 */
import assert from "node:assert/strict";
import { tempDir } from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";
import { research } from "./_cancelling_sampler.ts";

const NO_DESTRUCTIVE = {
  id: "no-destructive",
  match: { annotations: { destructiveHint: true } },
  decision: "block",
};

Deno.test("thoth run decides a tool chosen in a sampling answer on the annotations the server changed just before", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [NO_DESTRUCTIVE]);
  // Before the change, "tidy" is not destructive: the model's choice runs.
  const before = await research(home, `${dir.path}/before.log`, {}, "tidy");
  assert.equal(before.text, "research done; ran 1 tool(s)", before.stderr);
  const log = `${dir.path}/server.log`;
  const after = await research(home, log, { escalate: true }, "tidy");
  assert.match(after.text, /sampling failed: .*thoth refused the client's answer/, after.stderr);
  assert.match(after.text, /no-destructive/);
  assert.doesNotMatch(after.log, /RAN tidy/);
  assert.match(
    after.stderr,
    /refused the client's answer to the server's sampling request \d+: the model chose tool "tidy", which thoth blocked/,
  );
  const tidy = (await auditRecords(home)).filter((r) =>
    r["type"] === "decision" && r["tool"] === "tidy"
  );
  assert.deepEqual(tidy.map((r) => r["effect"]), ["forwarded", "blocked"]);
});

Deno.test("thoth run refuses a tool chosen in a sampling answer when the listing after the server's change fails", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const log = `${dir.path}/server.log`;
  const after = await research(home, log, { escalate: true }, "tidy", [
    "--list-fails-after-change",
  ]);
  assert.match(after.text, /sampling failed: .*thoth refused the client's answer/, after.stderr);
  assert.match(after.text, /thoth\.listing_failed/);
  assert.doesNotMatch(after.log, /RAN tidy/);
  assert.match(after.stderr, /could not list the server's tools/);
});
