/**
 * Dotted codes in clinical structures with no clinical word beside them: an
 * HL7 diagnosis segment, a visit's reason, a claim line, a ranked diagnosis,
 * a discharge summary that names its codes well below its title.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectIcd10Code } from "../../../src/policy/detectors/detect_icd10_code.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const SUMMARY = "DISCHARGE SUMMARY\nName: Jane Roe\nDate of birth: 1961-03-04\n" +
  "Ward: 5 East\nAttending: Dr A. Smith\nLength of stay: 4 days\n" +
  "Follow up with the family doctor in two weeks.\nPrincipal F32.9";

const CLINICAL: [string, string | undefined][] = [
  ["DG1|1||F32.9^^I10||20240101|A", undefined],
  ["MSH|^~\\&|EHR|H|||20240101||ADT^A08|1|P|2.5\rDG1|1||F329^Depression^I10||20240101|A", "hl7"],
  ["PRB|AD|20240101|E11.9^Type 2^I10", "message"],
  ["F32.9", "Reason_For_Visit"],
  ["F32.9", "reason"],
  ["F32.9", "primary"],
  ["E11.9", "secondary"],
  ['{"Reason For Visit":"F32.9"}', "body"],
  ['{"reason":"F32.9"}', "body"],
  ["Jane Roe,1961-03-04,99213,F32.9", "content"],
  ["Claim 88421 line 1: CPT 99213, F32.9", "body"],
  ["Seen today, F32.9, return in 2 weeks.", "body"],
  ["Reason for visit: low mood since spring. Code F32.9", "body"],
  [SUMMARY, "content"],
];

/** The false positives the clinical-signal rule fixed, beside the new signals' words. */
const NOT_CLINICAL: [string, string | undefined][] = [
  ["M10.5", "option1"],
  ["N47.6 W122.3", "waypoint"],
  ["Tests S12.4, S12.5 failed on CI", undefined],
  ["errno E11.9", undefined],
  ["Cell A10.5 contains the total", undefined],
  ["Room B12.3", undefined],
  ["Samsung Galaxy S23.1 firmware", undefined],
  ["Test S12.4 last seen failing on CI", "body"],
  ["Claim your free pair in M10.5 today", "body"],
  ["Visit our store for sizes M10.5", "body"],
  ["For this reason S12.4 was skipped", "body"],
  ["Room B12.3", "reason"],
  ["Gate B12.3", "primary"],
  ["sizes M10.5 and M11.5", "primary"],
  ["M10.5", "primary_gate"],
  // A document word reaches the codes after it, not those before.
  ["Waypoint N47.6 then W122.3" + " ".repeat(60) + "Discharge the ballast", "body"],
  ["DG1 at N47.6", "body"],
  ["xDG1|1||N47.6", "body"],
];

Deno.test("detectIcd10Code() reads HL7 segments, visits, claims and ranked codes", () => {
  const missed = CLINICAL.filter(([text, key]) => !detectIcd10Code(text, key));
  assert.deepEqual(missed, []);
});

Deno.test("detectIcd10Code() still passes sizes, waypoints, tests, cells, rooms, models", () => {
  const flagged = NOT_CLINICAL.filter(([text, key]) => detectIcd10Code(text, key));
  assert.deepEqual(flagged, []);
});

Deno.test("evaluate() steps up a code in an HL7 segment, a claim line or a visit's reason", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
  const calls: Record<string, unknown>[] = [
    { text: "DG1|1||F32.9^^I10||20240101|A" },
    { Reason_For_Visit: "F32.9" },
    { primary: "F32.9", secondary: "E11.9" },
    { text: "Claim 88421 line 1: CPT 99213, F32.9" },
    { content: SUMMARY },
  ];
  for (const args of calls) {
    const verdict = evaluate(policy, toolCall("ehr", "update", args), {});
    assert.equal(verdict.decision, "step_up", JSON.stringify(args));
  }
});
