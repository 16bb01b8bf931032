/**
 * `thoth doctor` and `thoth health` check the audit state file's MAC under
 * the device's audit key (one HMAC). Whoever can write the audit folder
 * but not the keys can edit a record among the newest, chain the records
 * after it again (plain SHA-256) and write the state's count, leaf hash,
 * segment length and frontier to match, or cut the last record or reorder
 * two the same way: the log's end and the newest records' chain then agree
 * with the state, and doctor passed such a log ("ok") that `thoth audit
 * verify` reports TAMPERED (`state_mac_failed`). The state's MAC, kept as
 * it was, no longer verifies: degraded, with the hint to run verify, in
 * words that do not claim tampering (an earlier release's writer leaves
 * such a MAC too, which verify tells apart). A sound log's pass says the
 * MAC verifies; a state without one, or a key that cannot be read, says
 * none was checked.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { encodeLogState } from "../../src/audit/log_state.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { auditPart } from "../../src/doctor/health_audit_part.ts";
import { stateMacWords } from "../../src/doctor/audit_log_words.ts";
import {
  kinds,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  stateAsLogGives,
  writeLines,
} from "../audit/_log_helpers.ts";
import { earlierReleaseSession } from "../audit/_earlier_release_writer.ts";
import { thisReleaseSession } from "../audit/_state_mac_sessions.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { fakeIo } from "./_helpers.ts";

function auditHealth(home: string) {
  return thothDoctorPlugins(fakeIo(home)).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

const FAILED = "the audit state's MAC does not verify (an edited state file, or an earlier " +
  "thoth release wrote the log)";

type Tamper = "edit" | "cut" | "reorder";

/**
 * Changes the newest records as `how` says, chains them again, and writes
 * the state the log now gives with the checkpoint fields and the MAC the
 * state file had: all that can be done without the device's key.
 */
async function tamper(home: string, how: Tamper): Promise<void> {
  const path = await segmentPath(home, -1);
  let lines = await readLines(path);
  if (how === "edit") {
    const at = lines.findLastIndex((line) => line.includes('"tool":"read_file"'));
    assert.ok(at > 0 && at < lines.length - 2, `${at} of ${lines.length}`);
    lines[at] = lines[at]!.replace('"tool":"read_file"', '"tool":"rm_rf____"');
    lines = await rechain(lines, at);
  } else if (how === "cut") {
    lines = lines.slice(0, -1);
  } else {
    const [a, b] = [lines.length - 4, lines.length - 3];
    const first = JSON.parse(lines[a]!);
    const second = JSON.parse(lines[b]!);
    lines[a] = JSON.stringify({ ...second, seq: first.seq });
    lines[b] = JSON.stringify({ ...first, seq: second.seq });
    lines = await rechain(lines, a);
  }
  await writeLines(path, lines);
  const { scanned, read } = await stateAsLogGives(home);
  await Deno.writeFile(
    `${home}/audit/.state.json`,
    encodeLogState({
      ...scanned,
      checkpointSize: Math.min(read.checkpointSize, scanned.size),
      checkpointAt: read.checkpointAt,
      ...(read.checkpointRecord === undefined ? {} : { checkpointRecord: read.checkpointRecord }),
      ...(read.mac === undefined ? {} : { mac: read.mac }),
    }),
  );
}

for (const how of ["edit", "cut", "reorder"] as const) {
  Deno.test(`doctor and health fail a log whose newest records were changed (${how}) with its state rewritten, as verify does`, async () => {
    const home = await sampleLog(2, 8);
    await tamper(home, how);
    const verify = await verifyLocalLog(home);
    assert.ok(kinds(verify.findings).includes("state_mac_failed"), kinds(verify.findings).join());

    const health = await auditHealth(home);
    assert.equal(health.status, "degraded", health.message);
    assert.equal(health.verified, false);
    assert.equal(health.lastSequence, null);
    assert.equal(health.message, FAILED);
    assert.match(health.hint ?? "", /^run "thoth audit verify": /);
    const check = checkAudit(health);
    assert.equal(check.status, "fail");
    assert.equal(auditPart(health).status, "degraded");
  });
}

Deno.test("a sound log's audit pass says its state's MAC verifies", async () => {
  const home = await sampleLog(2, 4);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
  assert.match(
    health.message,
    /^\d+ record\(s\); last checkpoint covers \d+; the audit state's MAC verifies; the log's end matches its state/,
  );
});

Deno.test("a state file without a MAC passes, saying no MAC was checked", async () => {
  const home = await sampleLog(2, 4);
  const path = `${home}/audit/.state.json`;
  const { mac: _mac, ...state } = JSON.parse(await Deno.readTextFile(path));
  await Deno.writeTextFile(path, JSON.stringify(state));
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
  assert.match(health.message, /; the audit state carries no MAC, so none was checked \(/);
});

Deno.test("an earlier release's write fails the check too, in words that do not call it tampering", async () => {
  const home = await tempFolder("thoth-audit-");
  await Deno.mkdir(`${home}/audit/checkpoints`, { recursive: true });
  await thisReleaseSession(home, "s-new", 3, "2026-03-01T10:00:00Z", { checkpointFirst: true });
  await earlierReleaseSession(home, "s-old", 2, "2026-03-01T11:00:00Z");
  assert.deepEqual(kinds((await verifyLocalLog(home)).findings), ["state_mac_stale"]);
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.equal(health.message, FAILED);
  assert.doesNotMatch(`${health.message} ${health.hint}`, /tampered|forged/i);
  assert.match(health.hint ?? "", /state_mac_stale, a warning/);
});

Deno.test("stateMacWords() says why a MAC was not checked when the device's key cannot be read", () => {
  assert.equal(
    stateMacWords(
      {
        outcome: "not_checked",
        detail: 'the device\'s audit key "k" cannot be read: it is missing',
      },
      5,
    ),
    "the audit state's MAC was not checked (the device's audit key \"k\" cannot be read: it is missing)",
  );
  // The state made before the keys, for a log of no record, says nothing of a MAC.
  assert.equal(stateMacWords({ outcome: "absent" }, 0), undefined);
});
