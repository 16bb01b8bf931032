/**
 * A profile whose log holds a session taken in from a killed session's
 * spool, as an auditor finds it: session `s-early` is written on time at
 * 20:31:05; session `s-dead` decided a call at 20:32:13 and was killed
 * before its records reached the log (its spool file is left, aged past
 * the orphan age); session `s-next`, whose log clock reads 20:33:20, takes
 * that spool in (its decision record carries `decidedAt` 20:32:13 beside
 * its `ts` 20:33:20) and ends with a signed checkpoint. Real files under
 * the temp THOTH_HOME given; the logs' clocks are fixed so the times are exact.
 *
 * @example
 * ```ts
 * const home = await takenInLog(await tempFolder("thoth-taken-in-"));
 * ```
 */
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { stampBody } from "../../src/audit/spool_stamp.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { deadDecision, newSessionAudit, toolCall } from "../proxy/_session_audit_harness.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import { signedLines } from "./_spool_mac.ts";

/** The day of the log's records. */
export const TAKEN_IN_DAY = "2026-11-30";
/** When the killed session decided its call (its record's `decidedAt`). */
export const DECIDED_AT = `${TAKEN_IN_DAY}T20:32:13.000Z`;
/** When the next session wrote it (its record's `ts`). */
export const WRITTEN_AT = `${TAKEN_IN_DAY}T20:33:20.000Z`;
/** The killed session's decision. */
export const TAKEN_IN_DECISION = "d-00000000000000d1";

/** Writes the log of the module's note under `home` (a temp folder); returns `home`. */
export async function takenInLog(home: string): Promise<string> {
  // A session written on time, a minute before.
  const early = await openAuditLog({
    thothHome: home,
    now: () => new Date(`${TAKEN_IN_DAY}T20:31:05.000Z`),
  });
  const first = newSessionAudit(home, early, {
    session: "s-early",
    extra: { now: () => Date.parse(`${TAKEN_IN_DAY}T20:31:05.000Z`) },
  });
  await first.audit.start("fs", [], []);
  const enforcer = first.audit.wrapEnforcer(allowAllEnforcer);
  const call = toolCall();
  const verdict = enforcer.decide(call, () => "d-00000000000000e1") as Verdict;
  first.audit.events().decision!(call, verdict, "d-00000000000000e1");
  await first.audit.end(0, null);
  // The killed session's spool: its start, its decision and the approval, stamped with their time.
  const decided = Date.parse(DECIDED_AT);
  const start = {
    type: "session_start",
    session: "s-dead",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: ["HOME", "PATH"],
    mode: "block",
  };
  const approval = {
    type: "approval",
    session: "s-dead",
    decisionId: TAKEN_IN_DECISION,
    channel: "terminal",
    approver: "ana",
    outcome: "approved",
  };
  const path = `${DecisionSpool.dir(home)}/s-dead-1.jsonl`;
  Deno.mkdirSync(DecisionSpool.dir(home), { recursive: true });
  writeSpoolFile(
    path,
    await signedLines(
      home,
      "s-dead",
      [start, deadDecision(TAKEN_IN_DECISION), approval].map((event) =>
        stampBody(JSON.stringify(event), decided)
      ),
    ),
    decided,
  );
  // Untouched since well before the next session starts.
  const old = new Date(decided - 2 * ORPHAN_AFTER_MS);
  Deno.utimeSync(path, old, old);
  // The next session takes it in at 20:33:20.
  const written = Date.parse(WRITTEN_AT);
  const next = await openAuditLog({ thothHome: home, now: () => new Date(written) });
  const later = newSessionAudit(home, next, { session: "s-next", extra: { now: () => written } });
  await later.audit.start("fs", [], []);
  await later.audit.end(0, null);
  return home;
}
