/**
 * The budget of table readings: a value a table labels only by its column
 * (`078051120` under a `ssn` header) is found, or the scan is capped, however
 * far down, however long its cell and however wide its table. A table the
 * budget reads whole is not capped.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { readTextTables } from "../../../src/policy/detectors/positional_labels.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };
/** A budget small enough that a few hundred rows spend it. */
const SMALL = { ...ALL, maxChars: 4096 };
const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

/** Whether the scan found the SSN, or was capped: either way the call does not pass. */
function caught(args: unknown, options = ALL): { ssn: boolean; capped: boolean } {
  const r = scanArguments(args, options);
  return { ssn: r.findings.some((f) => f.type === "us_ssn"), capped: r.capped };
}

const columns = (n: number, last: string) =>
  Array.from({ length: n }, (_, i) => i === n - 1 ? last : `c${i}`);

Deno.test("a CSV whose SSN row lies past the table budget caps the scan", () => {
  // 20,000 rows of two one-letter cells cost 68 each: past 1 MiB of table reading, in
  // 80 KB of text the text scan reads whole (and finds nothing in: no label before the number).
  const csv = "name,ssn\n" + "a,b\n".repeat(20_000) + "John Smith,078051120\n";
  assert.deepEqual(caught({ content: csv }), { ssn: false, capped: true });
  const verdict = evaluate(policy, toolCall("files", "write_file", { content: csv }), {});
  assert.equal(verdict.decision, "step_up");
  assert.ok(verdict.ruleIds.includes("detector.scan_capped"), verdict.ruleIds.join());
  // Within the budget the same row is found and nothing is capped.
  const fits = "name,ssn\n" + "a,b\n".repeat(10_000) + "John Smith,078051120\n";
  assert.deepEqual(caught({ content: fits }), { ssn: true, capped: false });
  // TSV, and a small budget.
  const tsv = "name\tssn\n" + "a\tb\n".repeat(200) + "John Smith\t078051120\n";
  assert.deepEqual(caught({ content: tsv }, SMALL), { ssn: false, capped: true });
});

Deno.test("a row the budget cuts short caps the scan", () => {
  // The room ends inside the last row's SSN: the cut cell reads `0780…`.
  for (let rows = 40; rows < 70; rows++) {
    const csv = "name,ssn\n" + "aaaa,bbbb\n".repeat(rows) + "John Smith,078051120";
    const r = caught({ content: csv }, SMALL);
    assert.ok(r.ssn || r.capped, `${rows} rows`);
  }
});

Deno.test("tables that fit the budget one by one and not together cap the scan", () => {
  const a = "name,x\n" + "a,b\n".repeat(55);
  const b = "name,ssn\n" + "a,b\n".repeat(10) + "John Smith,078051120\n";
  assert.deepEqual(caught({ a }, SMALL), { ssn: false, capped: false });
  assert.deepEqual(caught({ b }, SMALL), { ssn: true, capped: false });
  assert.deepEqual(caught({ a, b }, SMALL), { ssn: false, capped: true });
});

Deno.test("Markdown tables, SQL inserts and sheets past the budget cap the scan", () => {
  const markdown = "| a | b |\n|---|---|\n" + "| x | y |\n".repeat(100) +
    "\n| Name | SSN |\n|---|---|\n| John Smith | 078051120 |\n";
  assert.deepEqual(caught({ content: markdown }, SMALL), { ssn: false, capped: true });
  const sql = "INSERT INTO t (a, b) VALUES " + "('x','y'),".repeat(100) + "('x','y');\n" +
    "INSERT INTO p (name, ssn) VALUES ('John Smith','078051120');";
  assert.deepEqual(caught({ sql }, SMALL), { ssn: false, capped: true });
  const tuples = "INSERT INTO p (name, ssn) VALUES " + "('x','y'),".repeat(100) +
    "('John Smith','078051120');";
  assert.deepEqual(caught({ sql: tuples }, SMALL), { ssn: false, capped: true });
  const values = [["name", "ssn"], ...Array.from({ length: 200 }, () => ["a", "b"])];
  values.push(["John Smith", "078051120"]);
  // The sheet's cells are scanned as text too: a budget that holds them and not their labels.
  const sheet = scanArguments({ values }, { ...ALL, maxChars: 8192 });
  assert.ok(sheet.scannedChars < 8192);
  assert.equal(sheet.findings.some((f) => f.type === "us_ssn"), false);
  assert.equal(sheet.capped, true);
});

Deno.test("a giant cell is read under its column's name, as under a key", () => {
  // A padded SSN: under a key the value is trimmed and found; so is it under a column.
  const padded = "078051120" + " ".repeat(2_000);
  assert.equal(caught({ ssn: padded }).ssn, true);
  for (
    const content of [
      `name,ssn\nJohn Smith,${padded}\n`,
      `name,ssn\nJohn Smith,"${padded}"\n`,
      `| Name | SSN |\n|---|---|\n| John Smith | ${padded} |\n`,
    ]
  ) assert.deepEqual(caught({ content }), { ssn: true, capped: false }, content.slice(0, 20));
  assert.deepEqual(
    caught({ sql: `INSERT INTO p (name, ssn) VALUES ('John Smith', '${padded}')` }),
    { ssn: true, capped: false },
  );
  // A cell of 64 KB under a column the detectors know nothing of costs no finding.
  const long = `name,notes\nJohn Smith,${"lorem ipsum ".repeat(6_000)}\n`;
  assert.deepEqual(caught({ content: long }), { ssn: false, capped: false });
});

Deno.test("a table of more than 200 columns caps the scan", () => {
  const wide = columns(250, "ssn");
  const row = wide.map((name) => name === "ssn" ? "078051120" : "x");
  const tables = {
    csv: `${wide.join(",")}\n${row.join(",")}\n`,
    tsv: `${wide.join("\t")}\n${row.join("\t")}\n`,
    markdown: `| ${wide.join(" | ")} |\n|${"---|".repeat(250)}\n| ${row.join(" | ")} |\n`,
    sql: `INSERT INTO p (${wide.join(", ")}) VALUES (${row.map((v) => `'${v}'`).join(", ")})`,
  };
  for (const [name, content] of Object.entries(tables)) {
    assert.deepEqual(caught({ content }), { ssn: false, capped: true }, name);
  }
  assert.deepEqual(caught({ values: [wide, row] }), { ssn: false, capped: true }, "sheet");
  // 200 columns are read.
  const most = columns(200, "ssn");
  const fits = most.map((name) => name === "ssn" ? "078051120" : "x");
  assert.deepEqual(caught({ content: `${most.join(",")}\n${fits.join(",")}\n` }), {
    ssn: true,
    capped: false,
  });
  // A long first line of words that are no names is no table.
  const prose = `${"one two three four five six, ".repeat(300)}\n${"x,".repeat(300)}\n`;
  assert.deepEqual(caught({ content: prose }), { ssn: false, capped: false });
});

Deno.test("text the budget passes without a table's row left does not cap the scan", () => {
  // Past the room only lines of another width (or of no pipe, or no statement) remain.
  const csv = "name,ssn\n" + "a,b\n".repeat(50) + "prose line\n".repeat(2_000);
  assert.equal(readTextTables(csv, 4096).stopped, false);
  const markdown = "| a | b |\n|---|---|\n| x | y |\n\n" + "ls | grep x\n".repeat(50_000);
  assert.equal(readTextTables(markdown, 4096).stopped, false);
  const sql = "INSERT INTO t (a, b) VALUES ('x','y');\n" + "-- note\n".repeat(2_000);
  assert.equal(readTextTables(sql, 512).stopped, false);
  assert.equal(caught({ log: "ls | grep x\n".repeat(50_000) }).capped, false);
  // A row of the header's width left: stopped.
  assert.equal(readTextTables(csv + "John Smith,078051120\n", 4096).stopped, true);
});
