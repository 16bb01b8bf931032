import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { detectionText } from "../../../src/policy/detectors/detection_text.ts";
import { seeded } from "../../_seeded.ts";

interface Vector {
  text: string;
  key?: string;
}

const dir = new URL("../../fixtures/policy/detectors/", import.meta.url);
const vectors: Vector[] = [];
for (const entry of Deno.readDirSync(dir)) {
  if (!entry.name.endsWith(".json")) continue;
  const file = JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))) as {
    positives?: Vector[];
    negatives?: Vector[];
    texts?: string[];
  };
  vectors.push(...file.positives ?? [], ...file.negatives ?? []);
  vectors.push(...(file.texts ?? []).map((text) => ({ text })));
}

const ALL_KINDS = new Set<DetectorKind>(["secret", "phi", "pii"]);
const DIGIT_GATED = DETECTORS.filter((d) => d.needsDigit === true);

/** Every way a digit can be replaced by something that is not 0-9, Unicode digits included. */
const NOT_DIGITS = ["", "O", "l", " ", "-", "x", "\u0663", "\uff13", "\u00b9"];

function withoutDigits(text: string, replacement: string): string {
  return text.replace(/[0-9]/g, replacement);
}

/** Pieces of the detectors' own labels and punctuation, without a digit, to be glued at random. */
const PIECES = [
  "SSN",
  "ssn: ",
  "social security number ",
  "DOB",
  "D.O.B. ",
  "date of birth: ",
  "born on ",
  "Patient: ",
  "Name = ",
  "Jane Doe",
  "Mary Ann Smith, ",
  "MRN",
  "medical record # ",
  "NPI ",
  "ICD-",
  "ICD ",
  "dx code: ",
  "diagnosis ",
  "A",
  "B",
  "Z",
  "X",
  "AB",
  "FN",
  "O",
  "I",
  "+",
  "(",
  ")",
  "-",
  ".",
  "/",
  " ",
  "  ",
  ",",
  ":",
  "=",
  "#",
  "api_key=",
  "token: ",
  'password="',
  "secret:",
  "Sept ",
  "Jan. ",
  "May ",
  "abcdefghijklmnopqrstu",
  "QWERTYUIOPASDFGHJKLZX",
  "\u0663\u0663\u0663",
  "\uff11\uff12\uff13",
];

function randomText(next: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(next() * 12);
  for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(next() * PIECES.length)]!);
  return parts.join("");
}

/** What every detector finds in `text` under `key`, both read as the scan reads them. */
function firedTypes(text: string, key: string | undefined): string[] {
  const read = detectionText(text);
  const label = key === undefined ? undefined : detectionText(key);
  return DETECTORS.filter((d) => d.detect(read, label)).map((d) => d.type).sort();
}

Deno.test("the detectors marked needsDigit are the ones whose patterns all require a digit", () => {
  assert.deepEqual(DIGIT_GATED.map((d) => d.type).sort(), [
    "api_key_assignment",
    "date_of_birth",
    "dea_number",
    "icd10_code",
    "medicare_mbi",
    "mrn",
    "npi",
    "payment_card",
    "phone_number",
    "us_ssn",
  ]);
});

Deno.test("a detector marked needsDigit never fires once the digits of a vector are replaced", () => {
  assert.ok(vectors.length > 100, `too few vectors (${vectors.length})`);
  let checked = 0;
  for (const v of vectors) {
    for (const replacement of NOT_DIGITS) {
      const text = withoutDigits(v.text, replacement);
      for (const key of [v.key, undefined]) {
        for (const d of DIGIT_GATED) {
          assert.equal(
            d.detect(text, key),
            false,
            `${d.type} fired without a digit on ${JSON.stringify({ text, key })}`,
          );
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 10_000);
});

Deno.test("a detector marked needsDigit never fires on generated text without a digit", () => {
  const next = seeded(20261125);
  for (let i = 0; i < 20_000; i++) {
    const text = randomText(next);
    assert.doesNotMatch(text, /[0-9]/);
    const key = next() < 0.5 ? undefined : ["dob", "mrn", "npi", "icd10", "api_key"][i % 5];
    for (const d of DIGIT_GATED) {
      assert.equal(
        d.detect(text, key),
        false,
        `${d.type} fired without a digit on ${JSON.stringify({ text, key })} (sample ${i})`,
      );
    }
  }
});

Deno.test("scanning with the gates finds exactly what every detector run on every string finds", () => {
  const next = seeded(7);
  const corpus: Vector[] = [...vectors];
  for (const v of vectors) {
    corpus.push({ ...v, text: withoutDigits(v.text, "O") });
    // Every digit the same one, 0 through 9: each digit value must open the gate.
    for (let d = 0; d <= 9; d++) corpus.push({ ...v, text: withoutDigits(v.text, String(d)) });
  }
  for (let i = 0; i < 2_000; i++) corpus.push({ text: randomText(next) + String(i) });
  let fired = 0;
  for (const v of corpus) {
    const key = v.key ?? "value";
    const scan = scanArguments({ [key]: v.text }, { kinds: ALL_KINDS });
    const expected = [
      ...firedTypes(key, undefined),
      ...(v.text.length < 3 ? [] : firedTypes(v.text, key)),
    ]
      .sort();
    assert.deepEqual(
      scan.findings.map((f) => f.type).sort(),
      expected,
      `differs on ${JSON.stringify(v)}`,
    );
    fired += expected.length;
  }
  assert.ok(fired > 50, `the corpus should make detectors fire (fired ${fired})`);
});

Deno.test("scanning object keys with the gates finds exactly what every detector finds in them", () => {
  let fired = 0;
  for (const v of vectors) {
    for (const label of [v.key, undefined]) {
      const args = label === undefined ? { [v.text]: 0 } : { [label]: { [v.text]: true } };
      const scan = scanArguments(args, { kinds: ALL_KINDS });
      const expected = [
        ...(label === undefined ? [] : firedTypes(label, undefined)),
        ...(v.text.length < 3 ? [] : firedTypes(v.text, label)),
      ].sort();
      assert.deepEqual(
        scan.findings.map((f) => f.type).sort(),
        expected,
        `differs on the key ${JSON.stringify(v.text)} under ${String(label)}`,
      );
      fired += expected.length;
    }
  }
  assert.ok(fired > 50, `the keys should make detectors fire (fired ${fired})`);
});

Deno.test("scanning an integer with the gates finds exactly what every detector finds in its digits", () => {
  let fired = 0;
  for (const v of vectors) {
    const digits = v.text.trim();
    if (!/^[1-9]\d{2,15}$/.test(digits) || !Number.isSafeInteger(Number(digits))) continue;
    const key = v.key ?? "value";
    const scan = scanArguments({ [key]: Number(digits) }, { kinds: ALL_KINDS });
    const expected = [...firedTypes(key, undefined), ...firedTypes(digits, key)].sort();
    assert.deepEqual(scan.findings.map((f) => f.type).sort(), expected, JSON.stringify(v));
    fired += expected.length;
  }
  assert.ok(fired >= 3, `the integer vectors should make detectors fire (fired ${fired})`);
});
