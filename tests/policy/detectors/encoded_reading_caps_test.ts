import assert from "node:assert/strict";
import { base64Reading, MAX_BASE64_RUNS } from "../../../src/policy/detectors/encoded_readings.ts";
import {
  leftEscaped,
  MAX_PERCENT_LEVELS,
  percentDecoded,
} from "../../../src/policy/detectors/percent_decoded.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { MAX_BASE64_LEVELS, MAX_HELD_LEVELS } from "../../../src/policy/detectors/scan_limits.ts";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

// Built from parts, so no whole credential sits in the source.
const TOKEN_LINE = "GITHUB_TOKEN=ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n";
const SSN_LINE = "patient SSN: 078-05-1120";
const ALL = { kinds: new Set(["secret", "phi", "pii"] as const) };

const policy = compilePolicy(parsePolicy(
  '{"version":1,"default":"allow","detectors":{"secrets":"block","phi":"block","pii":"block"}}',
  "p.jsonc",
));

function scan(args: unknown) {
  const r = scanArguments(args, ALL);
  return { types: r.findings.map((f) => f.type), capped: r.capped };
}

/** `count` runs of base64 that decode to prose, then base64 of the token's line. */
function runsThenToken(count: number): string {
  const runs = Array.from({ length: count }, (_, i) => btoa(`hello world number ${i} is here`));
  return [...runs, btoa(TOKEN_LINE)].join(" ");
}

function percentEncoded(text: string, times: number): string {
  let out = text;
  for (let i = 0; i < times; i++) out = encodeURIComponent(out);
  return out;
}

/** `record` as JSON in a string, `levels` times over (a message body holding a record). */
function heldLevels(record: unknown, levels: number): unknown {
  let value: unknown = record;
  for (let i = 0; i < levels; i++) value = { a: JSON.stringify(value) };
  return value;
}

Deno.test("a secret after more base64 runs than are read makes the scan incomplete", () => {
  const below = scan({ x: runsThenToken(MAX_BASE64_RUNS - 1) });
  assert.deepEqual([below.types.includes("github_token"), below.capped], [true, false]);
  const past = scan({ x: runsThenToken(MAX_BASE64_RUNS) });
  assert.equal(past.capped, true, "the run past the count was left unread");
  const e = evaluate(policy, toolCall("s", "echo", { x: runsThenToken(MAX_BASE64_RUNS) }), {});
  assert.equal(e.decision, "step_up");
  assert.deepEqual(e.ruleIds, ["detector.scan_capped"]);
  assert.match(e.reasons[0] ?? "", /more than 32 runs of encoded text in one string/);
});

Deno.test("base64Reading() tells a reading cut short by a bound from one that read all", () => {
  const line = "OPENAI_KEY=sk-abc123def456";
  assert.deepEqual(base64Reading(btoa(line), 1024), { texts: [line], stretched: 0, capped: false });
  assert.deepEqual(base64Reading(btoa(line), 8), {
    texts: [],
    stretched: 0,
    capped: true,
  }, "past limit");
  assert.deepEqual(base64Reading(btoa(line), 1024, 0), {
    texts: [],
    stretched: 0,
    capped: true,
  }, "no runs");
  const exactly = Array.from({ length: MAX_BASE64_RUNS }, (_, i) => btoa(`${line} ${i}`));
  assert.equal(base64Reading(exactly.join(" "), 1 << 20).capped, false, "as many as are read");
  // Past a bound, runs that decode to no text leave the reading whole.
  const binary = btoa(String.fromCharCode(...Array.from({ length: 90 }, (_, i) => i * 7 % 256)));
  assert.deepEqual(base64Reading(`/srv/app/src/components/index.ts ${binary}`, 0), {
    texts: [],
    stretched: 0,
    capped: false,
  });
});

Deno.test("text percent-encoded more times than are decoded makes the scan incomplete", () => {
  for (const line of [TOKEN_LINE, SSN_LINE]) {
    const deepest = scan({ x: percentEncoded(line, MAX_PERCENT_LEVELS) });
    assert.deepEqual([deepest.types.length > 0, deepest.capped], [true, false], line);
    const deeper = scan({ x: percentEncoded(line, MAX_PERCENT_LEVELS + 1) });
    assert.equal(deeper.capped, true, line);
  }
  assert.equal(leftEscaped(percentDecoded(percentEncoded(SSN_LINE, MAX_PERCENT_LEVELS))!), false);
  assert.equal(
    leftEscaped(percentDecoded(percentEncoded(SSN_LINE, MAX_PERCENT_LEVELS + 1))!),
    true,
  );
});

Deno.test("JSON held in strings deeper than it is read makes the scan incomplete", () => {
  const record = { ssn: "078051120" };
  for (let levels = 1; levels <= MAX_HELD_LEVELS; levels++) {
    assert.deepEqual(scan(heldLevels(record, levels)), { types: ["us_ssn"], capped: false });
  }
  assert.equal(scan(heldLevels(record, 6)).capped, true);
  assert.equal(scan(heldLevels(record, MAX_HELD_LEVELS + 1)).capped, true);
  // A record held as text, however deep, is complete when it holds no JSON itself.
  assert.equal(scan(heldLevels({ note: "lunch at noon" }, MAX_HELD_LEVELS)).capped, false);
});

Deno.test("JSON held in a string nested past 64 levels makes the scan incomplete", () => {
  // `\u0030` escapes: the JSON reading decodes them, and so does the text's `\u` reading.
  const escaped = '{"ssn": "' + [..."078051120"].map((d) => `\\u003${d}`).join("") + '"}';
  assert.deepEqual(scan({ content: escaped }), { types: ["us_ssn"], capped: false });
  // Past 64 levels the JSON is not read as JSON: the scan says so, whatever else found.
  const deep = "[".repeat(70) + escaped + "]".repeat(70);
  assert.deepEqual(scan({ content: deep }), { types: ["us_ssn"], capped: true });
});

Deno.test("base64 in base64 is read, and base64 deeper than is read makes the scan incomplete", () => {
  let text = TOKEN_LINE;
  for (let level = 1; level <= MAX_BASE64_LEVELS; level++) {
    text = btoa(text);
    const read = scan({ x: text });
    assert.deepEqual([read.types.includes("github_token"), read.capped], [true, false], `${level}`);
  }
  assert.deepEqual(scan({ x: btoa(text) }), { types: [], capped: true });
  // Base64 of percent-encoded base64.
  assert.ok(scan({ x: btoa(encodeURIComponent(btoa(TOKEN_LINE))) }).types.includes("github_token"));
});

Deno.test("the decoded readings' budget spent on encoded text makes the scan incomplete", () => {
  // JSON text holding escaped base64 of prose: read decoded as text, as base64 and again as the
  // JSON it holds, its readings take the whole budget; the secret after it is never decoded.
  const filler = JSON.stringify({ t: "x%20" + btoa("lorem ipsum dolor sit amet ".repeat(555)) });
  const maxChars = 40_000;
  const options = { ...ALL, maxChars };
  const alone = scanArguments({ b: btoa(TOKEN_LINE) }, options);
  assert.deepEqual([alone.findings.length > 0, alone.capped], [true, false]);
  const spent = scanArguments({ a: filler, b: btoa(TOKEN_LINE) }, options);
  assert.ok(spent.scannedChars < maxChars, "within the characters scanned");
  assert.deepEqual([spent.findings, spent.capped], [[], true]);
  // Once spent, text with nothing to decode leaves the scan complete.
  const plain = scanArguments({ a: filler.replace("%20", "--") }, options);
  assert.equal(plain.capped, false);
});

Deno.test("ordinary text leaves the scan complete", () => {
  const binary = btoa(String.fromCharCode(...Array.from({ length: 600 }, (_, i) => i * 151 % 256)));
  for (
    const args of [
      { content: "The quick brown fox ".repeat(5000) },
      { url: "https://example.org/a%20b/c%2Fd?q=100%25", path: "/srv/app/src/index.ts" },
      { image: `data:image/png;base64,${binary}`, note: "internationalization".repeat(40) },
      { body: JSON.stringify({ message: JSON.stringify({ text: "hi", at: "2026-01-02" }) }) },
      { kubeconfig: btoa(`client-certificate-data: ${btoa("-----BEGIN CERTIFICATE-----\nMII")}`) },
      { hashes: "2b6f6ed99ff6dba5a02347bbf7118fe9ad8acdf4 ".repeat(2000) },
    ]
  ) {
    assert.equal(scan(args).capped, false, JSON.stringify(args).slice(0, 80));
  }
});
