/**
 * `thoth audit tail`'s table: an approval whose decision is older than the
 * newest records names its decision's server and tool (looked up in the
 * log); a `session_end` row says how the server ended; a `key_rotation` row
 * names the old and the new signing key; a record written late shows its
 * decision's time and when it was written, as `show` does; and `tail -f`
 * prints the header once, however many batches follow. The real CLI as a
 * subprocess over a log with a session taken in from a killed session's
 * spool (see `_taken_in_log.ts`); temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { CLEAN_ENV, runThoth } from "../cli/_thoth_process.ts";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { rotate, steppingClock } from "./_log_helpers.ts";
import { tableCells } from "./_table_cells.ts";
import { TAKEN_IN_DAY, TAKEN_IN_DECISION, takenInLog } from "./_taken_in_log.ts";

Deno.test("audit tail: a row whose decision is older than the newest records names its server and tool; session ends and key rotations say what happened", async () => {
  const home = await takenInLog(await tempFolder("thoth-tail-table-"));
  await rotate(home, `${TAKEN_IN_DAY}T20:40:00.000Z`);
  // seq 9 (the approval) onwards: its decision (seq 8) is not among them.
  const tail = await runThoth(["audit", "tail", "-n", "9"], {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
  });
  assert.equal(tail.code, 0, tail.err);
  const rows = tableCells(tail.out);
  assert.equal(rows[0]!["SEQ"], "9", tail.out);
  const approval = rows[0]!;
  assert.equal(approval["DECISION"], TAKEN_IN_DECISION);
  assert.equal(approval["SERVER"], "fs", tail.out);
  assert.equal(approval["TOOL"], "t", tail.out);
  // Written late: the decision's time, and when it was written.
  assert.equal(approval["TIME (UTC)"], `${TAKEN_IN_DAY} 20:32:13`, tail.out);
  assert.match(approval["DETAIL"]!, /^written late \(2026-11-30 20:33:20\); ana \(approved/);
  const ends = rows.filter((r) => r["TYPE"] === "session_end");
  assert.ok(ends.length >= 2, tail.out);
  for (const end of ends) assert.equal(end["DETAIL"], "exit 0", tail.out);
  const rotation = rows.find((r) => r["TYPE"] === "key_rotation");
  assert.ok(rotation !== undefined, tail.out);
  const stored = (await runThoth(["audit", "tail", "-n", "20", "--json"], {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
  })).out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
    .find((r) => r["type"] === "key_rotation");
  assert.equal(
    rotation["DETAIL"],
    `signing key ${stored["oldKeyHash"]} -> ${stored["newKeyHash"]}`,
    tail.out,
  );
});

Deno.test("audit tail -f prints the table's header once, then each new batch's rows under it", async () => {
  const home = await takenInLog(await tempFolder("thoth-tail-follow-"));
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      "-P=thoth",
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thoth.ts`,
      "audit",
      "tail",
      "-n",
      "2",
      "-f",
    ],
    cwd: home,
    clearEnv: true,
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let out = "";
  const reader = child.stdout.getReader();
  const waitFor = async (done: (text: string) => boolean, what: string) => {
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      while (!done(out)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`tail ended before ${what}: ${out}`);
        out += decoder.decode(value, { stream: true });
      }
    } finally {
      clearTimeout(deadline);
    }
  };
  try {
    await waitFor((text) => text.split("\n").length > 3, "its first rows");
    // Two more batches, each written while tail is following.
    for (const session of ["s-more-1", "s-more-2"]) {
      const log = await openAuditLog({
        thothHome: home,
        now: steppingClock(`${TAKEN_IN_DAY}T21:00:00.000Z`),
      });
      await log.append({
        type: "session_start",
        session,
        server: "fs",
        commandDigest: "ab".repeat(32),
        envKeys: [],
      });
      await log.append({ type: "session_end", session, exitCode: 3, signal: null });
      await log.close();
      // The first rows hold one session_end; each session adds one.
      const ends = session === "s-more-1" ? 2 : 3;
      await waitFor((text) => (text.match(/ session_end\b/g) ?? []).length >= ends, session);
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // It ended already (killed at its deadline).
    }
    await reader.cancel();
    await child.stderr.cancel();
    await child.status;
  }
  assert.equal(out.split("\n").filter((l) => l.startsWith("TIME (UTC)")).length, 1, out);
  const rows = tableCells(out);
  assert.deepEqual(
    rows.filter((r) => r["TYPE"] === "session_end").map((r) => r["DETAIL"]),
    ["exit 0", "exit 3", "exit 3"],
    out,
  );
});
