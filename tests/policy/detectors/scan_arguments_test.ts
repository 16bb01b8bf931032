import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";

const ALL = new Set(["phi", "pii", "secret"] as const);

Deno.test("scanArguments() walks nested objects and arrays and reports paths", () => {
  const r = scanArguments({
    a: { b: ["nothing here", "mail ana.diaz@example.org"] },
    "odd.key": "SSN 123-45-6789",
    n: 42,
    nil: null,
  }, { kinds: ALL });
  assert.deepEqual(r.findings, [
    { kind: "pii", type: "email", path: "a.b[1]" },
    { kind: "phi", type: "us_ssn", path: '["odd.key"]' },
  ]);
  assert.equal(r.capped, false);
});

Deno.test("scanArguments() runs only the enabled kinds", () => {
  const r = scanArguments({ x: "SSN 123-45-6789 ana.diaz@example.org" }, {
    kinds: new Set(["pii"]),
  });
  assert.deepEqual(r.findings.map((f) => f.type), ["email"]);
});

Deno.test("scanArguments() stops at the character cap and says so", () => {
  const r = scanArguments({ a: "x".repeat(100), b: "SSN 123-45-6789" }, {
    kinds: ALL,
    maxChars: 100,
  });
  assert.equal(r.capped, true);
  assert.equal(r.scannedChars, 100);
  assert.deepEqual(r.findings, []);
});

Deno.test("scanArguments() stops at 64 levels of nesting", () => {
  let deep: unknown = "SSN 123-45-6789";
  for (let i = 0; i < 100; i++) deep = [deep];
  const r = scanArguments({ deep }, { kinds: ALL });
  assert.equal(r.capped, true);
});

Deno.test("scanArguments() passes the key so keyed values count", () => {
  const r = scanArguments({ patient: { dob: "1961-03-04", mrn: "00456789" } }, { kinds: ALL });
  assert.deepEqual(r.findings.map((f) => f.type).sort(), ["date_of_birth", "mrn"]);
});
