/**
 * A dotted ICD-10 code (`E11.9`) counts in free text only with a clinical
 * signal: a clinical word nearby, a list of codes that no word opens, a key
 * that names codes or a clinical record, or the whole value under no key. A
 * word right before it such as "Room", "Section", "Error" or "firmware", a
 * part word after it ("bolt"), a spreadsheet formula or range, or a key
 * naming a place, a part or a release still marks it as something else.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectIcd10Code } from "../../../src/policy/detectors/detect_icd10_code.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";
import { threadCpu } from "../../_thread_cpu.ts";

const ORDINARY = [
  "Room B12.3",
  "Section C12.1",
  "See Table S12.3",
  "Use an M12.5 bolt",
  "firmware R12.1",
  "Sprint Q12.1",
  "Gate Z99.0",
  "Error E11.9 on the printer display",
  "See section C10.2 of the spec",
  "Room B20.1 at 3pm",
  "Released build R51.2 today",
  "flight J45.0 delayed",
  "Excel cell formula =SUM(A10.5)",
  "=ROUND(SUM(A10.5, B12.3), 2)",
  "Sum A10.5:B12.3 please",
  "Upgrade to node v18 then run test S12.4",
  "Chapter F10.1 of the manual",
  "Model T10.5 printer",
  "Room no. B12.3",
  "Error code E11.9",
  // A clinical word nearby does not make a room or an error a diagnosis.
  "Hospital wing, Room B12.3",
  "Error E11.9 on the printer in the patient lounge",
  "Hospital parking Gate Z99.0",
  "See Section C12.1 of the treatment plan template",
];

const CLINICAL_TEXT = [
  "E11.9",
  "Type 2 diabetes mellitus without complications (E11.9)",
  "Malignant neoplasm of breast C50.911, on chemo",
  "COVID-19 U07.1 confirmed, pneumonia J12.82",
  "Essential hypertension, asthma J45.909, MDD F32.9",
  "Member: John Smith, E11.9, F32.9",
  "pt with E11.9",
  "hx of E11.9",
  "A/P: E11.9 uncontrolled",
  "Condition: E11.9",
  "M54.5 low back pain",
  "PICC line T82.7XXA infected",
  "nicotine patch F17.210",
  "Abnormal glucose tolerance test R73.02",
  "Sickle cell D57.1 crisis",
  "diagnosed with E11.9 last year",
  "dx: E11.9",
  "ICD-10 code: J45.909",
];

Deno.test("detectIcd10Code() takes a dotted code in ordinary clinical text", () => {
  for (const text of CLINICAL_TEXT) {
    assert.equal(detectIcd10Code(text, undefined), true, text);
    // A code alone has no signal once other words stand around it (see the test of what
    // the clinical-signal rule changed).
    if (text === "E11.9") continue;
    assert.equal(detectIcd10Code(`Note. ${text}. End.`, "body"), true, text);
  }
});

Deno.test("detectIcd10Code() takes no dotted code the text marks as something else", () => {
  for (const text of ORDINARY) {
    assert.equal(detectIcd10Code(text, undefined), false, text);
    assert.equal(detectIcd10Code(text, "location"), false, text);
  }
});

Deno.test("detectIcd10Code() reads the key: clinical keys count, places and parts do not", () => {
  const clinical = [
    "codes",
    "conditions",
    "problem_list",
    "problemList",
    "assessment",
    "comorbidities",
    "history",
    "pmh",
    "billing_codes",
    "hcc_codes",
    "icd10",
    "diagnoses",
    "patient_notes",
    "clinicalSummary",
  ];
  for (const key of clinical) {
    assert.equal(detectIcd10Code("E11.9", key), true, key);
    assert.equal(detectIcd10Code("E11.9, J45.909; F41.1", key), true, key);
  }
  // A clinical key takes a code whatever word stands before it.
  assert.equal(detectIcd10Code("Room B12.3", "patient_notes"), true);
  assert.equal(detectIcd10Code("Error E11.9", "comorbidities"), true);
  // A generic key does not: a chat history names rooms too.
  assert.equal(detectIcd10Code("Room B12.3", "history"), false);
  for (const key of ["location", "clinic_room", "meetingRoom", "medical_device_firmware"]) {
    assert.equal(detectIcd10Code("B12.3", key), false, key);
    // Two codes in a list are a diagnosis list wherever they are.
    assert.equal(detectIcd10Code("E11.9, F32.9", key), true, key);
    // Only a code alone is read as the place or part the key names: other text is read as text.
    assert.equal(detectIcd10Code("Type 2 diabetes mellitus (E11.9)", key), true, key);
    assert.equal(detectIcd10Code("Hospital wing, Room B12.3", key), false, key);
  }
});

Deno.test("detectIcd10Code() reads a formula as a formula even with two cells in it", () => {
  assert.equal(detectIcd10Code("=SUM(A10.5, B12.3)", undefined), false);
  assert.equal(detectIcd10Code("A10.5:B12.3", "notes"), false);
  assert.equal(detectIcd10Code("Room B12.3; Room B12.4", undefined), false);
});

Deno.test("clinical records step up under the default policy, nested or held as text", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  const records: Record<string, unknown>[] = [
    { codes: ["E11.9", "J45.909"] },
    { patient: { name: "Ana", codes: ["E11.9"] } },
    { patient_id: "123", codes: ["E11.9"] },
    { encounter: { member_id: "A123", codes: ["E11.9", "J45.909"] } },
    { body: '{"member":"John Smith","codes":["E11.9"]}' },
    { note: "Type 2 diabetes mellitus without complications (E11.9)" },
    { text: "Member: John Smith, E11.9, F32.9" },
  ];
  for (const args of records) {
    const phi = scanArguments(args, { kinds: new Set(["phi" as const]) }).findings;
    assert.ok(phi.some((f) => f.type === "icd10_code"), JSON.stringify(args));
    const verdict = evaluate(policy, toolCall("db", "insert_row", args), {});
    assert.equal(verdict.decision, "step_up", JSON.stringify(args));
  }
});

Deno.test("a meeting room that looks like a dotted code is no PHI, and the call is allowed", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  const calls: Record<string, unknown>[] = [
    { title: "Design review", location: "Room B12.3" },
    { clinic_room: "B12.3" },
    { text: "Error E11.9 on the printer in the patient lounge" },
    ...ORDINARY.map((body) => ({ body })),
  ];
  for (const args of calls) {
    const phi = scanArguments(args, { kinds: new Set(["phi" as const]) }).findings;
    assert.deepEqual(phi.map((f) => f.type), [], JSON.stringify(args));
    const verdict = evaluate(policy, toolCall("cal", "create_event", args), {});
    assert.equal(verdict.decision, "allow", JSON.stringify(args));
  }
  const dx = evaluate(
    policy,
    toolCall("cal", "create_event", { title: "Follow-up", notes: "diagnosed with E11.9" }),
    {},
  );
  assert.equal(dx.decision, "step_up");
});

Deno.test("detectIcd10Code() stays linear on 1 MiB of codes the text marks as other", () => {
  for (const unit of ["Room B12.3 ", "=SUM(A10.5, ", "Error code no. E11.9; ", "A10.5:"]) {
    const text = unit.repeat(Math.ceil((1 << 20) / unit.length));
    // The CPU this thread spends, not the wall clock (which a machine busy with other tests
    // stretches): milliseconds when each code looks at a bounded stretch around it, seconds
    // when it reads back through the text before it.
    const { value, cpuMs } = threadCpu(() => detectIcd10Code(text, undefined));
    assert.equal(value, false, unit);
    assert.ok(cpuMs < 1_500, `${unit}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});
