import assert from "node:assert/strict";
import { detectDateOfBirth } from "../../../src/policy/detectors/detect_date_of_birth.ts";
import { detectDeaNumber } from "../../../src/policy/detectors/detect_dea_number.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";

const PHI = { kinds: new Set(["phi" as const]) };

function phiTypes(args: unknown): string[] {
  return [...new Set(scanArguments(args, PHI).findings.map((f) => f.type))].sort();
}

Deno.test("scanArguments() finds PHI next to its label in SQL, JSON and YAML held in a string", () => {
  assert.deepEqual(phiTypes({ sql: "SELECT * FROM patients WHERE ssn = '123456789'" }), ["us_ssn"]);
  assert.deepEqual(
    phiTypes({
      content: JSON.stringify({
        name: "Jane Doe",
        ssn: "123456789",
        dob: "1961-03-04",
        mrn: "12345678",
      }),
    }),
    ["date_of_birth", "mrn", "us_ssn"],
  );
  assert.deepEqual(phiTypes({ yaml: "patient_ssn: 123456789\npatient_mrn: 12345678" }), [
    "mrn",
    "us_ssn",
  ]);
  assert.deepEqual(phiTypes({ note: "patientMRN: 12345678" }), ["mrn"]);
});

Deno.test("scanArguments() reads an SSN sent as a JSON number that lost its leading zero", () => {
  assert.deepEqual(phiTypes({ ssn: 78051121 }), ["us_ssn"]);
  assert.deepEqual(phiTypes({ patient: { ssn: 78051121 } }), ["us_ssn"]);
  assert.deepEqual(phiTypes({ order_id: 78051121 }), []);
  // 078-00-1121 has group 00, which the SSA never issues.
  assert.deepEqual(phiTypes({ ssn: 78001121 }), []);
});

Deno.test("scanArguments() finds ICD-10 codes without their dot under a label or a key", () => {
  assert.deepEqual(phiTypes({ diagnosis_code: "E119", note: "dx: E119, F329" }), ["icd10_code"]);
  assert.deepEqual(phiTypes({ icd10_code: "S72001A" }), ["icd10_code"]);
  assert.deepEqual(phiTypes({ claim: "HI*ABK:E119*ABF:I10~" }), ["icd10_code"]);
  assert.deepEqual(phiTypes({ note: "part E119 is back in stock" }), []);
});

Deno.test("detectDateOfBirth() takes a name and a date for a birth date only near a patient", () => {
  assert.equal(detectDateOfBirth("Name: Sprint Planning 2024-06-03", "description"), false);
  assert.equal(detectDateOfBirth("name: Quarterly Business Review, 2024-06-03", undefined), false);
  assert.equal(detectDateOfBirth("patient:\n  name: Jane Doe, 1961-03-04", undefined), true);
  assert.equal(detectDateOfBirth("Patient Name: Jane Doe 03/04/1961", undefined), true);
  assert.equal(detectDateOfBirth("Name: Jane Doe 03/04/1961, MRN pending", undefined), true);
  // A patient mentioned far away (past the 200 characters looked at) does not count.
  const far = "patient list attached. " + "x".repeat(300) + " Name: Sprint Planning 2024-06-03";
  assert.equal(detectDateOfBirth(far, undefined), false);
});

Deno.test("detectDeaNumber() needs a DEA label or key, not only a valid checksum", () => {
  // KB5034765 passes the DEA checksum: (5 + 3 + 7) + 2 × (0 + 4 + 6) = 35.
  assert.equal(detectDeaNumber("KB5034765", "update"), false);
  assert.equal(detectDeaNumber("AB1234563", undefined), false);
  for (
    const text of [
      "DEA AB1234563",
      "DEA#: AB1234563",
      "DEA No. BJ6125341",
      "DEA registration number BJ6125341",
      "registration: AB1234563",
      "prescriber_dea: AB1234563",
      "prescriberDEA: AB1234563",
      '{"deaNumber":"AB1234563"}',
    ]
  ) {
    assert.equal(detectDeaNumber(text, undefined), true, text);
  }
  for (
    const key of ["dea", "DEA", "deaNumber", "dea_no", "prescriberDea", "prescriber_dea_number"]
  ) {
    assert.equal(detectDeaNumber("AB1234563", key), true, key);
  }
  assert.equal(detectDeaNumber("AB1234567", "dea"), false);
  assert.equal(detectDeaNumber("AB1234563", "idea"), false);
});
