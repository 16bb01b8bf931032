/**
 * A bundle that holds the `spool_recovered` record of a session (a later
 * session took in its spool: it was killed) keeps the warning the device's
 * own verify gives about that session having no end, and about its step-up
 * that no approval answers: the real `thoth audit verify --bundle` exits 2,
 * as `thoth audit verify` does on the device. A session still open at the
 * bundle's last record, with no such record, stays a fact (info). The log
 * is written by the real writer under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import { steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const start = (session: string) =>
  ({
    type: "session_start",
    session,
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  }) as AuditEvent;

/** A log where s-dead (with a step-up) was killed and s-next took in its spool; s-open runs on. */
async function killedSessionHome(): Promise<string> {
  const home = await tempFolder("thoth-bundle-killed-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  try {
    await log.append(start("s-dead"));
    await log.append({
      type: "decision",
      session: "s-dead",
      server: "fs",
      tool: "write_file",
      decisionId: "d-asked",
      verdict: "step_up",
      ruleIds: ["fs-outside-data"],
      mode: "step_up",
      policyHash: "cd".repeat(32),
      intent: null,
      args: await log.redact({ path: "/data/a.txt" }),
    } as AuditEvent);
    await log.append(start("s-open"));
    await log.append(start("s-next"));
    await log.append({
      type: "spool_recovered",
      session: "s-next",
      file: "s-dead-1.jsonl",
      count: 0,
    } as unknown as AuditEvent);
    await log.append({ type: "session_end", session: "s-next", exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
  return home;
}

function thoth(home: string, ...args: string[]) {
  return runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

/** The finding lines of one kind, without their leading spaces. */
function linesOf(out: string, kind: string): string[] {
  return out.split("\n").map((l) => l.trim()).filter((l) => l.split(/\s+/)[1] === kind);
}

Deno.test("verify --bundle: a session the bundle shows was killed (spool_recovered) warns as on the device (exit 2)", async () => {
  const home = await killedSessionHome();
  const device = await thoth(home, "audit", "verify");
  assert.equal(device.code, 2, device.out + device.err);
  const bundle = `${home}/bundle`;
  const exported = await thoth(home, "audit", "export", "--output", bundle);
  assert.equal(exported.code, 0, exported.out + exported.err);

  const run = await thoth(home, "audit", "verify", "--bundle", bundle);
  assert.equal(run.err, "");
  assert.equal(run.code, 2, run.out);
  assert.equal(
    run.out.split("\n")[0],
    "OK with warnings: nothing was changed, but some records need a look",
  );
  const ends = linesOf(run.out, "session_without_end");
  assert.equal(ends.length, 2, run.out);
  assert.match(
    ends[0]!,
    /^warning session_without_end seq 0: session s-dead has no session end record: thoth was killed .*spool_recovered at seq \d+\)$/,
  );
  // The device says the same of it.
  assert.ok(device.out.includes(ends[0]!.replace(/^warning\s+/, "")), device.out);
  // A session with no such record may still close after the bundle's last record.
  assert.match(
    ends[1]!,
    /^info +session_without_end seq \d+: session s-open is still open at the end of this bundle/,
  );
  const asked = linesOf(run.out, "step_up_without_approval");
  assert.equal(asked.length, 1, run.out);
  assert.match(
    asked[0]!,
    /^warning step_up_without_approval seq \d+: decision d-asked asked for approval but no approval record follows$/,
  );
});
