/**
 * A fleet upgrading client by client: a thoth of a release from before state
 * MACs that writes a log after this release reads the state file keeping the
 * fields it does not know, so it writes this release's `mac` back unchanged
 * over its own count. Before, `thoth audit verify` reported that as
 * tampering (`state_mac_failed`, exit 1) and `export` refused. The MAC is
 * the one of the log's earlier state: verify now warns (`state_mac_stale`,
 * exit 2). A MAC that is no earlier state's stays tampering. Logs written by
 * the audit library as sessions write them; the earlier release's session
 * as that release writes it (see `_earlier_release_writer.ts`).
 */
import assert from "node:assert/strict";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { encodeLogStateText, parseLogState } from "../../src/audit/log_state.ts";
import { stateMac, stateMacKey } from "../../src/audit/state_mac.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { kinds, readLines, segmentPath, steppingClock } from "./_log_helpers.ts";
import { cutTo, thisReleaseSession } from "./_state_mac_sessions.ts";
import { earlierReleaseSession } from "./_earlier_release_writer.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A log an earlier release wrote, then this release, then the earlier release again. */
async function upgradeAndBack(): Promise<{ home: string; stale: number }> {
  const home = await tempFolder("thoth-audit-");
  await Deno.mkdir(`${home}/audit/checkpoints`, { recursive: true });
  await thisReleaseSession(home, "s-new", 3, "2026-03-01T10:00:00Z", { checkpointFirst: true });
  const stale = (await readLines(await segmentPath(home))).length;
  await earlierReleaseSession(home, "s-old", 2, "2026-03-01T11:00:00Z");
  return { home, stale };
}

Deno.test("verify warns, not tampering, of the MAC an earlier release's writer left over its own count", async () => {
  const { home, stale } = await upgradeAndBack();
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["state_mac_stale"]);
  assert.deepEqual(report.stateMac, { outcome: "stale", staleSize: stale });
  const finding = report.findings.find((f) => f.kind === "state_mac_stale")!;
  assert.equal(finding.source, ".state.json");
  assert.match(finding.message, new RegExp(`earlier state at ${stale} records`));
  assert.match(finding.message, /a thoth of an earlier release/);
  // Not stated as fact: whoever kept an earlier state file can put its MAC back too.
  assert.match(
    finding.message,
    new RegExp(
      `wrote the log after a thoth of this release, or someone put back the MAC of an earlier ` +
        `state file \\(records from seq ${stale} on are vouched for by no MAC\\): the count it ` +
        "gave vouches for nothing",
    ),
  );
  assert.match(finding.message, /restart every client that still runs thoth of an earlier release/);
  const text = formatVerifyReport(report);
  assert.match(text, /^EARLIER RELEASE WROTE THE LOG: /);
  assert.match(
    text,
    new RegExp(`state file MAC: stale, the one of the log's earlier state at ${stale} records`),
  );
});

Deno.test("the MAC of an earlier state a killed session of this release left, mid-session, is found too", async () => {
  const home = await tempFolder("thoth-audit-");
  const dir = `${home}/audit`;
  let kept: { state: string; lines: number } | undefined;
  const afterEach = async () => {
    // The second decision's batch: the state a kill right after it leaves.
    if (kept === undefined && (await readLines(await segmentPath(home))).length >= 4) {
      kept = {
        state: await Deno.readTextFile(`${dir}/.state.json`),
        lines: (await readLines(await segmentPath(home))).length,
      };
    }
  };
  const clock = steppingClock("2026-03-01T10:00:00Z", 1);
  await thisReleaseSession(home, "s-new", 4, clock, { checkpointFirst: true, afterEach });
  // The kill: the log and the state as that batch left them.
  await cutTo(home, kept!.lines);
  await Deno.writeTextFile(`${dir}/.state.json`, kept!.state);
  await earlierReleaseSession(home, "s-old", 2, "2026-03-01T11:00:00Z");
  const report = await verifyLocalLog(home);
  assert.deepEqual(report.stateMac, { outcome: "stale", staleSize: kept!.lines });
  assert.ok(!report.findings.some((f) => f.severity === "tamper"), JSON.stringify(report.findings));
});

Deno.test("a MAC that is no earlier state's of the log stays tampering", async () => {
  const { home } = await upgradeAndBack();
  const statePath = `${home}/audit/.state.json`;
  const state = parseLogState(await Deno.readTextFile(statePath))!;
  // The MAC of this very state under another key, and one of no state at all.
  const other = stateMacKey(crypto.getRandomValues(new Uint8Array(32)));
  for (const mac of [stateMac(other, state), "ab".repeat(32)]) {
    await Deno.writeTextFile(statePath, encodeLogStateText({ ...state, mac }));
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 1);
    assert.equal(report.stateMac?.outcome, "failed");
    assert.ok(report.findings.some((f) => f.kind === "state_mac_failed"));
  }
});

Deno.test("an earlier state's MAC over a count it does not go with is no earlier state's: tampering", async () => {
  const { home, stale } = await upgradeAndBack();
  const statePath = `${home}/audit/.state.json`;
  const state = parseLogState(await Deno.readTextFile(statePath))!;
  // The device's MAC of the earlier state, with a field of it changed: not the log's at any count.
  const raw = fromBase64((await Deno.readTextFile(auditPaths(home).hmacKey)).trim())!;
  const key = stateMacKey(raw);
  assert.ok(state.size > stale);
  const forged = { ...state, segmentBytes: 1 };
  await Deno.writeTextFile(
    statePath,
    encodeLogStateText({ ...state, mac: stateMac(key, forged) }),
  );
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.equal(report.stateMac?.outcome, "failed");
});
