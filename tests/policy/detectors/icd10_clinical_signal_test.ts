/**
 * A dotted code in free text (`M10.5`, `N47.6`, `S12.4`, `E11.9`) is a
 * shoe size, a waypoint, a test, a part or an error code far more often than
 * a diagnosis: it counts only with a clinical signal, and a key that names a
 * diagnosis code however a form or a sheet writes it (`Diagnosis Code`,
 * `ICD-10 Code`) is one.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectIcd10Code } from "../../../src/policy/detectors/detect_icd10_code.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const NO_SIGNAL: [string, string | undefined][] = [
  ["M10.5", "option1"],
  ["M10.5", "values"],
  ["N47.6 W122.3", "waypoint"],
  ["WP1,N40.7,W74.0", undefined],
  ["WP1,N40.7,W74.0\nWP2,N40.8,W74.1", "content"],
  ["Ref,Value\nR10.1,10k\nC12.2,100nF", "content"],
  ["R10.1,C12.2,U3", undefined],
  ["Tests S12.4, S12.5 failed on CI", undefined],
  ["Tests: S12.4, S12.5 failed", undefined],
  ["Samsung Galaxy S23.1 firmware", undefined],
  ["exit code E11.9", undefined],
  ["errno E11.9", undefined],
  ["Cell A10.5 contains the total", undefined],
  ["Hall H10.1 and H10.2", undefined],
  ["Use Z99.1 profile", "body"],
  ["## 2.4.0\n- Fix E11.9 error\n- Bump S12.4", "content"],
  ["Available in M10.5, M11.5 and W8.5", "description"],
  ["Sizes: M10.5, M11.5", "description"],
  // A clinical word nearby does not outweigh a word after the code that names it.
  ["patient portal: Samsung Galaxy S23.1 firmware", undefined],
];

Deno.test("detectIcd10Code() takes no dotted code in text without a clinical signal", () => {
  for (const [text, key] of NO_SIGNAL) {
    assert.equal(detectIcd10Code(text, key), false, `${text} under ${key}`);
  }
});

Deno.test("detectIcd10Code() takes a dotted code with a clinical signal", () => {
  const cases: [string, string | undefined][] = [
    ["Follow-up for E11.9 next week", "body"],
    ["Assessment and plan:\nE11.9 stable", "body"],
    ["history of Z99.1", "body"],
    ["E11.9, F32.9", "body"],
    ["(E11.9, F32.9)", "body"],
    ["Member: John Smith, E11.9, F32.9", "body"],
    ['{"conditions": ["E11.9"]}', undefined],
    ["problem_list: E11.9", undefined],
    ["patient_id,dx1,dx2\n123,E11.9,F32.9", "content"],
    ["E11.9", "condition"],
    ["E11.9", undefined],
  ];
  for (const [text, key] of cases) {
    assert.equal(detectIcd10Code(text, key), true, `${text} under ${key}`);
  }
});

Deno.test("detectIcd10Code() reads a diagnosis code key however a form writes it", () => {
  for (
    const key of [
      "Diagnosis Code",
      "ICD-10 Code",
      "ICD-10-CM Code",
      "diagnosis_code",
      "Diagnosis_Code",
      "ICD_10_Code",
      "Primary Diagnosis Code",
      "PrimaryDxCode",
    ]
  ) {
    assert.equal(detectIcd10Code("E119", key), true, key);
    assert.equal(detectIcd10Code("M10.5", key), true, key);
  }
  assert.equal(detectIcd10Code("E119", "Part Code"), false);
  assert.equal(detectIcd10Code("E119", "Index"), false);
});

Deno.test("what the clinical-signal rule changed: a code with only a non-clinical word before it", () => {
  // These counted before (failing closed, or a second code in a list outweighing the
  // word before it); a word that names something else before a list now marks the list too.
  assert.equal(detectIcd10Code("Note. E11.9. End.", "body"), false);
  assert.equal(detectIcd10Code("Error E11.9, F32.9", undefined), false);
  assert.equal(detectIcd10Code("Rooms B12.3, B12.4", undefined), false);
});

Deno.test("a shoe size in a product variant is no PHI under the default policy", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  const calls: Record<string, unknown>[] = [
    { title: "Air Runner", variants: [{ option1: "M10.5", price: "120.00" }] },
    { product: { options: [{ name: "Size", values: ["M9.5", "M10.5", "W8.5"] }] } },
    { body: JSON.stringify({ title: "Air Runner", variants: [{ option1: "M10.5" }] }) },
    { text: "Tests S12.4, S12.5 failed on CI" },
    { path: "/w/route.csv", content: "name,lat,lon\nWP1,N40.7,W74.0\n" },
  ];
  for (const args of calls) {
    const phi = scanArguments(args, { kinds: new Set(["phi" as const]) }).findings;
    assert.deepEqual(phi.map((f) => f.type), [], JSON.stringify(args));
    const verdict = evaluate(policy, toolCall("shop", "create_product", args), {});
    assert.equal(verdict.decision, "allow", JSON.stringify(args));
  }
  const record = evaluate(
    policy,
    toolCall("ehr", "update", { "Diagnosis Code": "E119", note: "follow-up" }),
    {},
  );
  assert.equal(record.decision, "step_up");
});
