import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { MAX_HELD_JSON, MAX_HELD_LEVELS } from "../../../src/policy/detectors/scan_limits.ts";
import { detectionText } from "../../../src/policy/detectors/detection_text.ts";
import {
  childLabel,
  MAX_LABEL,
  namedValueLabel,
} from "../../../src/policy/detectors/named_value_label.ts";
import { redactValue } from "../../../src/audit/redact.ts";
import { argumentShape } from "../../../src/approval/argument_shape.ts";
import { SLOW_MS } from "./_slow_ms.ts";
import { threadCpu } from "../../_thread_cpu.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };

/** The sorted `type at path` lines of a scan. */
function found(args: unknown): string[] {
  return scanArguments(args, ALL).findings.map((f) => `${f.type} at ${f.path}`).sort();
}

const MR_IDENTIFIER = {
  type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" }] },
  value: "12345678",
};

Deno.test("detectors read styled digits and invisible characters as a server would", () => {
  assert.equal(detectionText("plain ascii\n"), "plain ascii\n");
  assert.equal(detectionText("SSN １２３-４５-６７８９"), "SSN 123-45-6789");
  assert.equal(detectionText("AKIA\u200bQ3EG\u2060UNR6\ufeffJXVCP7XH"), "AKIAQ3EGUNR6JXVCP7XH");
  assert.deepEqual(found({ ssn: "１２３４５６７８９" }), ["us_ssn at ssn"]);
  assert.deepEqual(found({ body: "AKIA\u200bQ3EGUNR6JXVCP7XH" }), ["aws_access_key_id at body"]);
  assert.deepEqual(found({ note: "SSN 123-\u200b45-\u00ad6789" }), ["us_ssn at note"]);
  assert.deepEqual(found({ note: "SSN\u00a0123\u00a045\u00a06789" }), ["us_ssn at note"]);
  assert.deepEqual(found({ "ｓｓｎ": "123456789" }), ["us_ssn at [#k0]"]);
});

Deno.test("a value named by its sibling is read under that name", () => {
  assert.deepEqual(namedValueLabel({ name: "/prod/db/api_key", value: 1 }), {
    valueKey: "value",
    label: "api_key",
  });
  assert.equal(namedValueLabel({ name: "x" }), undefined);
  assert.equal(namedValueLabel({ name: 3, value: "x" }), undefined);
  assert.deepEqual(
    found({ env: [{ name: "LOG_LEVEL", value: "debug" }, { key: "ssn", value: "123456789" }] }),
    ["us_ssn at env[1].value"],
  );
  assert.deepEqual(
    found({ Parameters: [{ Name: "/prod/payments/ssn", Value: "123456789" }] }),
    ["us_ssn at Parameters[0].Value"],
  );
  assert.deepEqual(found({ identifier: [MR_IDENTIFIER] }), ["mrn at identifier[0].value"]);
  for (const system of ["http://hl7.org/fhir/sid/us-ssn", "urn:oid:2.16.840.1.113883.4.1"]) {
    assert.deepEqual(found({ identifier: { system, value: "123456789" } }), [
      "us_ssn at identifier.value",
    ]);
  }
  assert.deepEqual(
    found({ identifier: { system: "http://hl7.org/fhir/sid/us-npi", value: "1234567893" } }),
    ["npi at identifier.value"],
  );
  // Nine digits under another system are not an SSN.
  assert.deepEqual(
    found({ identifier: { system: "https://example.org/ids", value: "123456789" } }),
    [],
  );
});

Deno.test("JSON held in a string is read with its keys, and reported at the string", () => {
  const content = JSON.stringify({ patient: { identifier: [MR_IDENTIFIER] } });
  assert.deepEqual(found({ content }), ["mrn at content"]);
  assert.deepEqual(found({ list: [` \n${JSON.stringify([MR_IDENTIFIER])}\n`] }), [
    "mrn at list[0]",
  ]);
  // A key inside is data of the string, never a "(key)" path of the arguments.
  assert.deepEqual(found({ content: '{"jane.doe@example.org": 1}' }), ["email at content"]);
  // Not JSON, or too long to read: the text alone is scanned.
  assert.deepEqual(found({ content: `{${content.slice(1, -1)}` }), []);
  const long = JSON.stringify({ identifier: [MR_IDENTIFIER], pad: "x".repeat(MAX_HELD_JSON) });
  assert.deepEqual(found({ content: long }), []);
  // What it holds is not counted again against the character cap.
  assert.equal(scanArguments({ content }, ALL).scannedChars, "content".length + content.length);
});

Deno.test("JSON held in strings is read to three levels, no deeper", () => {
  let content = JSON.stringify({ identifier: [MR_IDENTIFIER] });
  for (let level = 1; level <= MAX_HELD_LEVELS; level++) {
    assert.deepEqual(found({ content }), ["mrn at content"], `level ${level}`);
    content = JSON.stringify({ body: content });
  }
  assert.deepEqual(found({ content }), []);
});

Deno.test("JSON held in a string nested too deep to read makes the scan incomplete, its text read", () => {
  // Its escapes (`\u0030`) could hide what only the JSON reading sees: past 64 levels it is not checked.
  const deep = "[".repeat(100) + '"SSN 123-45-6789"' + "]".repeat(100);
  const r = scanArguments({ content: deep }, ALL);
  assert.deepEqual(r.findings.map((f) => `${f.type} at ${f.path}`), ["us_ssn at content"]);
  assert.equal(r.capped, true);
  assert.equal(
    scanArguments({ content: "[".repeat(60) + "1" + "]".repeat(60) }, ALL).capped,
    false,
  );
});

Deno.test("digits of other scripts and every invisible character are read as a server reads them", () => {
  assert.equal(detectionText("SSN ١٢٣-٤٥-٦٧٨٩"), "SSN 123-45-6789");
  assert.equal(detectionText("۱۲۳ १२३ ০১২"), "123 123 012");
  assert.equal(detectionText("AKIA\u034fQ3EG\ufe0fUNR6\u3164JXVCP7XH"), "AKIAQ3EGUNR6JXVCP7XH");
  assert.deepEqual(found({ ssn: "١٢٣٤٥٦٧٨٩" }), ["us_ssn at ssn"]);
  assert.deepEqual(found({ card: "٤٥٣٩١٤٨٨٠٣٤٣٦٤٦٧" }), ["payment_card at card"]);
  assert.deepEqual(found({ body: "AKIA\u034fQ3EGUNR6JXVCP7XH" }), ["aws_access_key_id at body"]);
});

Deno.test("normalizing stops at the character cap, however much a character expands", () => {
  const r = scanArguments({ x: "1" + "\ufdfa".repeat(200_000) }, { ...ALL, maxChars: 100_000 });
  assert.equal(r.capped, true);
  assert.ok(r.scannedChars <= 100_000 + 18, `scanned ${r.scannedChars}`);
  assert.ok(detectionText("\ufdfa".repeat(50_000), 10_000).length < 10_000 + 4096 * 18);
});

Deno.test("a key too long to be a name labels nothing, and labels read like text", () => {
  assert.equal(childLabel("k".repeat(MAX_LABEL + 1), undefined), undefined);
  assert.equal(childLabel("ｓｓｎ", undefined), "ssn");
  assert.equal(childLabel("value", { valueKey: "value", label: "patient_mrn" }), "patient_mrn");
  assert.deepEqual(found({ ["x_".repeat(200) + "ssn"]: "123456789" }), []);
});

Deno.test("paths, audit shapes and prompts hide a key the detectors flag under a pair's name", async () => {
  const args = {
    env: [{ name: "patient_mrn", value: { AB12345678: { note: "SSN 123-45-6789" } } }],
  };
  assert.deepEqual(found(args), [
    "mrn at env[0].value[#k0](key)",
    "us_ssn at env[0].value[#k0].note",
  ]);
  const hmac = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(32).fill(1),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const shape = JSON.stringify((await redactValue(hmac, args)).shape);
  assert.ok(!shape.includes("AB12345678"), shape);
  const lines = argumentShape({ name: "patient_mrn", value: { AB12345678: 1 } });
  assert.ok(!lines.join("\n").includes("AB12345678"), lines.join("\n"));
});

Deno.test("JSON held after a byte order mark, in a code fence or one record per line is read", () => {
  const record = JSON.stringify({ identifier: [MR_IDENTIFIER] });
  assert.deepEqual(found({ content: `\ufeff${record}` }), ["mrn at content"]);
  assert.deepEqual(found({ content: "```json\n" + record + "\n```" }), ["mrn at content"]);
  assert.deepEqual(found({ content: `{"n":1}\n${record}\n` }), ["mrn at content"]);
});

Deno.test("numbers too long for a double inside held JSON leave the scan complete", () => {
  const r = scanArguments({ content: '{"author":{"id":1234567890123456789},"text":"hello"}' }, ALL);
  assert.equal(r.capped, false);
  assert.equal(scanArguments({ content: "[1e300]" }, ALL).capped, false);
});

Deno.test("pairs are recognised in the spellings of parameter stores, forms and people", () => {
  assert.deepEqual(
    found({ Parameters: [{ ParameterKey: "DbPassword", ParameterValue: "Xk9mP2vL7qR4tZw8" }] }),
    ["api_key_assignment at Parameters[0].ParameterValue"],
  );
  assert.deepEqual(found({ opts: [{ OptionName: "DB_PASSWORD", Value: "Xk9mP2vL7qR4tZw8" }] }), [
    "api_key_assignment at opts[0].Value",
  ]);
  assert.deepEqual(found({ fields: [{ label: "password", value: "Tr0ub4dor&3x" }] }), [
    "api_key_assignment at fields[0].value",
  ]);
  assert.deepEqual(found({ pairs: [{ key: "ssn", val: "123456789" }] }), [
    "us_ssn at pairs[0].val",
  ]);
  assert.deepEqual(found({ fields: [{ name: "Social Security Number", value: "123456789" }] }), [
    "us_ssn at fields[0].value",
  ]);
  assert.deepEqual(found({ fields: [{ label: "Notes", value: "call back tomorrow" }] }), []);
});

Deno.test("JSONC held in a string, with comments and trailing commas, is read too", () => {
  const jsonc = `{\n  // the patient's record\n  "identifier": [${
    JSON.stringify(MR_IDENTIFIER)
  },],\n}`;
  assert.deepEqual(found({ content: jsonc }), ["mrn at content"]);
  // Neither JSON nor JSONC (JSON5's unquoted keys): the text alone is scanned.
  assert.deepEqual(found({ content: `{identifier: [${JSON.stringify(MR_IDENTIFIER)}]}` }), []);
});

Deno.test("name/value pairs in YAML or JSON5 text are read as the same pairs in JSON", () => {
  const k8s = [
    "apiVersion: v1",
    "kind: Pod",
    "spec:",
    "  containers:",
    "    - name: intake",
    "      env:",
    "        - name: PATIENT_SSN",
    '          value: "078051120"',
    "        - name: LOG_LEVEL",
    "          value: debug",
  ].join("\n");
  assert.deepEqual(found({ manifest: k8s }), ["us_ssn at manifest"]);
  assert.deepEqual(found({ manifest: k8s.replace("\n", "\r\n") }), ["us_ssn at manifest"]);
  assert.deepEqual(found({ js: "[{name: 'PATIENT_MRN', value: 'A1234567'}]" }), ["mrn at js"]);
  assert.deepEqual(found({ y: "- key: dob\n  value: 1961-03-04 # admitted" }), [
    "date_of_birth at y",
  ]);
  assert.deepEqual(found({ y: "NAME: PATIENT_SSN\nVALUE: 078051120" }), ["us_ssn at y"]);
  assert.deepEqual(found({ html: '<input type="text" name="ssn" value="078051120">' }), [
    "us_ssn at html",
  ]);
  assert.deepEqual(found({ xml: '<add key="patient_ssn" value="078051120" />' }), [
    "us_ssn at xml",
  ]);
  assert.deepEqual(found({ html: '<input name="zip" value="078051120">' }), []);
  assert.deepEqual(found({ y: "name: Social Security Number\nvalue: 078051120" }), [
    "us_ssn at y",
  ]);
  // A JSON record cut short is no JSON, but its pairs are still pairs.
  assert.deepEqual(found({ cut: '[{"name": "ssn", "value": "078051120"}, {"name": "mr' }), [
    "us_ssn at cut",
  ]);
  // The same numbers under names that say nothing of a person are not read as such.
  assert.deepEqual(found({ y: k8s.replace("PATIENT_SSN", "ORDER_ID") }), []);
  assert.deepEqual(found({ js: "{name: 'build', value: 'A1234567'}" }), []);
  // `valueFrom` is no value, and a value before its name is not paired.
  assert.deepEqual(found({ y: "- name: PATIENT_SSN\n  valueFrom: 078051120" }), []);
  assert.deepEqual(found({ y: "- value: 078051120\n  name: PATIENT_SSN" }), []);
});

Deno.test("pairs held in text stay as cheap to read as the same pairs in JSON", () => {
  const N = 1024 * 1024;
  const inputs = [
    "- name: a\n  value: bb1\n".repeat(N / 23),
    "{name: 'a', value: 'bb1'},".repeat(N / 26),
    "name: ".repeat(N / 6) + "value: 1",
    "name: " + "a".repeat(N - 6),
    ("name: " + "a".repeat(120) + ",").repeat(N / 127),
    ("- name: " + "b".repeat(127) + "\n  value: ").repeat(N / 145),
    // Words in base64's alphabet (hashes, identifiers): each read as base64 on its own.
    ("a".repeat(120) + " ").repeat(N / 121),
  ];
  const slow: string[] = [];
  for (const [i, text] of inputs.entries()) {
    const ms = threadCpu(() => scanArguments({ text }, ALL)).cpuMs;
    if (ms > SLOW_MS) slow.push(`input ${i}: ${ms.toFixed(0)} ms of CPU`);
  }
  assert.deepEqual(slow, []);
});
