/**
 * `findingLines()` prints each finding as the verify report always has, up
 * to 20 of a kind and severity, then one line with how many more there are
 * and between which seqs, right after the last one printed; findings of
 * other kinds keep their places.
 */
import assert from "node:assert/strict";
import { findingLines, FINDINGS_SHOWN_PER_KIND } from "../../src/audit/finding_lines.ts";
import type { Finding } from "../../src/audit/finding.ts";

const open = (seq: number, severity: Finding["severity"] = "warning"): Finding => ({
  kind: "session_without_end",
  severity,
  seq,
  message: `session s-${seq} has no session end record`,
});

Deno.test("findingLines() prints every finding when none of its kind passes the cap", () => {
  const findings: Finding[] = [
    { kind: "truncated", severity: "tamper", seq: 28, toSeq: 27, message: "cut" },
    { kind: "modified", severity: "tamper", seq: 3, toSeq: 5, message: "changed" },
    { kind: "torn_tail", severity: "warning", message: "partial" },
    ...Array.from({ length: FINDINGS_SHOWN_PER_KIND }, (_, i) => open(100 + i)),
  ];
  const lines = findingLines(findings);
  assert.equal(lines.length, findings.length);
  assert.deepEqual(lines.slice(0, 4), [
    "  tamper  truncated seq 28: cut",
    "  tamper  modified seq 3..5: changed",
    "  warning torn_tail: partial",
    "  warning session_without_end seq 100: session s-100 has no session end record",
  ]);
});

Deno.test("findingLines() prints 20 of a kind, then how many more and where, and keeps the other kinds", () => {
  const findings: Finding[] = [];
  for (let seq = 0; seq < 1000; seq++) {
    findings.push(open(seq));
    if (seq === 5 || seq === 500) {
      findings.push({ kind: "clock_went_back", severity: "warning", seq, message: "back" });
    }
  }
  // Of the same kind, another severity: counted apart.
  findings.push(open(2000, "info"));
  findings.push({
    kind: "session_without_end",
    severity: "warning",
    seq: 990,
    toSeq: 1500,
    message: "a range",
  });
  const lines = findingLines(findings);
  const shown = FINDINGS_SHOWN_PER_KIND;
  assert.equal(lines.length, shown + 1 + 2 + 1);
  assert.equal(lines[6], "  warning clock_went_back seq 5: back");
  assert.equal(
    lines[shown],
    `  warning session_without_end seq ${shown - 1}: session s-19 has no session end record`,
  );
  assert.equal(
    lines[shown + 1],
    `  warning session_without_end: and ${1001 - shown} more of this kind, from seq ${shown} ` +
      "to seq 1500 (not printed; --json lists every finding)",
  );
  assert.deepEqual(lines.slice(shown + 2), [
    "  warning clock_went_back seq 500: back",
    "  info    session_without_end seq 2000: session s-2000 has no session end record",
  ]);
});

Deno.test("findingLines() counts findings left out that name no seq without a span", () => {
  const findings: Finding[] = Array.from({ length: FINDINGS_SHOWN_PER_KIND + 2 }, () => ({
    kind: "not_regular_file",
    severity: "warning",
    message: "a link",
  }));
  const lines = findingLines(findings);
  assert.equal(
    lines.at(-1),
    "  warning not_regular_file: and 2 more of this kind (not printed; --json lists every finding)",
  );
  assert.equal(lines.length, FINDINGS_SHOWN_PER_KIND + 1);
});
