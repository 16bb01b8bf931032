/**
 * A table within the scan's text limit (1 MiB) is read by column in full:
 * an ordinary CSV of a few hundred KB is not stepped up as `scan_capped`,
 * and a value only its column labels (`078051120` under `ssn`) is found in
 * its last row. A scan capped by a table says so, not that the arguments
 * passed the size limit.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };
const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

/** Benign columns an export holds, the last one `ssn`. */
const HEADER = ["id", "first_name", "last_name", "city", "state", "plan", "status", "ssn"];

/**
 * A CSV of `rows` ordinary rows under the first `columns` names (the last
 * named `ssn`, holding no number), then one row whose `ssn` is 078051120.
 */
function csv(rows: number, columns: number): string {
  const names = [...HEADER.slice(0, columns - 1), "ssn"];
  const cell = (name: string, i: number) =>
    name === "id"
      ? String(100_000 + i)
      : name === "ssn"
      ? "pending"
      : `${name.slice(0, 2)}${i % 997}`;
  const lines = [names.join(",")];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => cell(n, i)).join(","));
  lines.push(names.map((n) => n === "ssn" ? "078051120" : cell(n, rows)).join(","));
  return lines.join("\n") + "\n";
}

Deno.test("a CSV of 5,000 rows and 8 columns is read by column in full", () => {
  const content = csv(5_000, 8);
  assert.ok(content.length > 250_000 && content.length < 300_000, `${content.length}`);
  const r = scanArguments({ content }, ALL);
  assert.equal(r.capped, false, JSON.stringify(r.cappedBy));
  assert.deepEqual(r.findings.filter((f) => f.type === "us_ssn").map((f) => f.path), [
    "content[ssn]",
  ]);
});

Deno.test("a CSV of 20,000 rows and 5 columns is read by column in full", () => {
  const content = csv(20_000, 5);
  assert.ok(content.length > 600_000 && content.length < 1024 * 1024, `${content.length}`);
  const r = scanArguments({ content }, ALL);
  assert.equal(r.capped, false, JSON.stringify(r.cappedBy));
  assert.deepEqual(r.findings.filter((f) => f.type === "us_ssn").map((f) => f.path), [
    "content[ssn]",
  ]);
});

Deno.test("evaluate() does not step up a benign 180 KB CSV as scan_capped", () => {
  // 3,500 rows of 8 columns: the size of export that used to be stepped up.
  const content = csv(3_500, 8).replace("078051120", "pending");
  assert.ok(content.length > 150_000, `${content.length}`);
  const e = evaluate(policy, toolCall("files", "write_file", { path: "/tmp/x.csv", content }), {});
  assert.equal(e.scanCapped, false);
  assert.ok(!e.ruleIds.includes("detector.scan_capped"), e.ruleIds.join());
  assert.deepEqual(e.findings, []);
});

Deno.test("a CSV past the text limit is capped, and the reason names the size limit", () => {
  const content = csv(30_000, 8);
  assert.ok(content.length > 1024 * 1024, `${content.length}`);
  const r = scanArguments({ content }, ALL);
  assert.equal(r.capped, true);
  assert.equal(r.findings.some((f) => f.type === "us_ssn"), false);
  assert.deepEqual(r.cappedBy, ["size"]);
  const e = evaluate(policy, toolCall("files", "write_file", { content }), {});
  assert.equal(e.decision, "step_up");
  assert.ok(e.ruleIds.includes("detector.scan_capped"), e.ruleIds.join());
  assert.match(e.reasons.join("\n"), /arguments exceed the 1 MiB scan limit; the rest/);
});

Deno.test("a scan capped by a table's width gives the table as its reason", () => {
  const names = Array.from({ length: 250 }, (_, i) => i === 249 ? "ssn" : `c${i}`);
  const row = names.map((n) => n === "ssn" ? "078051120" : "x");
  const content = `${names.join(",")}\n${row.join(",")}\n`;
  const e = evaluate(policy, toolCall("files", "write_file", { content }), {});
  assert.equal(e.decision, "step_up");
  const reason = e.reasons.find((r) => r.includes("table")) ?? e.reasons.join("\n");
  assert.match(
    reason,
    /^arguments hold a table with more cells or columns than thoth reads by column \(more than 200 columns/,
  );
  assert.doesNotMatch(reason, /MiB scan limit/);
});

Deno.test("a scan capped by a sheet's cells gives the table as its reason", () => {
  // 600,000 rows of two empty strings: no text to speak of, more cells than 1 MiB of text holds.
  const values = [["name", "ssn"], ...Array.from({ length: 600_000 }, () => ["", ""])];
  values.push(["John Smith", "078051120"]);
  const r = scanArguments({ values }, ALL);
  assert.deepEqual(r.cappedBy, ["table"]);
  const e = evaluate(policy, toolCall("sheets", "update_values", { values }), {});
  assert.ok(e.ruleIds.includes("detector.scan_capped"), e.ruleIds.join());
  const reason = e.reasons.find((x) => x.includes("table")) ?? e.reasons.join("\n");
  assert.match(reason, /^arguments hold a table with more cells or columns than thoth reads/);
  assert.match(reason, /the cells it left were read as text only/);
});
