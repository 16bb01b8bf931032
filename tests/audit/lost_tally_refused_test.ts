/**
 * A lost tally thoth did not write accounts for nothing (see
 * `refuse_lost_tally.ts`), on a real log in a temp THOTH_HOME: a tally with
 * no MAC that claims another session's losses is refused by the next
 * session's intake (set aside in `audit/lost/refused/`, one `spool_refused`
 * record, no `decisions_lost` record), and verify still warns of the step-up
 * it would have covered; so is a tally whose JSON names another session than
 * its file, and one that holds no tally. A `decisions_lost` record an earlier
 * build wrote from such a tally is a warning and accounts for nothing.
 * Verify says a running session's tally is a running session's, and how a
 * garbled tally goes away.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { emptyTally, encodeLostTally, LostTallyMac } from "../../src/audit/lost_tally.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { lostTallyFindings } from "../../src/audit/lost_tally_findings.ts";
import { takeInLostTallies } from "../../src/audit/take_in_lost_tallies.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const REASON = "cannot write the audit spool: No space left on device";

/** The records of the log under `home`. */
async function records(home: string): Promise<Record<string, unknown>[]> {
  const dir = auditPaths(home).dir;
  const all: Record<string, unknown>[] = [];
  for (const segment of await listSegments(dir)) {
    for (const line of (await Deno.readTextFile(`${dir}/${segment}`)).split("\n")) {
      if (line !== "") all.push(JSON.parse(line));
    }
  }
  return all;
}

/** A session `session` whose step-up `d-1` has no approval, ended. */
async function victimSession(log: AuditLog, session: string): Promise<void> {
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
    tool: "write_file",
    decisionId: "d-1",
    verdict: "step_up",
    effect: "approval_requested",
    ruleIds: ["ask"],
    mode: "block",
    policyHash: "cd".repeat(32),
    intent: null,
    args: await log.redact({ path: "/data/a.txt" }),
  });
  await log.append({ type: "session_end", session, exitCode: 0, signal: null });
}

/** A log holding the victim session, and the device's key, in a temp THOTH_HOME. */
async function victimLog() {
  const home = await tempFolder("thoth-tally-refused-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  await victimSession(log, "s-victim");
  const key = (await loadDeviceKeys(home, new Date())).hmacRaw;
  const dir = LostTallyFile.dir(home);
  Deno.mkdirSync(dir, { recursive: true });
  const notes: string[] = [];
  return {
    home,
    log,
    key,
    dir,
    notes,
    takeIn: () =>
      takeInLostTallies({
        thothHome: home,
        session: "s-taker",
        log,
        auditKey: key,
        now: Date.now,
        note: (line) => notes.push(line),
      }),
    async [Symbol.asyncDispose]() {
      await log.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** The text of a tally line with no MAC (what anyone who can write the folder can make). */
function unsigned(tally: Record<string, unknown>): string {
  return `${JSON.stringify({ v: 1, ...tally })}\n`;
}

Deno.test("a tally with no MAC that claims another session's losses is refused, and the step-up it names stays a warning", async () => {
  await using p = await victimLog();
  const before = await verifyLocalLog(p.home);
  assert.equal(before.exitCode, 2);
  const warned = (r: typeof before) =>
    r.findings.filter((f) => f.kind === "step_up_without_approval" && f.severity === "warning");
  assert.equal(warned(before).length, 1);
  const forged = { session: "s-victim", count: 5, types: { approval: 5 }, decisionIds: [] };
  Deno.writeTextFileSync(`${p.dir}/s-forged.tally`, unsigned(forged));

  const taken = await p.takeIn();
  assert.deepEqual(taken, { recorded: 0, refused: 1, removed: 0 });
  const all = await records(p.home);
  assert.ok(!all.some((r) => r["type"] === "decisions_lost"), JSON.stringify(all));
  const [refused, ...more] = all.filter((r) => r["type"] === "spool_refused");
  assert.deepEqual(more, []);
  assert.equal(refused!["file"], "lost/s-forged.tally");
  assert.equal(refused!["movedTo"], "lost/refused/s-forged.tally");
  assert.equal(refused!["session"], "s-taker");
  assert.match(String(refused!["reason"]), /carries no MAC/);
  assert.deepEqual([...Deno.readDirSync(p.dir)].map((e) => e.name), ["refused"]);
  assert.equal(
    Deno.readTextFileSync(`${p.dir}/refused/s-forged.tally`),
    unsigned(forged),
    "kept as it was",
  );
  assert.ok(p.notes.some((n) => n.includes("refused the lost tally")), p.notes.join("\n"));

  const after = await verifyLocalLog(p.home);
  assert.equal(after.exitCode, 2);
  assert.equal(warned(after).length, 1, JSON.stringify(after.findings));
  assert.ok(!after.findings.some((f) => f.message.includes("accounts for it")));
  const told = after.findings.find((f) => f.kind === "spool_refused");
  assert.ok(told !== undefined && told.severity === "warning", JSON.stringify(after.findings));
  assert.match(told.message, /lost tally "lost\/s-forged\.tally" was refused/);
  assert.match(told.message, /kept in the audit folder as "lost\/refused\/s-forged\.tally"/);
});

Deno.test("a tally whose MAC verifies but whose JSON names another session than its file is refused", async () => {
  await using p = await victimLog();
  const tally = { ...emptyTally("s-other"), count: 2, types: { decision: 2 }, reason: REASON };
  Deno.writeFileSync(
    `${p.dir}/s-real.tally`,
    encodeLostTally(tally, "s-real.tally", new LostTallyMac(p.key)),
  );
  assert.deepEqual(await p.takeIn(), { recorded: 0, refused: 1, removed: 0 });
  const all = await records(p.home);
  assert.ok(!all.some((r) => r["type"] === "decisions_lost"), JSON.stringify(all));
  const refused = all.find((r) => r["type"] === "spool_refused")!;
  assert.equal(refused["file"], "lost/s-real.tally");
  assert.match(String(refused["reason"]), /names session "s-other"/);
});

Deno.test("a tally that holds no tally is refused with its size and SHA-256, and a second one is kept beside it", async () => {
  await using p = await victimLog();
  Deno.mkdirSync(`${p.dir}/refused`);
  Deno.writeTextFileSync(`${p.dir}/refused/s-garbled.tally`, "an earlier one\n");
  Deno.writeTextFileSync(`${p.dir}/s-garbled.tally`, "not a tally\n");
  const before = await lostTallyFindings(p.home);
  assert.equal(before.length, 1);
  assert.match(before[0]!.message, /cannot be read[^]*sets it aside[^]*then remove it/);
  assert.deepEqual(await p.takeIn(), { recorded: 0, refused: 1, removed: 0 });
  const refused = (await records(p.home)).find((r) => r["type"] === "spool_refused")!;
  assert.equal(refused["movedTo"], "lost/refused/s-garbled.tally-2");
  assert.equal(refused["bytes"], 12);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("not a tally\n"));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(refused["sha256"], hex);
  assert.deepEqual(await lostTallyFindings(p.home), [], "verify no longer re-reads it");
  assert.deepEqual(await p.takeIn(), { recorded: 0, refused: 0, removed: 0 }, "taken once");
});

Deno.test("verify counts for nothing a decisions_lost record an earlier thoth wrote from a tally whose MAC did not verify", async () => {
  await using p = await victimLog();
  await p.log.append({
    type: "decisions_lost",
    session: "s-victim",
    count: 5,
    decisionIds: [],
    from: "",
    until: "",
    reason: "",
    tally: "s-forged.tally",
    tallied: 5,
    types: { approval: 5 },
    tallyMac: "none",
    takenBy: "s-taker",
  });
  const report = await verifyLocalLog(p.home);
  assert.equal(report.exitCode, 2);
  const stepUp = report.findings.find((f) => f.kind === "step_up_without_approval")!;
  assert.equal(stepUp.severity, "warning", stepUp.message);
  assert.doesNotMatch(stepUp.message, /accounts for it/);
  const ignored = report.findings.find((f) => f.kind === "decisions_untold");
  assert.ok(ignored !== undefined, JSON.stringify(report.findings));
  assert.equal(ignored.severity, "warning");
  assert.match(ignored.message, /MAC did not verify \(tallyMac none\)[^]*accounts for nothing/);
});

Deno.test("verify says a tally its session still holds is a running session's, not a killed one's", async () => {
  await using p = await victimLog();
  const live = LostTallyFile.reserve(p.home, "s-live");
  try {
    live.useKey(p.key);
    assert.ok(live.add("decision", "d-00000000000000c3", Date.now(), REASON));
    const [finding, ...more] = await lostTallyFindings(p.home);
    assert.deepEqual(more, []);
    assert.match(finding!.message, /still running/);
    assert.doesNotMatch(finding!.message, /was killed/);
    assert.ok(Deno.statSync(`${p.dir}/s-live.tally`).isFile, "verify leaves it");
  } finally {
    live.close();
  }
  const [dead] = await lostTallyFindings(p.home);
  assert.match(dead!.message, /was killed/);
});
