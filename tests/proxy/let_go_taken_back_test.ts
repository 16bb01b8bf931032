/**
 * SessionAudit: records held for a refusing log past the held bound are let
 * go, and their decisions stay in the session's spool files; once the log
 * takes batches again, the session itself takes those back in, at once, so
 * that the outcomes that followed the let-go batch (queued after it was
 * cut) name decisions the log holds. Real files under a temp THOTH_HOME; the
 * fault is real: the segment the log rotates into is a folder.
 */
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { HELD_MAX } from "../../src/proxy/held_spool_files.ts";
import type { SessionAudit } from "../../src/proxy/session_audit.ts";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { SpoolMac } from "../../src/audit/spool_mac.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  gatingCounts,
  logRecords,
  openSession,
  spoolFiles,
  toolCall,
} from "./_session_audit_harness.ts";

/** Calls whose decisions and outcomes are held: with the start, just under the bound. */
const HELD_CALLS = (HELD_MAX - 2) / 2;

/** A session whose log refused it past the held bound, the let-go batch cut between two decisions and their outcomes. */
interface LetGo {
  audit: SessionAudit;
  notes: string[];
  /** Remove it to mend the log. */
  blocker: string;
}

/**
 * Opens session `session` in observe mode under `home` with a log that
 * refuses from its start (the start is let go with the rest), holds calls
 * just under the bound, then two more decisions pass it: the batch that
 * holds them is let go, and their outcomes, which come after it was cut,
 * stay queued.
 */
async function letGoBetween(home: string, session: string): Promise<LetGo> {
  const { audit, notes, failAfter } = await openSession(home, { session, mode: "observe" });
  const blocker = await failAfter(0);
  await audit.start("fs-server", [], []);
  const call = toolCall();
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const events = audit.events();
  const decide = (id: string) => {
    const verdict = enforcer.decide(call, () => id) as Verdict;
    assert.equal(verdict.decision, "allow");
    events.decision!(call, verdict, id);
  };
  const answer = (id: string) =>
    events.outcome!(id, "write_file", false, 1, { content: [] }, undefined);
  for (let i = 0; i < HELD_CALLS; i++) decide(`d-${i}`);
  for (let i = 0; i < HELD_CALLS; i++) answer(`d-${i}`);
  await Promise.resolve();
  assert.equal(await audit.flush(), false, "the log refuses the batch");
  assert.ok(!notes.some((m) => /thoth stops holding them/.test(m)), "held: under the bound");
  decide("d-last-1");
  decide("d-last-2");
  assert.equal(await audit.flush(), false);
  assert.ok(notes.some((m) => /thoth stops holding them/.test(m)), notes.join("\n"));
  answer("d-last-1");
  answer("d-last-2");
  await Promise.resolve();
  assert.ok(spoolFiles(home).length > 0, "the let-go decisions stay in the spool");
  return { audit, notes, blocker };
}

/** The kinds of what `thoth audit verify` finds in the log under `home`, with their messages. */
async function verified(home: string): Promise<{ kinds: string[]; said: string }> {
  const report = await verifyLocalLog(home);
  return {
    kinds: report.findings.map((f) => f.kind),
    said: report.findings.map((f) => `${f.kind}: ${f.message}`).join("\n"),
  };
}

/** The device's audit keys of the profile under `home`. */
function deviceKeys(home: string) {
  return loadDeviceKeys(home, new Date());
}

Deno.test("a session takes back in the decisions it let go once its log takes batches again, outcomes queued after the cut included", async () => {
  await using dir = await tempDir("thoth-let-go-");
  const home = dir.path;
  const session = "s-letgo";
  const { audit, notes, blocker } = await letGoBetween(home, session);
  Deno.removeSync(blocker);
  // The log works again: the outcomes go in, then what it was told (records_dropped and the
  // start), then the decisions taken back; no session's end is needed for it.
  for (let i = 0; i < 3; i++) assert.equal(await audit.flush(), true);
  assert.deepEqual(spoolFiles(home), [], "the session took its let-go spool files back in");
  assert.ok(notes.some((m) => /taking back into the audit log/.test(m)), notes.join("\n"));
  await audit.end(0, null);

  const { kinds, said } = await verified(home);
  assert.ok(!kinds.includes("decision_missing"), said);
  assert.ok(kinds.includes("records_dropped"), JSON.stringify(kinds));
  assert.ok(!kinds.includes("recorded_twice"), JSON.stringify(kinds));
  const records = await logRecords(home);
  const mine = records.filter((r) => r["session"] === session);
  assert.equal(mine.filter((r) => r["type"] === "session_start").length, 1, "its start, once");
  // Every decision once: the let-go ones taken back, none twice.
  const counts = gatingCounts(records);
  assert.equal(Object.keys(counts).length, HELD_CALLS + 2);
  assert.ok(Object.values(counts).every((n) => n === 1), "each decision once");
  const outcomes = mine.filter((r) => r["type"] === "outcome").map((r) => r["decisionId"]);
  assert.deepEqual(outcomes, ["d-last-1", "d-last-2"], "the held outcomes were let go");
  const dropped = mine.find((r) => r["type"] === "records_dropped")!;
  assert.equal((dropped["types"] as Record<string, number>)["decision"], undefined);
});

Deno.test("a session's end takes back in the decisions it let go before its end record, when the log takes batches again just before it", async () => {
  await using dir = await tempDir("thoth-let-go-");
  const home = dir.path;
  const session = "s-letgo-end";
  const { audit, blocker } = await letGoBetween(home, session);
  Deno.removeSync(blocker);
  await audit.end(0, null);
  assert.deepEqual(spoolFiles(home), [], "nothing left for a later session");
  const { kinds, said } = await verified(home);
  assert.ok(!kinds.includes("decision_missing"), said);
  assert.ok(!kinds.includes("recorded_twice"), said);
  const mine = (await logRecords(home)).filter((r) => r["session"] === session);
  assert.equal(mine.at(-1)?.["type"], "session_end", "its end comes last");
  assert.equal(mine.filter((r) => r["type"] === "decision").length, HELD_CALLS + 2);
});

Deno.test("a let-go spool file another session claimed first is left to it, and the others are taken back", async () => {
  await using dir = await tempDir("thoth-let-go-");
  const home = dir.path;
  const session = "s-letgo-race";
  const { audit, notes, blocker } = await letGoBetween(home, session);
  // Another session sweeping claims the session's file of the last two decisions just before
  // the log works again.
  const mac = new SpoolMac((await deviceKeys(home)).hmacRaw);
  const dir0 = DecisionSpool.dir(home);
  const decisionsIn = (path: string) =>
    readSpool(path, mac).filter((event) => event.type === "decision").map((event) =>
      event["decisionId"]
    );
  const first = spoolFiles(home).find((name) =>
    decisionsIn(`${dir0}/${name}`).includes("d-last-1")
  )!;
  const claimed = `${dir0}/${first}.claimed-s-other`;
  Deno.renameSync(`${dir0}/${first}`, claimed);
  const inFirst = decisionsIn(claimed);
  assert.ok(inFirst.length > 0);
  Deno.removeSync(blocker);
  for (let i = 0; i < 3; i++) assert.equal(await audit.flush(), true);
  assert.deepEqual(spoolFiles(home), [`${first}.claimed-s-other`], "left to its claimer");
  assert.ok(notes.some((m) => /taking back into the audit log/.test(m)), notes.join("\n"));
  await audit.end(0, null);
  const records = await logRecords(home);
  const decided = new Set(
    records.filter((r) => r["type"] === "decision").map((r) => r["decisionId"]),
  );
  assert.ok(inFirst.every((id) => !decided.has(id)), "the claimer's to write, not this session's");
  assert.equal(decided.size, HELD_CALLS + 2 - inFirst.length, "the others, each once");
  assert.ok(Object.values(gatingCounts(records)).every((n) => n === 1));
});
