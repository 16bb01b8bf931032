// `thoth audit verify` and `thoth audit export` run again and again while three
// real `thoth run` sessions write to the same log (bursts of five `echo` calls
// each): a clean log being written is never tampered with. Verify reads the
// state file, the writer's intent and the segments' sizes as one snapshot
// under the writers' lock, and judges the log up to that snapshot only.
import assert from "node:assert/strict";
import { connect, type Connected, everythingArgv, throughThoth } from "../e2e/_harness.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { thothAudit } from "./_audit_cli.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { parseLogState } from "../../src/audit/log_state.ts";
import { readStateSettled } from "../../src/audit/read_state_settled.ts";

/**
 * How many reads of each kind must overlap a write (the state's count grew
 * while they read): the in-process verify, the CLI's verify, the export.
 * Reads go on, round after round, until each kind has that many: how many
 * rounds that takes depends on how the machine schedules the sessions, not
 * on what is proved.
 */
const OVERLAPS = { verify: 4, cli: 4, export: 3 };
/** Rounds at most, while the sessions keep writing. */
const MAX_ROUNDS = 60;

/** The state's count; undefined while the file reads mid-write (rewritten in place) or is not there yet. */
const stateSize = async (home: string): Promise<number | undefined> => {
  try {
    return parseLogState(await readStateSettled(`${home}/audit/.state.json`))?.size;
  } catch {
    return undefined;
  }
};

/** The state's count, read again until it reads whole. */
async function settledSize(home: string): Promise<number> {
  for (;;) {
    const size = await stateSize(home);
    if (size !== undefined) return size;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Calls `echo` in bursts of five until `writing.stop`; resolves with the calls that failed. */
async function keepCalling(session: Connected, s: number, writing: { stop: boolean }) {
  const failed: string[] = [];
  for (let c = 0; !writing.stop; c += 5) {
    await Promise.all(
      Array.from(
        { length: 5 },
        (_, k) =>
          session.client.callTool({ name: "echo", arguments: { message: `hi ${s}.${c + k}` } })
            .catch((error: unknown) => {
              failed.push(String(error));
            }),
      ),
    );
  }
  return failed;
}

Deno.test("audit verify and export while three sessions write: never tampered, never refused", async () => {
  const home = `${await tempFolder("thoth-writing-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  const sessions: Connected[] = [];
  const writing = { stop: false };
  const problems: string[] = [];
  const overlapped = { verify: 0, cli: 0, export: 0 };
  const kinds = ["verify", "cli", "verify", "export"] as const;
  let rounds = 0;
  try {
    for (let s = 0; s < 3; s++) {
      sessions.push(
        await connect(
          throughThoth(everythingArgv(), ["--agent-id", "everything"]),
          {},
          { THOTH_HOME: home },
        ),
      );
    }
    const callers = sessions.map((session, s) => keepCalling(session, s, writing));
    try {
      // Writing in earnest before the first verification.
      while ((await stateSize(home) ?? 0) < 60) await new Promise((r) => setTimeout(r, 50));
      const short = () => kinds.some((kind) => overlapped[kind] < OVERLAPS[kind]);
      for (let i = 0; short() && i < MAX_ROUNDS; i++, rounds++) {
        const kind = kinds[i % kinds.length]!;
        const before = await settledSize(home);
        if (kind === "export") {
          const out = `${await tempFolder("thoth-writing-export-")}/bundle`;
          const r = await thothAudit(home, "export", "--output", out);
          if (r.code !== 0) problems.push(`export ${i}: exit ${r.code}: ${r.err}`);
        } else if (kind === "verify") {
          const report = await verifyLocalLog(home);
          const stopping = report.findings.filter((f) =>
            f.severity === "tamper" || f.severity === "unverified"
          );
          if (report.exitCode === 1 || stopping.length > 0) {
            problems.push(`verify ${i}: ${formatVerifyReport(report)}`);
          }
        } else {
          const r = await thothAudit(home, "verify");
          if (r.code === 1) problems.push(`thoth audit verify ${i}: exit 1: ${r.out}${r.err}`);
        }
        if (await settledSize(home) > before) overlapped[kind]++;
      }
    } finally {
      writing.stop = true;
      const failed = (await Promise.all(callers)).flat();
      assert.deepEqual(failed.slice(0, 3), [], "every echo call answered");
    }
  } finally {
    writing.stop = true;
    for (const session of sessions) await session.close();
  }
  // Each kind of read ran while the log was written to, again and again, and none saw tampering.
  for (const kind of Object.keys(OVERLAPS) as (keyof typeof OVERLAPS)[]) {
    assert.ok(
      overlapped[kind] >= OVERLAPS[kind],
      `only ${overlapped[kind]} ${kind} reads in ${rounds} rounds ran while the log grew`,
    );
  }
  assert.deepEqual(problems, []);
  const after = await verifyLocalLog(home);
  assert.equal(after.exitCode, 0, formatVerifyReport(after));
});
