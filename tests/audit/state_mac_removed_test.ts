/**
 * Every checkpoint a writer of this release signs carries a line saying it
 * keeps a MAC on the state file it writes, signed with the root. So a state
 * file without a MAC beside a log whose newest intact checkpoint carries that
 * line is someone's doing: `thoth audit verify` warns (`state_mac_removed`,
 * headline `STATE FILE EDITED`, exit 2). Before, an attacker who cut the
 * log's newest records and their checkpoint notes and rebuilt the state
 * without a MAC got `OK: the audit log is intact`. A log of an earlier
 * release (no such line) verifies as before. What verify cannot see without
 * an anchor is said too: an older genuine state put back, with the log cut to
 * match and the newer notes removed. Logs written by the audit library as
 * sessions write them; the edits are an attacker's, to the audit folder only.
 */
import assert from "node:assert/strict";
import { statedCheckpoint } from "../../src/audit/checkpoint.ts";
import { STATE_MAC_EXTENSION } from "../../src/audit/state_mac_signal.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { thothAudit } from "./_audit_cli.ts";
import {
  exportAnchor,
  forgeState,
  kinds,
  readLines,
  segmentPath,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { asOlderLog } from "./_older_log.ts";
import { cutTo, thisReleaseSession } from "./_state_mac_sessions.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Two sessions of 10 calls; returns the home and how many records the first one left. */
async function twoSessions(): Promise<{ home: string; first: number }> {
  const home = await tempFolder("thoth-audit-");
  await thisReleaseSession(home, "s-1", 10, "2026-03-01T10:00:00Z");
  const first = (await readLines(await segmentPath(home, -1))).length;
  await thisReleaseSession(home, "s-2", 10, "2026-03-01T11:00:00Z");
  return { home, first };
}

Deno.test("every checkpoint this release signs says its writer keeps a MAC on its state", async () => {
  const { home } = await twoSessions();
  const checkpoints = (await readLines(await segmentPath(home, -1)))
    .map((line) => JSON.parse(line))
    .filter((record) => record.type === "checkpoint");
  assert.ok(checkpoints.length >= 2);
  for (const record of checkpoints) {
    assert.deepEqual(statedCheckpoint(record.note)?.extensions, [STATE_MAC_EXTENSION]);
  }
});

Deno.test("verify warns of a state file whose MAC was taken out, with the log's second session cut to match", async () => {
  const { home, first } = await twoSessions();
  // The anchor a careful admin exported after the second session.
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  // The reviewer's attack: the second session and its checkpoint note cut, the state
  // rebuilt from what is left by the project's own scan, without a MAC.
  await cutTo(home, first);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["state_mac_removed"]);
  assert.deepEqual(report.stateMac, { outcome: "removed", checkpointSize: first - 1 });
  const finding = report.findings.find((f) => f.kind === "state_mac_removed")!;
  assert.equal(finding.source, ".state.json");
  assert.match(
    finding.message,
    new RegExp(
      `^the writer's state file \\.state\\.json carries no MAC, but the signed checkpoint of size ${
        first - 1
      }, the newest the records reproduce, says its writer keeps a MAC on every state it writes: someone wrote the state file`,
    ),
  );
  assert.match(
    finding.message,
    /only a checkpoint kept off the device shows them \(thoth audit verify --anchor FILE\)/,
  );

  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 2);
  assert.match(
    text.out.split("\n")[0]!,
    /^STATE FILE EDITED: the writer's state file is not as thoth wrote it \(see below\), so its count does not show whether records were cut from the end of the log/,
  );
  assert.match(
    text.out,
    new RegExp(
      `^state file MAC: none, though the signed checkpoint of size ${
        first - 1
      } says its writer keeps one \\(see state_mac_removed\\): it vouches for nothing$`,
      "m",
    ),
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.deepEqual(json.stateMac, { outcome: "removed", checkpointSize: first - 1 });

  // Only the anchor shows the cut itself.
  const anchored = await verifyLocalLog(home, { anchorPath });
  assert.deepEqual(tamperKinds(anchored.findings), ["truncated"]);
});

Deno.test("verify warns of a MAC taken out wherever the log is cut past a checkpoint of this release", async () => {
  const { home, first } = await twoSessions();
  const total = (await readLines(await segmentPath(home, -1))).length;
  // Cut inside the second session, at the first one's end, inside it, down to one record:
  // a log this release started is checkpointed after its first record already.
  for (const keep of [total - 3, first + 2, first - 1, 5, 1]) {
    const copy = await tempFolder("thoth-audit-");
    await Deno.remove(copy, { recursive: true });
    await copyTree(home, copy);
    await cutTo(copy, keep);
    await forgeState(copy);
    const report = await verifyLocalLog(copy);
    // A session cut short has no end, which warns too.
    assert.deepEqual(
      kinds(report.findings).filter((kind) => kind !== "session_without_end"),
      ["state_mac_removed"],
      `cut to ${keep}: ${JSON.stringify(report.findings)}`,
    );
    assert.equal(report.exitCode, 2, `cut to ${keep}: ${JSON.stringify(report.findings)}`);
  }
});

Deno.test("a writer that finds a state without a MAC signs a checkpoint saying it keeps one before its records", async () => {
  const { home } = await twoSessions();
  // An earlier release's log and state: checkpoints without the line, a state without a MAC.
  await asOlderLog(home);
  await forgeState(home);
  assert.deepEqual((await verifyLocalLog(home)).stateMac, { outcome: "absent" });
  const held = (await readLines(await segmentPath(home, -1))).length;

  // This release's first session on that log: a tail_taken_in record names the records
  // nothing vouched for (an earlier release's state has no MAC), then the checkpoint.
  await thisReleaseSession(home, "s-3", 4, "2026-03-01T13:00:00Z");
  const lines = (await readLines(await segmentPath(home, -1))).map((l) => JSON.parse(l));
  const at = lines.findIndex((record, i) => i >= held && record.type === "checkpoint");
  assert.deepEqual(
    lines.slice(held, at).map((record) => record.type),
    at === held ? [] : ["tail_taken_in"],
  );
  const signal = lines[at];
  assert.equal(signal.size, at);
  assert.deepEqual(statedCheckpoint(signal.note)?.extensions, [STATE_MAC_EXTENSION]);
  assert.equal(lines[at + 1].type, "session_start");
  assert.deepEqual((await verifyLocalLog(home)).stateMac, { outcome: "verified" });

  // Cut back to before its session's closing checkpoint, the state's MAC taken out:
  // the checkpoint signed before its records still says a MAC belongs there.
  await cutTo(home, at + 4);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.deepEqual(
    // The session cut short has no end; the earlier release's records were taken in.
    kinds(report.findings).filter((kind) =>
      kind !== "tail_taken_in" && kind !== "session_without_end"
    ),
    ["state_mac_removed"],
    JSON.stringify(report.findings),
  );
  assert.deepEqual(report.stateMac, { outcome: "removed", checkpointSize: at });

  // Cut back to the log the earlier release left: nothing tells it from one (only an anchor).
  await cutTo(home, held);
  await forgeState(home);
  const older = await verifyLocalLog(home);
  assert.equal(older.exitCode, 0, JSON.stringify(older.findings));
  assert.deepEqual(older.stateMac, { outcome: "absent" });
});

Deno.test("an older genuine state put back with the log cut to match: the checkpoint notes left show it, else only an anchor", async () => {
  const home = await tempFolder("thoth-audit-");
  await thisReleaseSession(home, "s-1", 10, "2026-03-01T10:00:00Z");
  const first = (await readLines(await segmentPath(home, -1))).length;
  const genuine = await Deno.readFile(`${home}/audit/.state.json`);
  await thisReleaseSession(home, "s-2", 10, "2026-03-01T11:00:00Z");
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");

  // The state file of the end of the first session put back, the log cut to match, the
  // newer checkpoint notes left: a signed checkpoint past the end of the log shows the cut.
  const path = await segmentPath(home, -1);
  await writeLines(path, (await readLines(path)).slice(0, first));
  await Deno.writeFile(`${home}/audit/.state.json`, genuine);
  const left = await verifyLocalLog(home);
  assert.deepEqual(tamperKinds(left.findings), ["truncated"], JSON.stringify(left.findings));

  // The newer notes removed too: every file agrees, and the state's MAC verifies. That
  // shows thoth wrote the state, not that it is the newest, as the report's line says.
  await cutTo(home, first);
  const blind = await verifyLocalLog(home);
  assert.equal(blind.exitCode, 0, JSON.stringify(blind.findings));
  assert.deepEqual(blind.stateMac, { outcome: "verified" });
  const text = formatVerifyReport(blind);
  assert.match(
    text,
    /^state file MAC: verified \(.*not that it is the newest.*only --anchor shows that cut\)$/m,
  );
  assert.match(text, /only detectable against a checkpoint exported off this device/);
  const anchored = await verifyLocalLog(home, { anchorPath });
  assert.deepEqual(tamperKinds(anchored.findings), ["truncated"]);
});

/** Copies the folder `from` to `to`, recursively. */
async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}
