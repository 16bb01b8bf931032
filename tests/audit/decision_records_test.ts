/**
 * `thoth audit show --decision-id` on a stateless retry: the approval record
 * ties the call that asked and the retried call that carried the answer, so
 * either id shows both decisions, the approval, the outcome, and their
 * session's start, and no record of another session or call. `readDecisionId`
 * reads the id as a refusal words it ("Decision d-….") or as its 16 digits
 * alone, and never hides a value of a decision id's shape as if it were a key.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { readDecisionId } from "../../src/audit/decision_records.ts";
import { AppError } from "../../src/errors.ts";
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

Deno.test("readDecisionId takes the refusal's own words and the bare digits", () => {
  const id = "d-46be7a9ea23a0b38";
  for (
    const given of [
      "Decision d-46be7a9ea23a0b38.",
      "decision D-46BE7A9EA23A0B38",
      "  DECISION  d-46be7a9ea23a0b38; ",
      '"Decision d-46be7a9ea23a0b38."',
      "46be7a9ea23a0b38",
      "46BE7A9EA23A0B38.",
      "Decision 46be7a9ea23a0b38",
    ]
  ) {
    assert.equal(readDecisionId(given), id, given);
  }
});

Deno.test("readDecisionId shows a value of a decision id's shape as given, never hidden", () => {
  const refusal = (value: string): AppError => {
    try {
      readDecisionId(value);
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      return error;
    }
    throw new Error(`${value} was taken`);
  };
  // A digit short, and a digit over: shown as given, with the shape of an id.
  for (const value of ["d-46be7a9ea23a0b3", "Decision d-46be7a9ea23a0b38a."]) {
    const error = refusal(value);
    assert.equal(error.code, "usage.bad_flag");
    assert.equal(error.exitCode, 2);
    assert.equal(
      error.message,
      `${JSON.stringify(value)} given to --decision-id is not a decision id`,
    );
    assert.doesNotMatch(error.message, /hidden/);
  }
  // A key is still hidden.
  const key = "sk_live_9aB3xQ7mK2pL8vR4tY6wZ1cD";
  const hidden = refusal(key);
  assert.match(hidden.message, /value hidden/);
  assert.ok(!hidden.message.includes(key));
});
