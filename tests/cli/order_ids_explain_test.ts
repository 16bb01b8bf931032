/**
 * The real `thoth policy explain`, with the built-in policy (PHI steps up),
 * allows a call whose only SSN-shaped number is an order or invoice id
 * (`Order ID 512-34-7788`, `Invoice #…`, or the key `order_id`), and still
 * steps up the same number with an SSN label beside it, after a word for a
 * person's own number (`Member ID`, `Case #`), or under an SSN key.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempDir } from "../e2e/_harness.ts";

/** `thoth policy explain` of tool `t` with `args`, in a fresh profile. */
async function explain(home: string, args: Record<string, string>) {
  const run = await runThoth(
    ["policy", "explain", "--server", "s", "--tool", "t", "--args", JSON.stringify(args)],
    { env: { HOME: home, THOTH_HOME: `${home}/.thoth` }, cwd: home },
  );
  assert.equal(run.code, 0, run.err);
  return run.out;
}

const ORDER_IDS: Record<string, string>[] = [
  { text: "Order ID 512-34-7788" },
  { text: "Invoice #512-34-7788" },
  { order_id: "512-34-7788" },
];

const SSNS: readonly [Record<string, string>, string][] = [
  [{ text: "order 512-34-7788 SSN 512-34-7788" }, "text"],
  [{ text: "order for patient, SSN: 512-34-7788" }, "text"],
  [{ text: "Member ID: 512-34-7788" }, "text"],
  [{ text: "Case #512-34-7788" }, "text"],
  [{ ssn: "order 512-34-7788" }, "ssn"],
];

Deno.test("thoth policy explain allows an order id in an SSN's shape and steps up an SSN", async () => {
  await using home = await tempDir("thoth-order-ids-");
  for (const args of ORDER_IDS) {
    const out = await explain(home.path, args);
    const shown = JSON.stringify(args);
    assert.match(out, /^verdict: ALLOW \(policy\.default\)$/m, `${shown}\n${out}`);
    assert.doesNotMatch(out, /us_ssn/, shown);
  }
  for (const [args, path] of SSNS) {
    const out = await explain(home.path, args);
    const shown = JSON.stringify(args);
    assert.match(out, /^verdict: STEP_UP \(detector\.phi\)$/m, `${shown}\n${out}`);
    assert.match(out, new RegExp(`^finding phi/us_ssn at ${path}$`, "m"), shown);
  }
});
