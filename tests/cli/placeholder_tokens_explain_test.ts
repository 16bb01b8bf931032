/**
 * The real `thoth policy explain`, with the built-in policy (secrets block),
 * allows a call whose text holds only a documentation placeholder in a
 * provider's token shape (AWS's example key id, `ghp_` and filler, Slack's
 * example webhook), and still blocks the same call with an issued-looking
 * token of the same shape, a key with `EXAMPLE` not at its end among them.
 *
 * The first text of each kind is explained by a real `thoth` process; the
 * others by the CLI's own code run in this process (`thothInProcess`): what
 * is under test is the verdict, not the process.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { thothInProcess } from "./_thoth_in_process.ts";
import { tempDir } from "../e2e/_harness.ts";

/**
 * `thoth policy explain` of `create_entities` with `{"text": text}`, in a fresh profile: as a
 * real process for the first case of each kind (`first`), in-process for the others.
 */
async function explain(home: string, text: string, first: boolean) {
  const thoth = first ? runThoth : thothInProcess;
  const run = await thoth([
    "policy",
    "explain",
    "--server",
    "s",
    "--tool",
    "create_entities",
    "--args",
    JSON.stringify({ text }),
  ], { env: { HOME: home, THOTH_HOME: `${home}/.thoth` }, cwd: home });
  assert.equal(run.code, 0, run.err);
  return run.out;
}

const PLACEHOLDERS = [
  "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
  `GITHUB_TOKEN=ghp_${"x".repeat(36)}`,
  `GITHUB_TOKEN=ghp_${"X".repeat(36)}`,
  "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
];

const ISSUED: readonly [string, string][] = [
  ["AWS_ACCESS_KEY_ID=AKIAQ3EGRBPSXLYH7TNU", "aws_access_key_id"],
  ["AWS_ACCESS_KEY_ID=AKIAEXAMPLEQ3EGRBPSX", "aws_access_key_id"],
  ["GITHUB_TOKEN=ghp_l7dXTPyLsxPFkThf4VucSmEHgaKwVJ7faC9q", "github_token"],
  [`GITHUB_TOKEN=ghp_${"x".repeat(35)}1`, "github_token"],
];

Deno.test("thoth policy explain allows placeholders in a provider's token shape and blocks issued tokens", async () => {
  await using home = await tempDir("thoth-placeholders-");
  for (const [i, text] of PLACEHOLDERS.entries()) {
    const out = await explain(home.path, text, i === 0);
    assert.match(out, /^verdict: ALLOW \(policy\.default\)$/m, `${text}\n${out}`);
    assert.doesNotMatch(out, /finding secret\//, text);
  }
  for (const [i, [text, type]] of ISSUED.entries()) {
    const out = await explain(home.path, text, i === 0);
    assert.match(out, /^verdict: BLOCK \(detector\.secret[,)]/m, `${text}\n${out}`);
    assert.match(out, new RegExp(`^finding secret/${type} at text$`, "m"), text);
  }
});
