/**
 * One time rule for a record written late, in `audit show`'s TIME column,
 * its --since/--until and `audit export`'s period: a log whose session was
 * taken in from a killed session's spool (decided 20:32:13, written
 * 20:33:20; see `_taken_in_log.ts`) shows those records at 20:32:13 with
 * when they were written in DETAIL, a printed time pasted into both bounds
 * selects its rows, and the minute they were decided in exports them into a
 * bundle that verifies. A `show` that matches nothing says so on stderr,
 * naming the filters and the servers the log holds. The real CLI as a
 * subprocess; temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { runThoth } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { tableCells } from "./_table_cells.ts";
import { DECIDED_AT, TAKEN_IN_DAY, TAKEN_IN_DECISION, takenInLog } from "./_taken_in_log.ts";

const home = await takenInLog(await tempFolder("thoth-taken-in-"));

function thoth(...args: string[]) {
  return runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

Deno.test("audit show prints a record written late at its decision's time, with when it was written, and selects it by that time", async () => {
  const minute = `${TAKEN_IN_DAY}T20:32`;
  const shown = await thoth("audit", "show", "--since", minute, "--until", minute);
  assert.equal(shown.code, 0, shown.err);
  const rows = tableCells(shown.out);
  assert.deepEqual(rows.map((r) => r["SEQ"]), ["7", "8", "9"], shown.out);
  for (const row of rows) {
    assert.equal(row["TIME (UTC)"], `${TAKEN_IN_DAY} 20:32:13`, shown.out);
    assert.match(row["DETAIL"]!, new RegExp(`^written late \\(${TAKEN_IN_DAY} 20:33:20\\)`));
  }
  // A time show printed, pasted into both bounds, selects its rows.
  const printed = rows[0]!["TIME (UTC)"]!;
  const again = await thoth("audit", "show", "--since", printed, "--until", printed);
  assert.deepEqual(tableCells(again.out).map((r) => r["SEQ"]), ["7", "8", "9"], again.out);
  // The time they were written selects only what was decided then.
  const written = await thoth(
    "audit",
    "show",
    "--since",
    `${TAKEN_IN_DAY} 20:33:20`,
    "--until",
    `${TAKEN_IN_DAY} 20:33:20`,
  );
  const seqs = tableCells(written.out).map((r) => r["SEQ"]);
  assert.ok(!seqs.includes("8"), written.out);
  for (const row of tableCells(written.out)) {
    assert.equal(row["TIME (UTC)"], `${TAKEN_IN_DAY} 20:33:20`, written.out);
  }
  // --json keeps both times as stored.
  const json = await thoth("audit", "show", "--json", "--since", minute, "--until", minute);
  const decision = json.out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
    .find((r) => r["decisionId"] === TAKEN_IN_DECISION);
  assert.equal(decision?.["decidedAt"], DECIDED_AT, json.out);
  assert.equal(decision?.["ts"], `${TAKEN_IN_DAY}T20:33:20.000Z`, json.out);
});

Deno.test("audit export of the minute a record written late was decided in exports it, and the bundle verifies", async () => {
  const minute = `${TAKEN_IN_DAY}T20:32`;
  const output = `${await tempFolder("thoth-taken-in-export-")}/bundle`;
  const exported = await thoth(
    "audit",
    "export",
    "--since",
    minute,
    "--until",
    minute,
    "--output",
    output,
  );
  assert.equal(exported.code, 0, exported.err);
  // Its records, extended to the checkpoint that covers them.
  assert.match(exported.out, /^exported records 7\.\.12 /, exported.out);
  const manifest = JSON.parse(Deno.readTextFileSync(`${output}/manifest.json`));
  assert.deepEqual(manifest.requested, { firstSeq: 7, lastSeq: 9 });
  const verified = await thoth("audit", "verify", "--bundle", output);
  assert.equal(verified.code, 0, verified.out + verified.err);
});

Deno.test("audit show that matches no record says so on stderr, naming the filters and the servers the log holds", async () => {
  const table = await thoth("audit", "show", "--server", "FS", "--since", TAKEN_IN_DAY);
  assert.equal(table.code, 0, table.err);
  assert.deepEqual(tableCells(table.out), [], table.out);
  assert.match(table.err, /^thoth: no records match --since "2026-11-30" --server "FS"$/m);
  assert.match(table.err, /exactly \(case counts, no globs\): did you mean fs\?$/m);
  assert.match(table.err, /^thoth: hint: the log holds records of 1 server: fs$/m);
  const json = await thoth("audit", "show", "--json", "--server", "f*");
  assert.equal(json.code, 0, json.err);
  assert.equal(json.out, "", "--json prints no line");
  assert.match(json.err, /^thoth: no records match --server "f\*"$/m);
  assert.match(json.err, /^thoth: hint: the log holds records of 1 server: fs$/m);
  const none = await thoth("audit", "show", "--decision", "block");
  assert.match(none.err, /^thoth: no records match --decision "block"$/m);
  assert.doesNotMatch(none.err, /hint/, "the servers are named only for --server");
  // Something matched: nothing said.
  const some = await thoth("audit", "show", "--server", "fs");
  assert.equal(some.err, "");
});
