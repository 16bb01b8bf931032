/**
 * The test card numbers payment providers publish (`4242 4242 4242 4242`) are
 * no one's card: the detector passes over them, so they add nothing to the
 * risk score and a payment integration's README or sample code is not a
 * leaked card; any other card number beside them still counts. A risk
 * step-up names the findings and tool hints that add up to the score, by
 * type and argument path, never by value.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { cardNumbersIn } from "../../src/policy/detectors/detect_payment_card.ts";
import { luhnValid } from "../../src/policy/detectors/luhn_valid.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

const PUBLISHED = [
  "4242424242424242",
  "4000056655665556",
  "5555555555554444",
  "2223003122003222",
  "5200828282828210",
  "378282246310005",
  "371449635398431",
  "6011111111111117",
  "3056930009020004",
  "36227206271667",
  "3566002020360505",
  "6200000000000005",
  "4111111111111111",
  "4012888888881881",
  "4000002760003184",
  "5105105105105100",
];

Deno.test("cardNumbersIn() tells the published test numbers from other card numbers", () => {
  for (const number of PUBLISHED) {
    assert.ok(luhnValid(number), number);
    assert.equal(cardNumbersIn(`card ${number}`), "examples", number);
  }
  assert.equal(cardNumbersIn("Use 4242 4242 4242 4242 or 4000-0566-5566-5556"), "examples");
  assert.equal(cardNumbersIn("card 4539 1488 0343 6467"), "other");
  assert.equal(cardNumbersIn("4242424242424242 then 4539148803436467"), "other");
  assert.equal(cardNumbersIn("order 4242 4242 4242 4241"), "none");
});

Deno.test("a published test card next to a contact detail does not step up", () => {
  const calls: Record<string, unknown>[] = [
    {
      path: "/w/STRIPE.md",
      content: "Use the test card 4242 4242 4242 4242 with any CVC. Questions? support@stripe.com",
    },
    {
      path: "/w/checkout.py",
      content: '# ask dev@acme.io\ncard = {"number": "4242424242424242", "cvc": "314"}\n',
    },
    {
      path: "/w/TEST_CARDS.md",
      content: "Visa 4111 1111 1111 1111\nMastercard 5555 5555 5555 4444\nSupport +1 415 555 0100",
    },
    { number: 4242424242424242, contact: "dev@acme.io" },
  ];
  for (const args of calls) {
    const e = evaluate(policy, toolCall("fs", "write_file", args), {});
    assert.ok(!e.findings.some((f) => f.type === "payment_card"), JSON.stringify(args));
    assert.equal(e.decision, "allow", JSON.stringify(args));
    assert.equal(e.riskScore, 10, JSON.stringify(args));
    const pii = e.matches.find((m) => m.id === "detector.pii");
    assert.equal(pii?.decision, "allow");
    assert.doesNotMatch(pii?.reason ?? "", /payment card/);
  }
});

Deno.test("a test card does not cover a real card, an escaped one or a stricter PII level", () => {
  const real = evaluate(
    policy,
    toolCall("fs", "write_file", {
      content: "test card 4242 4242 4242 4242, support@stripe.com",
      note: "charge 4539 1488 0343 6467",
    }),
    {},
  );
  assert.equal(real.decision, "step_up");
  assert.equal(real.riskScore, 50);
  // Percent escapes the scan decodes: the reading a server would see is not checked here.
  const escaped = evaluate(
    policy,
    toolCall("fs", "write_file", {
      content: "test card 4242 4242 4242 4242, support@stripe.com",
      q: "card=4539%201488%200343%206467",
    }),
    {},
  );
  assert.equal(escaped.decision, "step_up");
  const strict = compilePolicy(parsePolicy(
    JSON.stringify({ version: 1, default: "allow", detectors: { pii: "step_up" } }),
    "strict.jsonc",
  ));
  const onlyExample = evaluate(strict, toolCall("fs", "write_file", { c: "4242424242424242" }), {});
  assert.equal(onlyExample.decision, "allow");
  const withEmail = evaluate(
    strict,
    toolCall("fs", "write_file", { c: "4242424242424242", to: "ana@example.org" }),
    {},
  );
  assert.equal(withEmail.decision, "step_up");
});

Deno.test("a risk step-up names the findings and hints that make its score", () => {
  const e = evaluate(
    policy,
    toolCall(
      "shop",
      "checkout",
      { card: "4539 1488 0343 6467", email: "ana.diaz@example.org" },
      { destructiveHint: true },
    ),
    {},
  );
  const risk = e.matches.find((m) => m.id === "risk.threshold");
  assert.ok(risk, JSON.stringify(e.matches));
  assert.equal(
    risk.reason,
    "risk score 70 reaches the step-up threshold 50: PII payment card number in card +40, " +
      "PII email address in email +10, destructive tool +20",
  );
  assert.doesNotMatch(risk.reason, /4539|ana\.diaz/);
});

Deno.test("a risk reason names a finding's kind once", () => {
  const e = evaluate(policy, toolCall("notes", "save", { "DB Pass": "Tr0ub4dor&3x" }), {});
  const risk = e.matches.find((m) => m.id === "risk.threshold");
  assert.ok(risk, JSON.stringify(e.matches));
  assert.match(risk.reason, /: secret assigned to a key name in /);
  assert.doesNotMatch(risk.reason, /\b(secret|PII|PHI) \1\b/i);
  const phi = evaluate(
    policy,
    toolCall("ehr", "note", { ssn: "078-05-1120", card: "4539 1488 0343 6467" }),
    {},
  );
  for (const m of phi.matches) assert.doesNotMatch(m.reason, /\b(secret|PII|PHI) \1\b/i);
});
