import assert from "node:assert/strict";
import { displayWidth } from "../../src/config/display_width.ts";
import { formatStatusTable } from "../../src/config/format_status_table.ts";
import type { ServerStatus } from "../../src/config/status_report.ts";

Deno.test("displayWidth() counts wide characters and emoji as two columns, combining marks as none", () => {
  const vectors: [string, number][] = [
    ["fs", 2],
    ["", 0],
    ["日本語", 6],
    ["한국어", 6],
    ["ｆｕｌｌ", 8], // fullwidth forms
    ["カナ", 4],
    ["café", 4],
    ["cafe\u0301", 4], // e + combining acute
    ["👍", 2],
    ["👨\u200d👩\u200d👧", 2], // one emoji joined of three
    ["🇯🇵", 2], // a flag: two regional indicators
    ["\u2764\ufe0f", 2], // a pictograph shown as emoji
    ["\u2764", 1], // the same shown as text
    ["x\u200by", 2], // zero-width space
    ["fs-日本", 7],
  ];
  for (const [text, columns] of vectors) {
    assert.equal(displayWidth(text), columns, JSON.stringify(text));
  }
});

function server(name: string): ServerStatus {
  return {
    name,
    project: null,
    transport: "stdio",
    disabled: false,
    governed: false,
    state: "ungoverned",
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
  };
}

Deno.test("formatStatusTable() lines up its columns after a CJK or emoji server name", () => {
  const names = ["日本語", "fs", "📁files", "cafe\u0301"];
  const text = formatStatusTable({
    servers: names.map(server),
    summary: {
      servers: 4,
      governed: 0,
      ungoverned: 4,
      notUnderstood: 0,
      notApplicable: 0,
      drifted: 0,
      refused: 0,
      cannotStart: 0,
    },
  });
  const lines = text.split("\n");
  const header = lines[0]!;
  const governedAt = displayWidth(header.slice(0, header.indexOf("Governed")));
  for (const name of names) {
    const line = lines.find((l) => l.startsWith(name))!;
    // The ✗ of the Governed column is in the same terminal column on every row.
    assert.equal(displayWidth(line.slice(0, line.indexOf("✗"))), governedAt, line);
  }
});
