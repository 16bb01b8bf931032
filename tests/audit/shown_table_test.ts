/**
 * `thoth audit show`'s table past `keepAtMost` rows holds none of them: the
 * log is read again for the column widths, then again to print, and the
 * lines are those of the table made from rows held, whatever the filters
 * (a `--server` judged by a decision a later record replaced, or a session
 * started after a record named it), with joins a later record gives (an
 * approval after its decision), a damaged line and a line still being
 * written. The readings again stop at the lines the first reading read: a
 * record appended in between is not printed (it was neither chain-checked
 * nor joined).
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import { leafHashSync } from "../../src/audit/merkle_hash.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { segmentName } from "../../src/audit/log_paths.ts";
import { tableRow } from "../../src/audit/format_records.ts";
import { readShownRecords, type ShowFilters } from "../../src/audit/shown_records.ts";
import { printShownTable } from "../../src/audit/shown_table.ts";

type Rec = Record<string, unknown>;

const decision = (session: string, server: string, id: string, verdict: string, tool: string) => ({
  type: "decision",
  session,
  server,
  tool,
  decisionId: id,
  verdict,
  ruleIds: verdict === "allow" ? [] : ["r1"],
  reasons: verdict === "allow" ? [] : ['rule "r1": no'],
  mode: "enforce",
  effect: verdict === "block" ? "blocked" : "forwarded",
});

const EVENTS: (Rec | string)[] = [
  { type: "session_start", session: "s1", server: "alpha", envKeys: [] },
  // An outcome before its decision.
  { type: "outcome", session: "s1", decisionId: "d-1", isError: false, durationMs: 3 },
  decision("s1", "beta", "d-1", "allow", "t1"),
  // A session named before its session_start.
  { type: "cancellation", session: "s2", reason: "client went away" },
  { type: "session_start", session: "s2", server: "gamma", envKeys: [] },
  decision("s2", "gamma", "d-2", "block", "t2"),
  "a damaged line",
  { type: "outcome", session: "s2", decisionId: "d-2", isError: true, durationMs: 1 },
  // One decision id, two servers: the last one counts.
  decision("s2", "delta", "d-2", "allow", "a-much-longer-tool-name"),
  decision("s1", "alpha", "d-3", "step_up", "t3"),
  // An approval after its decision: the decision's DETAIL names its approver.
  {
    type: "approval",
    session: "s1",
    decisionId: "d-3",
    channel: "dialog",
    approver: "ana",
    outcome: "approved",
    scope: "once",
    latencyMs: 900,
  },
  { type: "session_end", session: "s2" },
];

/** Writes EVENTS as a chained log in two segments, the second ending in a partial line. */
async function writeLog(): Promise<string> {
  const dir = `${await tempFolder("thoth-shown-table-")}/audit`;
  await Deno.mkdir(dir, { recursive: true });
  const encoder = new TextEncoder();
  let prev = GENESIS_PREV;
  const lines = EVENTS.map((event, seq) => {
    if (typeof event === "string") return event;
    const ts = new Date(Date.UTC(2026, 2, 1, 9, 0, seq)).toISOString();
    const line = `{"v":1,"seq":${seq},"ts":"${ts}","prev":"${prev}",` +
      JSON.stringify(event).slice(1);
    prev = toHex(leafHashSync(encoder.encode(line)));
    return line;
  });
  const half = 6;
  await Deno.writeTextFile(
    `${dir}/${segmentName(0, "2026-03-01")}`,
    lines.slice(0, half).join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${dir}/${segmentName(half, "2026-03-01")}`,
    lines.slice(half).join("\n") + "\n" + '{"type":"partial line without its newline"',
  );
  return dir;
}

/** The table's lines as `show` prints them, holding at most `keepAtMost` rows. */
async function table(dir: string, filters: ShowFilters, keepAtMost?: number): Promise<string[]> {
  const shown = await readShownRecords(dir, filters, {
    joins: true,
    keep: (line) => tableRow(line.record!),
    ...(keepAtMost === undefined ? {} : { keepAtMost }),
  });
  assert.equal(shown.again !== undefined, shown.kept.length === 0 && keepAtMost !== undefined);
  const lines: string[] = [];
  await printShownTable(shown, (line) => lines.push(line));
  return lines;
}

const ALL = { since: -Infinity, until: Infinity };

Deno.test("show's table past the rows it holds prints what the table of rows held prints", async () => {
  const dir = await writeLog();
  const cases: ShowFilters[] = [
    ALL,
    { ...ALL, server: "alpha" },
    { ...ALL, server: "beta" },
    { ...ALL, server: "gamma" },
    { ...ALL, server: "delta" },
    { ...ALL, verdict: "step_up" },
    { ...ALL, effect: "blocked" },
  ];
  for (const filters of cases) {
    const held = await table(dir, filters);
    for (const most of [0, 1, 2, 3, 1000]) {
      assert.deepEqual(
        await table(dir, filters, most),
        held,
        `${JSON.stringify(filters)} at most ${most}`,
      );
    }
  }
  // Not all alike: the widths come from a row far from the first, a join from a later record.
  const all = await table(dir, ALL, 1);
  assert.equal(all.length, 12, all.join("\n"));
  assert.match(all.find((l) => / d-3 /.test(l) && / decision /.test(l))!, /ana/);
  assert.ok(all.every((l) => l.length <= all[0]!.length + 40));
});

Deno.test("show's table read again stops at the lines the first reading read", async () => {
  const dir = await writeLog();
  const shown = await readShownRecords(dir, ALL, {
    joins: true,
    keep: (line) => tableRow(line.record!),
    keepAtMost: 1,
  });
  // The partial line is finished and a record appended after it, as a writer would.
  const newest = `${dir}/${segmentName(6, "2026-03-01")}`;
  await Deno.writeTextFile(
    newest,
    "}\n" +
      '{"v":1,"seq":99,"ts":"2026-03-01T09:00:30.000Z","type":"session_end","session":"late"}\n',
    {
      append: true,
    },
  );
  const lines: string[] = [];
  await printShownTable(shown, (line) => lines.push(line));
  assert.equal(lines.length, 12, lines.join("\n"));
  assert.ok(!lines.some((l) => / 99 /.test(l) || /late/.test(l)), lines.join("\n"));
});
