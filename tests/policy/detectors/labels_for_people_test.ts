/**
 * Keys written for people (spaces, dashes, dots), as spreadsheet, database
 * and form tools name their fields, are read as the labels they are; so are
 * a label over a list (`ssns`), a label over a lone `value`, and the prose
 * ways of writing an SSN or a secret after its label.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectApiKeyAssignment } from "../../../src/policy/detectors/detect_api_key_assignment.ts";
import { detectUsSsn } from "../../../src/policy/detectors/detect_us_ssn.ts";
import { childLabel, namedValueLabel } from "../../../src/policy/detectors/named_value_label.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";
import { SLOW_MS } from "./_slow_ms.ts";
import { threadCpu } from "../../_thread_cpu.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };

function types(args: unknown): string[] {
  return [...new Set(scanArguments(args, ALL).findings.map((f) => f.type))].sort();
}

Deno.test("evaluate() blocks a patient record whose field names are written for people", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  const record = (fields: Record<string, string>) => ({
    baseId: "appXYZ",
    tableId: "tblPatients",
    records: [{ fields }],
  });
  const spelled = evaluate(
    policy,
    toolCall(
      "airtable",
      "create_records",
      record({
        "Patient Name": "John Smith",
        "Social Security Number": "078051120",
        "Date of Birth": "1961-03-04",
        "Medical Record Number": "00123456",
      }),
    ),
    {},
  );
  const keyed = evaluate(
    policy,
    toolCall(
      "airtable",
      "create_records",
      record({
        "Patient Name": "John Smith",
        SSN: "078051120",
        DOB: "1961-03-04",
        MRN: "00123456",
      }),
    ),
    {},
  );
  assert.equal(keyed.decision, "block");
  assert.equal(spelled.decision, keyed.decision);
  assert.equal(spelled.riskScore, keyed.riskScore);
});

Deno.test("scanArguments() reads a key written for people as the label it spells", () => {
  const cases: [string, string, string][] = [
    ["DB Password", "Tr0ub4dor&3x", "api_key_assignment"],
    ["API Key", "9fQ2xL7vR4tZ8mK1pW3s", "api_key_assignment"],
    ["Secret Key", "9fQ2xL7vR4tZ8mK1pW3s", "api_key_assignment"],
    ["Password:", "Tr0ub4dor&3x", "api_key_assignment"],
    ["Date of Birth", "1961-03-04", "date_of_birth"],
    ["Birth Date", "1961-03-04", "date_of_birth"],
    ["date-of-birth", "1961-03-04", "date_of_birth"],
    ["D.O.B.", "1961-03-04", "date_of_birth"],
    ["Social Security Number", "078051120", "us_ssn"],
    ["SSN #:", "078051120", "us_ssn"],
    ["Soc. Sec. No.", "078051120", "us_ssn"],
    ["Medical Record Number", "00123456", "mrn"],
    ["NPI Number", "1234567893", "npi"],
    ["Diagnosis Code", "E119", "icd10_code"],
    ["ICD-10 Code", "E119", "icd10_code"],
  ];
  for (const [key, value, type] of cases) {
    const found = types({ properties: { [key]: value } });
    assert.ok(found.includes(type), `${key}: ${found.join(", ")}`);
    // The same object held as a JSON string is read the same way.
    const held = types({ body: JSON.stringify({ properties: { [key]: value } }) });
    assert.ok(held.includes(type), `${key} held: ${held.join(", ")}`);
  }
});

Deno.test("scanArguments() finds nothing under keys for people that name no PHI or secret", () => {
  const cases: [string, string][] = [
    ["Date Created", "1961-03-04"],
    ["Birthday Party Venue", "Hall 19610304"],
    ["Birthday Party Date", "2024-06-03"],
    ["API Version", "2024-06-03v2Beta"],
    ["Secret Santa Group", "Team7-Alpha-Bravo-Delta"],
    ["Record Number", "00123456"],
    ["Order Number", "078051120"],
    ["Primary Key", "9fQ2xL7vR4tZ8mK1pW3s"],
    ["Public Key", "9fQ2xL7vR4tZ8mK1pW3s"],
    ["Password Hint", "first car + 1999"],
    ["Access Key ID", "0f8a2c44d1"],
    ["Next Token", "9fQ2xL7vR4tZ8mK1pW3s"],
    ["Room No.", "B12.3"],
  ];
  for (const [key, value] of cases) {
    assert.deepEqual(types({ properties: { [key]: value } }), [], key);
  }
});

Deno.test("childLabel() joins the words of every label, key or name, one way", () => {
  assert.equal(childLabel("Social Security Number", undefined), "Social_Security_Number");
  assert.equal(childLabel("date-of-birth", undefined), "date_of_birth");
  assert.equal(childLabel("D.O.B.", undefined), "D_O_B");
  assert.equal(childLabel("SSN #:", undefined), "SSN");
  assert.equal(childLabel("  API  Key ", undefined), "API_Key");
  assert.equal(childLabel("patientDob", undefined), "patientDob");
  assert.equal(childLabel("_authToken", undefined), "_authToken");
  assert.equal(childLabel("-", undefined), "-");
  const named = namedValueLabel({ name: "Social Security Number", value: "x" });
  assert.equal(childLabel("value", named), "Social_Security_Number");
});

Deno.test("scanArguments() reads a plural label over a list", () => {
  assert.deepEqual(types({ ssns: ["078051120"] }), ["us_ssn"]);
  assert.deepEqual(types({ patient_mrns: ["00123456", "00123457"] }), ["mrn"]);
  assert.deepEqual(types({ dependentDOBs: ["2011-03-04"] }), ["date_of_birth"]);
  assert.deepEqual(types({ order_ids: ["078051120"] }), []);
});

Deno.test("namedValueLabel() gives a lone value the label its object sits under", () => {
  assert.deepEqual(namedValueLabel({ value: "078051120" }, "ssn"), {
    valueKey: "value",
    label: "ssn",
  });
  assert.equal(namedValueLabel({ value: "078051120" }), undefined);
  // A name beside the value still wins.
  assert.deepEqual(namedValueLabel({ name: "mrn", value: "1" }, "ssn"), {
    valueKey: "value",
    label: "mrn",
  });
});

Deno.test("detectUsSsn() reads an SSN after its label as prose writes it", () => {
  for (
    const text of [
      "SSN - 078051120",
      "SSN (078051120)",
      "SSN on file: 078051120",
      "S.S.N.: 078051120",
      "Soc. Sec. No.: 078051120",
      "ssn \u2013 078-05-1120",
    ]
  ) {
    assert.equal(detectUsSsn(text, undefined), true, text);
  }
  for (
    const text of [
      "SSN - 000051120",
      "SSN (last four): 1120",
      "see section 078051120",
      "lessn - 078051120",
      "the SSN field is required - 078051120 rows",
    ]
  ) {
    assert.equal(detectUsSsn(text, undefined), false, text);
  }
});

Deno.test("detectApiKeyAssignment() reads a secret after a label written in prose", () => {
  for (
    const text of [
      "AWS secret access key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8vLk2J",
      "the API key: 9fQ2xL7vR4tZ8mK1pW3s",
      "the password is Tr0ub4dor&3x",
      "password - Tr0ub4dor&3x",
      "Password \u2014 Tr0ub4dor&3x.",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), true, text);
  }
  for (
    const text of [
      "the password is required",
      "password is wrong",
      "the password is SHA256-hashed before storage",
      "the password is AES256-encrypted",
      "password - 8 characters minimum",
      "the secret key is stored in vault item 42",
      "access key 9fQ2xL7vR4tZ8mK1pW3s",
      "the token is valid for 3600 seconds",
      "the password is at least 12 characters",
      "Password - see 1Password item",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), false, text);
  }
});

Deno.test("the SSN and secret detectors stay linear on inputs shaped against prose labels", () => {
  const N = 1024 * 1024;
  const inputs = [
    "password is ".repeat(N / 12),
    "password - ".repeat(N / 11),
    "secret access key ".repeat(N / 18),
    "api key api key: ".repeat(N / 17),
    "password" + " is".repeat(N / 3),
    "SSN on file ".repeat(N / 12),
    "SSN - ( - ( ".repeat(N / 12),
    "Soc. Sec. No. ".repeat(N / 14),
    "ssn" + "-".repeat(N),
  ];
  const slow: string[] = [];
  for (const [i, text] of inputs.entries()) {
    for (const key of ["Social_Security_Number", "DB_Password", undefined]) {
      for (const detect of [detectApiKeyAssignment, detectUsSsn]) {
        const ms = threadCpu(() => detect(text, key)).cpuMs;
        if (ms > SLOW_MS) slow.push(`${detect.name} on input ${i}: ${ms.toFixed(0)} ms of CPU`);
      }
    }
  }
  assert.deepEqual(slow, []);
});
