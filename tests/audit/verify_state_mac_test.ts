/**
 * `thoth audit verify` checks the MAC of the writer's state file under the
 * device's audit key: a state file someone edited (its MAC no longer
 * verifies) or damaged is a warning (exit 2) that says what it means and
 * what happens next, in the text report and in --json; the next writer
 * rebuilds it and records why, and verify is clean of it again. Without the
 * key, the MAC is "not checked", never a failure. The logs are real ones,
 * written by the audit library as sessions write them; the edits are an
 * attacker's, to `.state.json` only.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { encodeLogState, type LogState } from "../../src/audit/log_state.ts";
import {
  appendAsNextWriter,
  forgeState,
  readLines,
  sampleLog,
  segmentPath,
} from "./_log_helpers.ts";
import { asOlderLog } from "./_older_log.ts";
import { thothAudit } from "./_audit_cli.ts";

/** Rewrites the state file as `edit` changes it (padded as a writer pads it). */
async function editState(home: string, edit: (state: LogState) => unknown): Promise<void> {
  const path = auditPaths(home).state;
  const state = JSON.parse(await Deno.readTextFile(path)) as LogState;
  await Deno.writeFile(path, encodeLogState(edit(state) as LogState));
}

interface JsonReport {
  exitCode: number;
  status: string;
  findings: { kind: string; severity: string; source?: string; message: string }[];
  stateMac?: { outcome: string; detail?: string };
}

async function verifyJson(home: string): Promise<{ code: number; report: JsonReport }> {
  const run = await thothAudit(home, "verify", "--json");
  return { code: run.code, report: JSON.parse(run.out) as JsonReport };
}

Deno.test("verify checks the state file's MAC: a real log's verifies, and the report says so", async () => {
  const home = await sampleLog(2, 4);
  const { code, report } = await verifyJson(home);
  assert.equal(code, 0, JSON.stringify(report.findings));
  assert.deepEqual(report.stateMac, { outcome: "verified" });
  const text = await thothAudit(home, "verify");
  assert.match(
    text.out,
    /^state file MAC: verified \(a thoth holding this device's audit key wrote it; that shows it is thoth's, not that it is the newest: an older one put back, with the log cut to match, verifies too, and only --anchor shows that cut\)$/m,
  );
});

Deno.test("verify reports a state file whose MAC does not verify (someone other than thoth wrote it) as tampering; the next writer rebuilds it, and verify still does", async () => {
  const home = await sampleLog(2, 4);
  // A field no witness check compares: only the MAC shows the edit.
  await editState(home, (state) => ({ ...state, checkpointAt: state.checkpointAt - 3_600_000 }));
  const { code, report } = await verifyJson(home);
  assert.equal(code, 1, JSON.stringify(report.findings));
  assert.equal(report.exitCode, 1);
  assert.equal(report.status, "tampered");
  assert.deepEqual(report.stateMac, { outcome: "failed" });
  const failed = report.findings.filter((f) => f.kind === "state_mac_failed");
  assert.equal(failed.length, 1, JSON.stringify(report.findings));
  assert.equal(failed[0]!.severity, "tamper");
  assert.equal(failed[0]!.source, ".state.json");
  assert.match(
    failed[0]!.message,
    /carries a MAC that does not verify under this device's audit key: someone other than thoth wrote it .*records cut from the end of the log since the last signed checkpoint, with the count rewritten to match, would read the same .*The next thoth session that writes the log rebuilds the state from the log and records a state_rebuilt record saying its MAC did not verify, which verify reports the same way; keep the audit folder writable only by the account that runs thoth/,
  );
  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1);
  assert.match(
    text.out.split("\n")[0]!,
    /^TAMPERED: someone other than thoth wrote the writer's state file \(its MAC does not verify, see below\)/,
  );
  assert.match(
    text.out,
    /^ {2}tamper {2}state_mac_failed: the writer's state file \.state\.json carries/m,
  );
  assert.match(text.out, /^state file MAC: does NOT verify under this device's audit key/m);

  // What the remedy says happens: the next writer rebuilds it, and records why.
  const held = (await readLines(await segmentPath(home, -1))).length;
  await appendAsNextWriter(home);
  const rebuilt = JSON.parse((await readLines(await segmentPath(home, -1)))[held]!);
  assert.equal(rebuilt.type, "state_rebuilt");
  assert.match(rebuilt.reason, /its MAC did not verify/);
  const after = await verifyJson(home);
  assert.deepEqual(after.report.stateMac, { outcome: "verified" });
  // The state_rebuilt record keeps it tampering: a session does not wash the edit away.
  assert.equal(after.code, 1, JSON.stringify(after.report.findings));
  const kept = after.report.findings.filter((f) => f.kind === "state_mac_failed");
  assert.equal(kept.length, 1, JSON.stringify(after.report.findings));
  assert.equal(kept[0]!.severity, "tamper");
  assert.match(kept[0]!.message, new RegExp(`rebuilt its state from the log at seq ${held}: `));
  assert.match(kept[0]!.message, /records cut from the end of the log since the last signed/);
});

Deno.test("verify warns of a damaged state file whose count is still readable", async () => {
  const home = await sampleLog(2, 4);
  await editState(home, (state) => ({ ...state, frontier: ["not a hash"] }));
  const { code, report } = await verifyJson(home);
  assert.equal(code, 2, JSON.stringify(report.findings));
  assert.equal(report.stateMac?.outcome, "damaged");
  const damaged = report.findings.filter((f) => f.kind === "state_damaged");
  assert.equal(damaged.length, 1, JSON.stringify(report.findings));
  assert.match(
    damaged[0]!.message,
    /is damaged \(it is not a state a writer can read\): no writer leaves it so, so someone edited thoth's state; .*rebuilds the state from the log and records a state_rebuilt record saying it was damaged/,
  );
});

Deno.test("verify says the state file's MAC is not checked when the device's audit key cannot be read", async () => {
  const home = await sampleLog(2, 4);
  await editState(home, (state) => ({ ...state, checkpointAt: 1 }));
  const key = auditPaths(home).hmacKey;
  await Deno.rename(key, `${key}.aside`);
  const { code, report } = await verifyJson(home);
  assert.equal(code, 0, JSON.stringify(report.findings));
  assert.equal(report.stateMac?.outcome, "not_checked");
  assert.match(
    report.stateMac?.detail ?? "",
    /^the device's audit key ".+audit-hmac\.key" cannot be read: it is missing$/,
  );
  assert.deepEqual(report.findings.filter((f) => f.kind.startsWith("state_")), []);
  const text = await thothAudit(home, "verify");
  assert.match(
    text.out,
    /^state file MAC: not checked \(the device's audit key .* it is missing\)$/m,
  );
});

Deno.test("verify says a state file without a MAC beside an earlier release's log vouches for nothing, without a warning", async () => {
  const home = await sampleLog(2, 4);
  // The log and its state as a release that wrote no state MAC left them: its
  // checkpoints carry no line saying their writer keeps one.
  await asOlderLog(home);
  await forgeState(home);
  const { code, report } = await verifyJson(home);
  assert.equal(code, 0, JSON.stringify(report.findings));
  assert.deepEqual(report.stateMac, { outcome: "absent" });
  const text = await thothAudit(home, "verify");
  assert.match(
    text.out,
    /^state file MAC: none \(a state file of an earlier release, .*\): it vouches for nothing$/m,
  );
});
