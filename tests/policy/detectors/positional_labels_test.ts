/**
 * Values labelled by position, not by key: a table's header row names the
 * column of each cell (CSV and TSV, Markdown tables, SQL inserts, a sheet's
 * 2-D values), and a key's PEM lines given as an array's elements.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import { LABEL_READERS, textTables } from "../../../src/policy/detectors/positional_labels.ts";
import { headerNames } from "../../../src/policy/detectors/text_table.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ALL = { kinds: new Set(["phi", "pii", "secret"] as const) };

/** The sorted `type at path` lines of a scan. */
function found(args: unknown): string[] {
  return scanArguments(args, ALL).findings.map((f) => `${f.type} at ${f.path}`).sort();
}

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

Deno.test("evaluate() finds a private key whose lines are an array's elements", () => {
  const observations = [{
    entityName: "ops",
    contents: [
      "-----BEGIN RSA PRIVATE KEY-----",
      "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8Zk2Lw4pQ7d0x1N5Cq2X",
      "8Zk2Lw4pQ7d0x1N5Cq2XMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi",
      "-----END RSA PRIVATE KEY-----",
    ],
  }];
  const verdict = evaluate(
    policy,
    toolCall("memory", "add_observations", { observations }),
    {},
  );
  assert.notEqual(verdict.decision, "allow");
  assert.deepEqual(found({ observations }), ["private_key at observations[0].contents[0]"]);
  // A blank line, or an encrypted key's headers, may come between.
  for (
    const lines of [
      ["  -----BEGIN OPENSSH PRIVATE KEY-----  ", "", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE"],
      ["-----BEGIN EC PRIVATE KEY-----", "MHcCAQEEIBkg4LVWM9nuwNSk3yBxFvQ8hWJe"],
      ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "Version: GnuPG v2", "lQOYBF0"],
      ["-----BEGIN ENCRYPTED PRIVATE KEY-----", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq"],
    ]
  ) assert.deepEqual(found({ lines }), ["private_key at lines[0]"], lines[0]);
});

Deno.test("scanArguments() does not take a key header alone or a public key for a key", () => {
  assert.deepEqual(found({ lines: ["-----BEGIN RSA PRIVATE KEY-----"] }), []);
  assert.deepEqual(found({ lines: ["-----BEGIN RSA PRIVATE KEY-----", "is the header", "x"] }), []);
  assert.deepEqual(
    found({ lines: ["-----BEGIN PUBLIC KEY-----", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMII"] }),
    [],
  );
  assert.deepEqual(
    found({ lines: ["the header is", "-----BEGIN RSA PRIVATE KEY-----", "when it appears"] }),
    [],
  );
});

/** Each call steps up under the default policy, as the same values under their keys do. */
const TABLES: [string, string, Record<string, unknown>, string[]][] = [
  ["a CSV file", "write_file", {
    path: "/tmp/p.csv",
    content: "name,ssn,dob\nJohn Smith,078051120,1961-03-04\n",
  }, ["date_of_birth at content[dob]", "us_ssn at content[ssn]"]],
  ["a CSV file with an MRN column", "write_file", {
    path: "/tmp/p.csv",
    content: "name,dob,mrn\r\nJohn Smith,1961-03-04,00123456\r\n",
  }, ["date_of_birth at content[dob]", "mrn at content[mrn]"]],
  // A name written for people (`Date of Birth`) is shown by its position, as a key with a space is.
  ["a TSV file", "write_file", {
    path: "/tmp/p.tsv",
    content: "Name\tSSN\tDate of Birth\nJohn Smith\t078051120\t1961-03-04\n",
  }, ["date_of_birth at content[#c2]", "us_ssn at content[SSN]"]],
  ["a CSV file with quoted fields", "write_file", {
    path: "/tmp/p.csv",
    content: '"name","note","Social Security Number"\n' +
      '"Smith, John","said ""hi"",\nthen left",078051120\n',
  }, ["us_ssn at content[#c2]"]],
  ["a Markdown table", "write_file", {
    path: "/tmp/p.md",
    content: "# Patients\n\n| Name | SSN |\n|---|---|\n| John Smith | 078051120 |\n",
  }, ["us_ssn at content[SSN]"]],
  ["an SQL insert", "query", {
    sql: "INSERT INTO patients (name, ssn, dob) VALUES ('John Smith', '078051120', '1961-03-04')",
  }, ["date_of_birth at sql[dob]", "us_ssn at sql[ssn]"]],
  ["an SQL insert of several rows, identifiers quoted", "query", {
    sql: "insert into \"patients\" (\"name\", `mrn`) values\n  ('O''Brien', now()),\n" +
      "  ('Jane Roe', 00123456);",
  }, ["mrn at sql[mrn]"]],
  ["a sheet's values", "update_values", {
    range: "A1:C2",
    values: [["Name", "SSN", "DOB"], ["John Smith", "078051120", "03/04/1961"]],
  }, ["date_of_birth at values[1][2]", "us_ssn at values[1][1]"]],
  ["a sheet's values with numbers", "update_values", {
    values: [["Name", "SSN"], ["John Smith", 78051120]],
  }, ["us_ssn at values[1][1]"]],
];

Deno.test("evaluate() reads a table's cells under their column's name", () => {
  for (const [name, tool, args, expected] of TABLES) {
    assert.deepEqual(found(args), expected, name);
    const verdict = evaluate(policy, toolCall("files", tool, args), {});
    assert.equal(verdict.decision, "step_up", name);
    assert.ok(verdict.riskScore > 0, name);
  }
});

Deno.test("scanArguments() reads a table in JSON held in a string, found at the string", () => {
  const body = JSON.stringify({ csv: "name,ssn\nJohn Smith,078051120\n" });
  assert.deepEqual(found({ body }), ["us_ssn at body"]);
});

Deno.test("scanArguments() finds nothing in tables of orders, packages and versions", () => {
  const clean: [string, unknown][] = [
    ["orders", { content: "order_id,zip,total\n100245123,94107,12.50\n100245124,10001,8.00\n" }],
    ["ids", { content: "id,name,account\n123456789,Widget,078051120\n" }],
    ["packages", { content: "package,version,license\nlodash,4.17.21,MIT\nreact,18.2.0,MIT\n" }],
    ["versions", {
      content: "## Versions\n\n| Package | Version | Released |\n|:--|:-:|--:|\n" +
        "| thoth | 1.2.3 | 2026-04-02 |\n| deno | 2.9.6 | 2026-03-04 |\n",
    }],
    ["rooms", { content: "| Name | Room |\n|---|---|\n| Lab | B12.3 |\n" }],
    ["a sheet of ids", { values: [["id", "name"], [123456789, "Widget"], ["078051120", "x"]] }],
    ["SQL of orders", {
      sql: "INSERT INTO orders (id, zip, placed) VALUES (123456789, '94107', '1961-03-04')",
    }],
    ["prose", { content: "Hello, world\nJohn Smith, 078051120\n" }],
    ["a sentence first", {
      content: "Dear Dr Roe, here are the ssn and dob\nJohn Smith, 078051120\n",
    }],
    ["a data line first", { content: "John Smith,078051120,1961-03-04\nJane Roe,1,2\n" }],
    ["rows of another width", { content: "name,ssn\nJohn Smith,078051120,extra\n" }],
  ];
  for (const [name, args] of clean) assert.deepEqual(found(args), [], name);
});

Deno.test("textTables() reads the header's names and rows of as many cells", () => {
  assert.deepEqual(textTables("name,ssn\nJohn Smith,078051120\n", 1024)?.tables, [
    { header: ["name", "ssn"], rows: [["John Smith", "078051120"]] },
  ]);
  assert.deepEqual(
    textTables('\ufeff"a","b"\n"x, y","line\none ""q"""\n', 1024)?.tables,
    [{ header: ["a", "b"], rows: [["x, y", 'line\none "q"']] }],
  );
  // An unterminated quote runs to the end and ends quietly.
  assert.deepEqual(textTables('a,b\n"x,y\n', 1024), undefined);
  assert.deepEqual(textTables("a;b\n1;2\n", 1024)?.tables, [{
    header: ["a", "b"],
    rows: [["1", "2"]],
  }]);
  // Text with no line break and no parenthesis holds none.
  assert.equal(textTables("name,ssn John Smith,078051120", 1024), undefined);
  // Columns: 2 to 200, each a name.
  const wide = Array.from({ length: 201 }, (_, i) => `c${i}`);
  assert.deepEqual(textTables(`${wide.join(",")}\n${wide.join(",")}\n`, 1 << 20), undefined);
  assert.deepEqual(textTables("name\nJohn\n", 1024), undefined);
  assert.deepEqual(textTables("name,date (UTC)\nx,y\n", 1024), undefined);
  // Markdown: escaped pipes stay in their cell; rows end at a line without a pipe.
  assert.deepEqual(
    textTables("| a | b |\n| --- | --- |\n| x \\| y | z |\n\n| not | read |", 1024)?.tables,
    [{ header: ["a", "b"], rows: [["x \\| y", "z"]] }],
  );
  // The room bounds the rows read.
  const rows = "a,b\n" + "1,2\n".repeat(100);
  assert.ok(textTables(rows, 200)!.tables[0]!.rows.length < 10);
  assert.equal(textTables(rows, 1 << 20)!.tables[0]!.rows.length, 100);
});

Deno.test("headerNames() takes 2 to 200 names and nothing else", () => {
  assert.deepEqual(headerNames([" Name ", "SSN #", "D.O.B.", "zip-code"]), [
    "Name",
    "SSN #",
    "D.O.B.",
    "zip-code",
  ]);
  assert.equal(headerNames(["Name"]), undefined);
  assert.equal(headerNames(["John Smith", "078051120"]), undefined);
  assert.equal(headerNames(["name", 1]), undefined);
  assert.equal(headerNames(["name", "x".repeat(65)]), undefined);
  assert.equal(headerNames(["name", "the patient ssn is on file"]), undefined);
});

Deno.test("every detector outside LABEL_READERS answers the same under any label", () => {
  const values = [
    "078051120",
    "1961-03-04",
    "00123456",
    "1234567893",
    "AB1234563",
    "E11.9",
    "Bearer abcdefghijklmnop1234",
    "Tr0ub4dor&3x",
    "jane@example.org",
    "4111111111111111",
    "+1 415 555 0100",
  ];
  const labels = ["ssn", "dob", "mrn", "npi", "dea", "diagnosis", "authorization", "password"];
  for (const d of DETECTORS) {
    if (LABEL_READERS.has(d.type)) continue;
    for (const v of values) {
      for (const l of labels) {
        assert.equal(d.detect(v, l), d.detect(v, undefined), `${d.type} on ${v} under ${l}`);
      }
    }
  }
  for (const type of LABEL_READERS) assert.ok(DETECTORS.some((d) => d.type === type), type);
});
