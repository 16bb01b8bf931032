/**
 * A dotted ICD-10 code (`E11.9`) counts only with clinical context: a label,
 * a clinical word near it or a clinical key. Rooms, sections, tables, bolts,
 * firmware, sprints, gates and error codes take the same shape.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectIcd10Code } from "../../../src/policy/detectors/detect_icd10_code.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ORDINARY = [
  "Room B12.3",
  "Section C12.1",
  "See Table S12.3",
  "Use an M12.5 bolt",
  "firmware R12.1",
  "Sprint Q12.1",
  "Gate Z99.0",
  "Error E11.9 on the printer display",
  "Chapter F10.1 of the manual",
  "Model T10.5 printer",
];

Deno.test("detectIcd10Code() takes no dotted code without clinical context", () => {
  for (const text of ORDINARY) {
    assert.equal(detectIcd10Code(text, undefined), false, text);
    assert.equal(detectIcd10Code(text, "location"), false, text);
  }
});

Deno.test("detectIcd10Code() takes a dotted code near a clinical word, label or key", () => {
  const clinical: [string, string | undefined][] = [
    ["diagnosed with E11.9 last year", undefined],
    ["dx: E11.9", undefined],
    ["Dx: U07.1", undefined],
    ["ICD-10 code: J45.909", undefined],
    ["fracture S72.001A follow-up", undefined],
    ["E11.9 and I10; patient stable", undefined],
    ["Patient admitted. History: hypertension, asthma. Codes J45.909", undefined],
    ["E11.9", "patient_notes"],
    ["E11.9, I10", "diagnoses"],
    ["E11.9", "clinicalSummary"],
    ["E11.9", "icd10"],
  ];
  for (const [text, key] of clinical) {
    assert.equal(detectIcd10Code(text, key), true, `${text} under ${key}`);
  }
  // A clinical word far from the code (past the window looked at) does not count.
  assert.equal(
    detectIcd10Code("patient list. " + "x ".repeat(150) + "Room B12.3", undefined),
    false,
  );
  // A later code near the word still does.
  assert.equal(
    detectIcd10Code("Room B12.3 " + "x ".repeat(150) + " patient has E11.9", undefined),
    true,
  );
});

Deno.test("a meeting room that looks like a dotted code is no PHI, and the call is allowed", () => {
  const args = { title: "Design review", location: "Room B12.3" };
  const phi = scanArguments(args, { kinds: new Set(["phi" as const]) }).findings;
  assert.deepEqual(phi.map((f) => f.type), []);
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  for (const text of ORDINARY) {
    const verdict = evaluate(policy, toolCall("cal", "create_event", { body: text }), {});
    assert.equal(verdict.decision, "allow", text);
  }
  const verdict = evaluate(policy, toolCall("cal", "create_event", args), {});
  assert.equal(verdict.decision, "allow");
  // A diagnosis still steps up.
  const dx = evaluate(
    policy,
    toolCall("cal", "create_event", { title: "Follow-up", notes: "diagnosed with E11.9" }),
    {},
  );
  assert.equal(dx.decision, "step_up");
});
