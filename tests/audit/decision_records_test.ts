/**
 * `thoth audit show --decision-id` on a stateless retry: the approval record
 * ties the call that asked and the retried call that carried the answer, so
 * either id shows both decisions, the approval, the outcome, and their
 * session's start, and no record of another session or call.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { newDecisionId } from "../../src/enforcer/decision_id.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { thothAudit } from "./_audit_cli.ts";
import { steppingClock } from "./_log_helpers.ts";

/** A log with two sessions; in the second a call asks, and its retry carries the approval. */
async function retryLog(): Promise<{ home: string; asked: string; retried: string }> {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  const asked = newDecisionId();
  const retried = newDecisionId();
  const decision = async (session: string, decisionId: string, verdict: "allow" | "step_up") =>
    await log.append({
      type: "decision",
      session,
      server: "fs",
      tool: "delete_file",
      decisionId,
      verdict,
      ruleIds: ["del"],
      reasons: ['rule "del": destructive'],
      mode: "block",
      policyHash: "cd".repeat(32),
      intent: null,
      args: await log.redact({ path: "/data/x" }),
    });
  for (const session of ["s-other", "s-retry"]) {
    await log.append({
      type: "session_start",
      session,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
  }
  await decision("s-other", newDecisionId(), "step_up");
  await decision("s-retry", asked, "step_up");
  await decision("s-retry", retried, "allow");
  await log.append({
    type: "approval",
    session: "s-retry",
    decisionId: asked,
    retryDecisionId: retried,
    channel: "elicitation",
    approver: "ana",
    outcome: "approved",
    scope: "once",
    latencyMs: 7,
  });
  await log.append({
    type: "outcome",
    session: "s-retry",
    decisionId: retried,
    isError: false,
    durationMs: 4,
  });
  await log.close();
  return { home, asked, retried };
}

Deno.test("thoth audit show --decision-id ties a stateless retry to the call that asked", async () => {
  const { home, asked, retried } = await retryLog();
  for (const id of [asked, retried]) {
    const run = await thothAudit(home, "show", "--json", "--decision-id", id);
    assert.equal(run.code, 0, run.err);
    const records = run.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(
      records.map((r) => [r.type, r.session, r.decisionId]),
      [
        ["session_start", "s-retry", undefined],
        ["decision", "s-retry", asked],
        ["decision", "s-retry", retried],
        ["approval", "s-retry", asked],
        ["outcome", "s-retry", retried],
      ],
      id,
    );
  }
  const table = await thothAudit(home, "show", "--decision-id", retried);
  const outcome = table.out.split("\n").find((l) => / outcome /.test(l)) ?? "";
  assert.match(outcome, new RegExp(`outcome\\s+${retried}\\s+fs\\s+delete_file\\s+ok\\s+in 4 ms$`));
});
