// Only what is still open at a bundle's last record may close after it: a
// step-up whose session ended inside the bundle with no approval was never
// answered, and warns there as it does in the device's log.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { kinds, steppingClock } from "./_log_helpers.ts";
import { exportSample } from "./_bundle_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

/**
 * Two sessions, each with a step-up; the first session's step-up gets no
 * approval and the session ends; the second session stays open with its
 * step-up unanswered.
 */
async function logWithUnansweredStepUps(): Promise<string> {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock(), checkpointEvery: 10 });
  for (const session of ["s-ended", "s-open"]) {
    await log.append({
      type: "session_start",
      session,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({
      type: "decision",
      session,
      server: "fs",
      tool: "delete_file",
      decisionId: `${session}-d`,
      verdict: "step_up",
      ruleIds: ["fs-delete"],
      mode: "step_up",
      policyHash: "cd".repeat(32),
      intent: null,
      args: await log.redact({ path: "/data/a" }),
    });
    if (session === "s-ended") {
      await log.append({ type: "session_end", session, exitCode: 0, signal: null });
    }
  }
  await log.close();
  return home;
}

Deno.test("verify --bundle: a step-up whose session ended inside the bundle without an approval warns (exit 2)", async () => {
  const home = await logWithUnansweredStepUps();
  const dir = await exportSample(home);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["step_up_without_approval"]);
  const stepUps = report.findings.filter((f) => f.kind === "step_up_without_approval");
  const ended = stepUps.find((f) => f.message.includes("s-ended-d"))!;
  assert.equal(ended.severity, "warning");
  assert.match(ended.message, /before its session s-ended ended at seq \d+/);
  // The open session's step-up may be answered after the bundle's end.
  const open = stepUps.find((f) => f.message.includes("s-open-d"))!;
  assert.equal(open.severity, "info");
  assert.equal(
    report.findings.find((f) => f.kind === "session_without_end")?.severity,
    "info",
  );
  // The device's log warns about both, as before.
  const local = await verifyLocalLog(home);
  assert.deepEqual(
    local.findings.filter((f) => f.severity === "warning").map((f) => f.kind).sort(),
    ["session_without_end", "step_up_without_approval", "step_up_without_approval"],
  );
});
