/**
 * The real `thoth policy explain`, with the built-in policy (PHI steps up),
 * allows a call whose only SSN-shaped number is an order or invoice id
 * (`Order ID 512-34-7788`, `Invoice #…`, or the key `order_id`), and still
 * steps up the same number with an SSN label beside it or anywhere in the
 * text, after a word for a person's own number (`Member ID`, `Case #`) or a
 * bare `Ref`, under an SSN key, with a person or health word or a person's
 * name after it, or beside a key that names a person.
 *
 * The cases are judged by the CLI's own code run in this process
 * (`thothInProcess`): what is under test is the verdict, not the process.
 * One real `thoth` process, with its manifest permissions, is the smoke that
 * the command run as users run it says the same.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempDir } from "../e2e/_harness.ts";
import { thothInProcess } from "./_thoth_in_process.ts";

const explainArgs = (args: Record<string, string>) => [
  "policy",
  "explain",
  "--server",
  "s",
  "--tool",
  "t",
  "--args",
  JSON.stringify(args),
];

/**
 * `thoth policy explain` of tool `t` with `args`, in a fresh profile: run in-process, or as a
 * real process (`run`).
 */
async function explain(
  home: string,
  args: Record<string, string>,
  run: typeof runThoth = thothInProcess,
) {
  const result = await run(explainArgs(args), {
    env: { HOME: home, THOTH_HOME: `${home}/.thoth` },
    cwd: home,
  });
  assert.equal(result.code, 0, result.err);
  return result.out;
}

const ORDER_IDS: Record<string, string>[] = [
  { text: "Order ID 512-34-7788" },
  { text: "Invoice #512-34-7788" },
  { order_id: "512-34-7788" },
  { text: "Order ID 512-34-7788 shipped to 5th Ave" },
  { text: "invoice #512-34-7788 total $40" },
  { order_id: "512-34-7788", total: "$40" },
  // A product's name is no person's, and an order's URL names its id.
  { name: "Blue Widget", order: "512-34-7788" },
  { text: "Order 512-34-7788 for Acme Rocket" },
  { url: "https://shop.example/orders/512-34-7788" },
  // A brand named as a person is no person.
  { text: "Order 512-34-7788: Mr. Coffee 12-cup maker" },
];

const SSNS: readonly [Record<string, string>, string][] = [
  [{ text: "order 512-34-7788 SSN 512-34-7788" }, "text"],
  [{ text: "order for patient, SSN: 512-34-7788" }, "text"],
  [{ text: "Member ID: 512-34-7788" }, "text"],
  [{ text: "Case #512-34-7788" }, "text"],
  [{ ssn: "order 512-34-7788" }, "ssn"],
  // The review's cases: words after the number, a bare ref, keys beside it, a far label.
  [{ text: "Jane Doe (ref #512-34-7788) diagnosed with diabetes" }, "text"],
  [{ ref: "512-34-7788", full_name: "John Smith" }, "ref"],
  [{ ticket: "512-34-7788", employee: "John Smith" }, "ticket"],
  [{ text: "Ticket 512-34-7788: employee John Smith needs payroll fix" }, "text"],
  [{ text: "Confirmation no. 512-34-7788 for Jane Doe, Medicare beneficiary" }, "text"],
  [{
    text: "Social Security Administration letter about your yearly benefit statement. " +
      "Ref: 512-34-7788",
  }, "text"],
  // A bare `name` that holds a person's name.
  [{ name: "Jane Doe", order: "512-34-7788" }, "order"],
  [{ name: "Jamal Washington", order_id: "512-34-7788" }, "order_id"],
  [{ text: "Ticket 512-34-7788 for Nguyen Van Thanh" }, "text"],
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
  // The real process says what the code run here says, of an order id and of an SSN.
  for (const args of [ORDER_IDS[0]!, SSNS[0]![0]]) {
    assert.equal(await explain(home.path, args, runThoth), await explain(home.path, args));
  }
});
