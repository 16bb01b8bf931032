/**
 * formatStatusTable() and formatPlanReport() show what a config holds (server
 * names, projects, commands quoted in notes and reasons, paths) with every
 * control character, escape sequence and bidirectional override as `?`, and
 * measure their columns after that: a server name cannot erase the row above
 * it, print a forged "governed" row, hide the summary or write to the
 * clipboard (OSC 52).
 */
import assert from "node:assert/strict";
import { formatStatusTables } from "../../src/config/format_status_table.ts";
import { formatPlanReport } from "../../src/config/format_plan_report.ts";
import type { ServerStatus, StatusReport } from "../../src/config/status_report.ts";
import type { ConfigPlan } from "../../src/config/config_plan.ts";
import { displayWidth } from "../../src/config/display_width.ts";

/** Moves up a line, erases it, and prints a governed row in its place; then hides what follows. */
const FORGED = "exfil\u001b[1A\u001b[2K\rgdrive    \u2713 governed\u001b[8m";
/** Writes "hello" to the clipboard of a terminal that honours OSC 52. */
const CLIPBOARD = "/bin/cat\u001b]52;c;aGVsbG8=\u0007";
/** Shows what follows right to left, and a C1 CSI, a DEL and a line break. */
const BIDI = "ok\u202Exe.txt\u009b2J\u007f\nfake line\u2066";

/** What a terminal could act on: C0 (but the line ends), DEL, C1, bidi and other format characters. */
function unsafe(text: string): string[] {
  return [...text].filter((c) =>
    (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(c) && c !== "\n") || c === "\u202E"
  );
}

function server(fields: Partial<ServerStatus>): ServerStatus {
  const state = fields.state ?? "ungoverned";
  return {
    name: "fs",
    project: null,
    transport: "stdio",
    disabled: false,
    governed: state === "governed",
    state,
    agentId: null,
    tenantId: null,
    tenantIdSource: null,
    intent: null,
    intentSource: null,
    enforcementMode: null,
    command: "npx",
    upstreamCommand: null,
    drift: [],
    refusals: [],
    cannotStart: [],
    warnings: [],
    note: null,
    ...fields,
  };
}

function report(servers: ServerStatus[]): StatusReport {
  return {
    servers,
    summary: {
      servers: servers.length,
      governed: 1,
      ungoverned: servers.length - 1,
      notUnderstood: 0,
      notApplicable: 0,
      drifted: 0,
      refused: 0,
      cannotStart: 0,
    },
  };
}

Deno.test("formatStatusTable() shows control characters of names, projects and notes as ?", () => {
  const text = formatStatusTables([{
    path: `/home/ana/src/x\u001b]0;PWNED\u0007/.mcp.json`,
    report: report([
      server({ name: "gdrive", state: "governed", agentId: "gdrive", enforcementMode: "block" }),
      server({ name: FORGED, project: `/p/${BIDI}`, note: `"${CLIPBOARD}" does not exist` }),
      server({
        name: BIDI,
        state: "governed",
        agentId: "a\u001b[31m",
        intent: "i\u202E",
        intentSource: "intent_map",
        enforcementMode: "block\u0007",
        drift: ["args\u001b[2J"],
      }),
    ]),
  }]);
  assert.deepEqual(unsafe(text), []);
  const lines = text.split("\n");
  assert.equal(lines[0], "/home/ana/src/x?]0;PWNED?/.mcp.json");
  // One line per row: nothing a name holds starts another, so the summary is the last line.
  assert.equal(lines.length, 2 + 2 + 3 + 2 + 1);
  assert.match(lines.at(-2)!, /^1 governed, 2 ungoverned stdio, 0 drifted$/);
  const forged = lines.find((line) => line.startsWith("exfil"))!;
  assert.ok(
    forged.startsWith("exfil?[1A?[2K?gdrive    ✓ governed?[8m (/p/ok?xe.txt?2J??fake line?)"),
    forged,
  );
  assert.match(forged, / ✗ /);
  assert.ok(forged.endsWith(`"/bin/cat?]52;c;aGVsbG8=?" does not exist`), forged);
  const bidi = lines.find((line) => line.startsWith("ok?xe"))!;
  assert.match(bidi, / a\?\[31m +i\? \(intent map\) +block\? +args\?\[2J$/);
  // The columns are measured on what is shown: each row's mark starts where the header's does.
  const at = lines[2]!.indexOf("Governed");
  for (const row of lines.slice(4, 7)) assert.match(row.slice(at), /^[✓✗] /, row);
});

Deno.test("formatPlanReport() shows control characters of names, projects and reasons as ?", () => {
  const plan: ConfigPlan = {
    text: "",
    changed: true,
    warnings: [],
    servers: [
      { name: FORGED, action: "wrapped", reasons: [`runs "${CLIPBOARD}"`], warnings: [] },
      { name: "fs", project: `/p/${BIDI}`, action: "unchanged", reasons: ["ok"], warnings: [] },
      { name: "日本", action: "skipped", reasons: ["x"], warnings: [] },
    ],
  };
  const text = formatPlanReport(plan);
  assert.deepEqual(unsafe(text), []);
  const lines = text.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(
    lines[0],
    `  wrapped    exfil?[1A?[2K?gdrive    ✓ governed?[8m  runs "/bin/cat?]52;c;aGVsbG8=?"`,
  );
  assert.ok(lines[1]!.startsWith("  unchanged  fs (/p/ok?xe.txt?2J??fake line?)  "), lines[1]);
  // The reasons line up in terminal columns, a wide name padded by the columns it takes.
  const column = displayWidth(lines[0]!.slice(0, lines[0]!.indexOf('runs "')));
  assert.equal(displayWidth(lines[1]!.slice(0, lines[1]!.lastIndexOf(" ok") + 1)), column);
  assert.equal(displayWidth(lines[2]!.slice(0, lines[2]!.lastIndexOf(" x") + 1)), column);
});
