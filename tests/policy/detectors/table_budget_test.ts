/**
 * The budget of table readings: a value a table labels only by its column
 * (`078051120` under a `ssn` header) is found, or the scan is capped, however
 * far down, however long its cell and however wide its table. A table the
 * budget reads whole is not capped, and the budget reads whole any table
 * within the scan's text limit: only more cells than that much text holds
 * (a sheet of empty strings) spend it.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { readTextTables, tableBudget } from "../../../src/policy/detectors/positional_labels.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };
/** A text limit small enough that a few hundred rows pass it. */
const SMALL = { ...ALL, maxChars: 4096 };
const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

/** Whether the scan found the SSN, or was capped: either way the call does not pass. */
function caught(args: unknown, options = ALL): { ssn: boolean; capped: boolean } {
  const r = scanArguments(args, options);
  return { ssn: r.findings.some((f) => f.type === "us_ssn"), capped: r.capped };
}

const columns = (n: number, last: string) =>
  Array.from({ length: n }, (_, i) => i === n - 1 ? last : `c${i}`);

Deno.test("a CSV whose SSN row lies past the text limit caps the scan", () => {
  // 300,000 rows of two one-letter cells: 1.2 MB, past the 1 MiB the scan reads at all.
  const csv = "name,ssn\n" + "a,b\n".repeat(300_000) + "John Smith,078051120\n";
  const r = scanArguments({ content: csv }, ALL);
  assert.deepEqual(caught({ content: csv }), { ssn: false, capped: true });
  assert.deepEqual(r.cappedBy, ["size"]);
  const verdict = evaluate(policy, toolCall("files", "write_file", { content: csv }), {});
  assert.equal(verdict.decision, "step_up");
  assert.ok(verdict.ruleIds.includes("detector.scan_capped"), verdict.ruleIds.join());
  // Within the limit the same row is found and nothing is capped: 20,000 rows of one-letter
  // cells (80 KB) spent the old budget of 1 MiB at 32 characters a cell.
  const fits = "name,ssn\n" + "a,b\n".repeat(20_000) + "John Smith,078051120\n";
  assert.deepEqual(caught({ content: fits }), { ssn: true, capped: false });
  // TSV, and a small limit.
  const tsv = "name\tssn\n" + "a\tb\n".repeat(1_200) + "John Smith\t078051120\n";
  assert.deepEqual(caught({ content: tsv }, SMALL), { ssn: false, capped: true });
  const small = "name\tssn\n" + "a\tb\n".repeat(800) + "John Smith\t078051120\n";
  assert.deepEqual(caught({ content: small }, SMALL), { ssn: true, capped: false });
});

Deno.test("a row the room cuts short leaves the reading stopped", () => {
  // The room ends inside the last row's SSN: the cut cell reads `0780…`.
  for (let rows = 40; rows < 70; rows++) {
    const csv = "name,ssn\n" + "aaaa,bbbb\n".repeat(rows) + "John Smith,078051120";
    const read = readTextTables(csv, 4096);
    const found = read.tables.some((t) => t.rows.some((row) => row[1] === "078051120"));
    assert.ok(found || read.stopped, `${rows} rows`);
  }
});

/** A sheet of `rows` rows of empty cells under `header`: cells the text scan counts nothing for. */
const emptySheet = (header: string[], rows: number) => [
  header,
  ...Array.from({ length: rows }, () => header.map(() => "")),
];

Deno.test("sheets that fit the budget one by one and not together cap the scan", () => {
  // 2,105 rows of two empty cells cost 134,720 of the 135,168 a 4 KiB limit gives.
  assert.equal(tableBudget(SMALL.maxChars), 135_168);
  const a = emptySheet(["name", "x"], 2_105);
  const b = [...emptySheet(["name", "ssn"], 10), ["John Smith", "078051120"]];
  assert.deepEqual(caught({ a }, SMALL), { ssn: false, capped: false });
  assert.deepEqual(caught({ b }, SMALL), { ssn: true, capped: false });
  assert.deepEqual(caught({ a, b }, SMALL), { ssn: false, capped: true });
  assert.deepEqual(scanArguments({ a, b }, SMALL).cappedBy, ["table"]);
});

Deno.test("Markdown tables, SQL inserts and sheets past the room stop the reading", () => {
  /** Whether reading `text` within `room` found the SSN, or stopped. */
  const read = (text: string, room: number) => {
    const r = readTextTables(text, room);
    return {
      ssn: r.tables.some((t) => t.rows.some((row) => row.includes("078051120"))),
      stopped: r.stopped,
    };
  };
  const markdown = "| a | b |\n|---|---|\n" + "| x | y |\n".repeat(100) +
    "\n| Name | SSN |\n|---|---|\n| John Smith | 078051120 |\n";
  assert.deepEqual(read(markdown, 4096), { ssn: false, stopped: true });
  assert.deepEqual(read(markdown, tableBudget(markdown.length)), { ssn: true, stopped: false });
  const sql = "INSERT INTO t (a, b) VALUES " + "('x','y'),".repeat(100) + "('x','y');\n" +
    "INSERT INTO p (name, ssn) VALUES ('John Smith','078051120');";
  assert.deepEqual(read(sql, 4096), { ssn: false, stopped: true });
  assert.deepEqual(read(sql, tableBudget(sql.length)), { ssn: true, stopped: false });
  const tuples = "INSERT INTO p (name, ssn) VALUES " + "('x','y'),".repeat(100) +
    "('John Smith','078051120');";
  assert.deepEqual(read(tuples, 4096), { ssn: false, stopped: true });
  assert.deepEqual(read(tuples, tableBudget(tuples.length)), { ssn: true, stopped: false });
  // A sheet's empty cells cost the text scan nothing and the table budget 32 each.
  const values = [...emptySheet(["name", "ssn"], 2_200), ["John Smith", "078051120"]];
  const sheet = scanArguments({ values }, { ...ALL, maxChars: 4096 });
  assert.ok(sheet.scannedChars < 4096);
  assert.equal(sheet.findings.some((f) => f.type === "us_ssn"), false);
  assert.deepEqual(sheet.cappedBy, ["table"]);
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
    assert.deepEqual(scanArguments({ content }, ALL).cappedBy, ["table"], name);
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
