import assert from "node:assert/strict";
import { parseExactIntegers } from "../../../src/protocol/exact_integers.ts";
import { keyInClear } from "../../../src/policy/detectors/key_in_clear.ts";
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

interface ScanVector {
  note: string;
  args: Record<string, unknown>;
  findings?: [string, string][];
}

const scanVectors = JSON.parse(
  Deno.readTextFileSync(new URL("../../fixtures/policy/scan_arguments.json", import.meta.url)),
) as { positives: ScanVector[]; negatives: ScanVector[] };

/** Every key in `value`, at any depth. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) { for (const item of value) keysOf(item, out); }
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

Deno.test("scanArguments() finds what each argument vector holds, and nothing in the negatives", () => {
  assert.ok(scanVectors.positives.length >= 10 && scanVectors.negatives.length >= 5);
  for (const v of scanVectors.positives) {
    const r = scanArguments(v.args, { kinds: ALL });
    assert.deepEqual(r.findings.map((f) => [f.type, f.path]), v.findings, v.note);
  }
  for (const v of scanVectors.negatives) {
    assert.deepEqual(scanArguments(v.args, { kinds: ALL }).findings, [], v.note);
  }
});

Deno.test("scanArguments() never writes a key that is data into a finding path", () => {
  for (const v of scanVectors.positives) {
    const paths = scanArguments(v.args, { kinds: ALL }).findings.map((f) => f.path).join("\n");
    for (const k of keysOf(v.args)) {
      if (k.length < 3 || keyInClear(k, undefined)) continue;
      assert.ok(!paths.includes(k), `${v.note}: key ${JSON.stringify(k)} in ${paths}`);
    }
  }
});

Deno.test("scanArguments() scans a key even when only its kind is enabled", () => {
  const r = scanArguments(
    { "jane.doe@example.org": { "AKIAQ3EGRBPSXLYH7TNU": "SSN 123-45-6789" } },
    {
      kinds: new Set(["phi"]),
    },
  );
  // The email and the AWS key are not reported (their kinds are off) and still never shown.
  assert.deepEqual(r.findings, [{ kind: "phi", type: "us_ssn", path: "[#k0][#k0]" }]);
});

Deno.test("scanArguments() scans bigints and raw JSON integers by their digits", () => {
  const big = parseExactIntegers(
    '{"card": 4111111111111111110, "n": 1e400, "f": 4539148803436467.5, ' +
      '"spelled": [6212345678901234569.0, 6.212345678901234569e18, -6212345678901234569]}',
  ) as Record<string, unknown>;
  assert.deepEqual(scanArguments(big, { kinds: ALL }).findings, [
    { kind: "pii", type: "payment_card", path: "card" },
    { kind: "pii", type: "payment_card", path: "spelled[0]" },
    { kind: "pii", type: "payment_card", path: "spelled[1]" },
    { kind: "pii", type: "payment_card", path: "spelled[2]" },
  ]);
  assert.equal(scanArguments(big, { kinds: ALL }).capped, false);
  assert.deepEqual(scanArguments({ card: 4111111111111111110n }, { kinds: ALL }).findings, [
    { kind: "pii", type: "payment_card", path: "card" },
  ]);
  assert.deepEqual(scanArguments({ card: -4539148803436467 }, { kinds: ALL }).findings, [
    { kind: "pii", type: "payment_card", path: "card" },
  ], "a minus sign hides no card");
});

Deno.test("scanArguments() reports a plain number that may have lost digits as not checked", () => {
  // Without its JSON text, an integer of 16 or more digits past 2^53 may have lost some.
  const lost = scanArguments({ card: 4111111111111111110 }, { kinds: ALL });
  assert.deepEqual([lost.findings, lost.capped], [[], true]);
  // One written with fewer digits reads back exactly, and is scanned.
  const whole = scanArguments({ n: 1e20, m: -2.5e30, f: 1e400 }, { kinds: ALL });
  assert.deepEqual([whole.findings, whole.capped], [[], false]);
  // With no detector on, nothing is read at all.
  assert.equal(scanArguments({ card: 4111111111111111110 }, { kinds: new Set() }).capped, false);
});

Deno.test("scanArguments() counts keys and integers against the character cap", () => {
  const r = scanArguments({ abcdefghij: 1234567890, k: "SSN 123-45-6789" }, {
    kinds: ALL,
    maxChars: 20,
  });
  assert.equal(r.scannedChars, 20);
  assert.equal(r.capped, true);
  assert.deepEqual(r.findings, []);
});

Deno.test("keyInClear() keeps plain names and hides keys that are data", () => {
  for (const k of ["path", "options", "x-api-key", "Authorization", "odd.key", "$ref", "ssn"]) {
    assert.equal(keyInClear(k, undefined), true, k);
  }
  for (
    const k of [
      "jane.doe@example.org",
      "123-45-6789",
      "AKIAQ3EGRBPSXLYH7TNU",
      "4539148803436467",
      "with space",
      "#k:0011aabb",
      "a".repeat(65),
      "",
    ]
  ) {
    assert.equal(keyInClear(k, undefined), false, k);
  }
  assert.equal(keyInClear("A12345678", undefined), true);
  assert.equal(keyInClear("A12345678", "mrn"), false);
});
