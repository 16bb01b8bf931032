import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { detectionText } from "../../../src/policy/detectors/detection_text.ts";
import { digitCensus, meetsDigitNeed } from "../../../src/policy/detectors/digit_census.ts";
import { base64Texts } from "../../../src/policy/detectors/encoded_readings.ts";
import { percentDecoded } from "../../../src/policy/detectors/percent_decoded.ts";
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
const DIGIT_GATED = DETECTORS.filter((d) => d.digits !== undefined);

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

/**
 * What the detectors find in `text` and in its decoded readings, as a scan reads them:
 * percent escapes decoded (every detector), base64 runs decoded (the secret detectors).
 */
function firedInReadings(text: string, key: string | undefined): string[] {
  const found = new Set(firedTypes(text, key));
  const read = detectionText(text);
  const unescaped = percentDecoded(read);
  if (unescaped !== undefined) { for (const type of firedTypes(unescaped, key)) found.add(type); }
  const label = key === undefined ? undefined : detectionText(key);
  for (const inner of base64Texts(unescaped ?? read, Infinity)) {
    const decoded = detectionText(inner);
    for (const d of DETECTORS) {
      if (d.kind === "secret" && d.detect(decoded, label)) found.add(d.type);
    }
  }
  return [...found].sort();
}

Deno.test("the detectors that need digits, and how many and how many in a row", () => {
  assert.deepEqual(
    Object.fromEntries(DIGIT_GATED.map((d) => [d.type, d.digits])),
    {
      api_key_assignment: { count: 1, run: 1 },
      us_ssn: { count: 7, run: 4 },
      medicare_mbi: { count: 5, run: 2 },
      mrn: { count: 4, run: 2 },
      date_of_birth: { count: 4, run: 2 },
      icd10_code: { count: 1, run: 1 },
      npi: { count: 10, run: 10 },
      dea_number: { count: 7, run: 7 },
      payment_card: { count: 13, run: 1 },
      phone_number: { count: 8, run: 1 },
    },
  );
});

Deno.test("digitCensus() counts 0-9 only, and the longest run", () => {
  assert.deepEqual(digitCensus(""), { count: 0, run: 0 });
  assert.deepEqual(digitCensus("invoice 100245, due 2026-04-02"), { count: 14, run: 6 });
  assert.deepEqual(digitCensus("12a345b6"), { count: 6, run: 3 });
  assert.deepEqual(digitCensus("\u0663\uff13\u00b9"), { count: 0, run: 0 });
  assert.equal(meetsDigitNeed({ count: 14, run: 6 }, { count: 10, run: 10 }), false);
  assert.equal(meetsDigitNeed({ count: 14, run: 6 }, { count: 14, run: 6 }), true);
  assert.equal(meetsDigitNeed({ count: 0, run: 0 }, undefined), true);
});

/** `text` with only its first `keep` digits left, the others replaced. */
function keepDigits(text: string, keep: number, replacement: string, fromEnd: boolean): string {
  let seen = 0;
  const total = digitCensus(text).count;
  return text.replace(/[0-9]/g, (digit) => {
    seen++;
    const kept = fromEnd ? seen > total - keep : seen <= keep;
    return kept ? digit : replacement;
  });
}

/** `text` with every run of digits cut after `run` of them, by replacing or by inserting. */
function cutRuns(text: string, run: number, separator: string, insert: boolean): string {
  return text.replace(/[0-9]+/g, (digits) => {
    let out = "";
    for (let i = 0; i < digits.length; i++) {
      if (i > 0 && i % (run + (insert ? 0 : 1)) === (insert ? 0 : run)) {
        out += separator;
        if (!insert) continue;
      }
      out += digits[i];
    }
    return out;
  });
}

/** Texts just below a need: the vectors, thinned and cut every way. */
function belowNeed(text: string, need: { count: number; run: number }): string[] {
  const out: string[] = [];
  for (const replacement of NOT_DIGITS) {
    out.push(keepDigits(text, need.count - 1, replacement, false));
    out.push(keepDigits(text, need.count - 1, replacement, true));
    // An empty separator cuts nothing (and replacing by it joins runs).
    if (need.run > 1 && replacement !== "") {
      out.push(cutRuns(text, need.run - 1, replacement, true));
      out.push(cutRuns(text, need.run - 1, replacement, false));
    }
  }
  return out;
}

Deno.test("cutRuns() and keepDigits() leave texts below the need they are made for", () => {
  assert.equal(cutRuns("a1234567890b", 3, "-", true), "a123-456-789-0b");
  assert.equal(cutRuns("a1234567890b", 3, "x", false), "a123x567x90b");
  assert.equal(keepDigits("1-2-3-4", 2, "O", false), "1-2-O-O");
  assert.equal(keepDigits("1-2-3-4", 2, "O", true), "O-O-3-4");
  for (const text of belowNeed("SSN 123-45-6789, NPI 1234567893", { count: 7, run: 4 })) {
    assert.equal(meetsDigitNeed(digitCensus(text), { count: 7, run: 4 }), false, text);
  }
});

Deno.test("a detector never fires on a vector thinned or cut below its digit need", () => {
  let checked = 0;
  let belowPositives = 0;
  for (const v of vectors) {
    for (const d of DIGIT_GATED) {
      const need = d.digits!;
      const fires = d.detect(detectionText(v.text), v.key);
      for (const text of belowNeed(v.text, need)) {
        assert.equal(meetsDigitNeed(digitCensus(text), need), false, text);
        for (const key of [v.key, undefined]) {
          assert.equal(
            d.detect(text, key),
            false,
            `${d.type} fired below its need ${JSON.stringify(need)} on ${
              JSON.stringify({ text, key })
            }`,
          );
          checked++;
        }
      }
      if (fires) belowPositives++;
    }
  }
  assert.ok(checked > 50_000, `checked ${checked}`);
  // The cut-down texts come from vectors each detector fires on, so they test its edge.
  assert.ok(belowPositives > 100, `positives cut down: ${belowPositives}`);
});

Deno.test("a detector that needs digits never fires once the digits of a vector are replaced", () => {
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

Deno.test("a detector that needs digits never fires on generated text without a digit", () => {
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
    // JSON in a string is also read as JSON, which finds more than the detectors on its text.
    if (/^\s*[[{]/.test(v.text)) continue;
    // Every digit the same one, 0 through 9: each digit value must open the gate.
    for (let d = 0; d <= 9; d++) corpus.push({ ...v, text: withoutDigits(v.text, String(d)) });
    // Just below and at each need: the gate must close exactly where the detector cannot fire.
    for (const d of DIGIT_GATED) {
      for (const text of belowNeed(v.text, d.digits!).slice(0, 4)) corpus.push({ ...v, text });
      const at = d.digits!;
      corpus.push({ ...v, text: keepDigits(v.text, at.count, "O", false) });
      corpus.push({ ...v, text: cutRuns(v.text, at.run, "-", true) });
    }
  }
  for (let i = 0; i < 2_000; i++) corpus.push({ text: randomText(next) + String(i) });
  let fired = 0;
  for (const v of corpus) {
    const key = v.key ?? "value";
    const scan = scanArguments({ [key]: v.text }, { kinds: ALL_KINDS });
    const expected = [
      ...firedTypes(key, undefined),
      ...(v.text.length < 3 ? [] : firedInReadings(v.text, key)),
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
