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

/** Verifications made while the sessions write (at least). */
const VERIFIES = 12;
/** Exports made while the sessions write (at least). */
const EXPORTS = 4;

const stateSize = async (home: string): Promise<number> => {
  try {
    return JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).size as number;
  } catch {
    return 0;
  }
};

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
  let overlapped = 0;
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
      while (await stateSize(home) < 60) await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < VERIFIES + EXPORTS; i++) {
        const before = await stateSize(home);
        if (i % 4 === 3) {
          const out = `${await tempFolder("thoth-writing-export-")}/bundle`;
          const r = await thothAudit(home, "export", "--output", out);
          if (r.code !== 0) problems.push(`export ${i}: exit ${r.code}: ${r.err}`);
        } else if (i % 2 === 0) {
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
        if (await stateSize(home) > before) overlapped++;
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
  // The log was written to while most of them read it, and none saw tampering.
  assert.ok(overlapped >= (VERIFIES + EXPORTS) / 2, `only ${overlapped} read while it grew`);
  assert.deepEqual(problems, []);
  const after = await verifyLocalLog(home);
  assert.equal(after.exitCode, 0, formatVerifyReport(after));
});
