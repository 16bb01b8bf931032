// A state file whose last leaf hash was forged names a record the log does
// not hold. The next writer rebuilds its state from the log and keeps what
// the state file said; `verify` must then not call the record replaced when
// the record is proven as it was (an intact signed checkpoint covers it):
// the state file was forged, which is tampering too (exit 1), reported as
// `state_forged`. The state's own Merkle frontier is no proof (whoever forges
// the state file writes it too): a record no checkpoint covers is `modified`,
// "replaced, or the state file was forged", and so is one really replaced.
import assert from "node:assert/strict";
import { encodeLogState, type LogState } from "../../src/audit/log_state.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendAsNextWriter,
  appendUncovered,
  readLines,
  sampleLog,
  segmentPath,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

/** Rewrites the state file as `forge(state now)`. */
async function forgeStateFile(
  home: string,
  forge: (real: LogState) => LogState,
): Promise<LogState> {
  const path = `${home}/audit/.state.json`;
  const real = JSON.parse(await Deno.readTextFile(path)) as LogState;
  await Deno.writeFile(path, encodeLogState(forge(real)));
  return real;
}

/** The seq of the state_rebuilt record, checked to be the only one. */
async function rebuiltSeq(home: string): Promise<number> {
  const lines = await readLines(await segmentPath(home, -1));
  const rebuilt = lines.map((l) => JSON.parse(l)).filter((r) => r.type === "state_rebuilt");
  assert.equal(rebuilt.length, 1, "one state_rebuilt record");
  return rebuilt[0].seq;
}

Deno.test("audit verify: a forged last leaf hash naming a record no checkpoint covers is modified, unproven, in text and --json", async () => {
  const home = await sampleLog(2, 4);
  // The sample ends in a checkpoint record that no checkpoint signed before the
  // rebuild covers: nothing proves it, the state's own frontier least of all.
  const real = await forgeStateFile(home, (state) => ({ ...state, last: "22".repeat(32) }));
  await appendAsNextWriter(home);
  const at = await rebuiltSeq(home);
  assert.equal(at, real.size, "the writer rebuilt right after the records it found");

  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1, text.out + text.err);
  assert.equal(text.out.split("\n")[0], "TAMPERED: the audit log was changed");
  assert.doesNotMatch(text.out, /verify as unmodified/);
  const line = text.out.split("\n").find((l) => l.includes(" modified "));
  assert.ok(line !== undefined, text.out);
  assert.match(line, new RegExp(`tamper +modified seq ${real.size - 1}: `));
  assert.match(
    line,
    new RegExp(
      `it was replaced, or the state file was forged; no signed checkpoint from before seq ${at} covers that record, so nothing shows which`,
    ),
  );
  assert.match(line, /the state's own Merkle frontier commits to the record the log holds/);

  const json = await thothAudit(home, "verify", "--json");
  assert.equal(json.code, 1);
  const report = JSON.parse(json.out);
  assert.equal(report.status, "tampered");
  assert.equal(report.exitCode, 1);
  const tamper = report.findings.filter((f: { severity: string }) => f.severity === "tamper");
  assert.deepEqual(
    tamper.map((f: { kind: string; seq: number; source: string }) => [f.kind, f.seq, f.source]),
    [["modified", real.size - 1, `log seq ${at}`]],
  );
});

Deno.test("verify: a forged count whose last names another record is state_forged when a signed checkpoint covers that record", async () => {
  const home = await sampleLog(2, 4);
  // A count of 3 with the real last hash and a frontier that is no frontier of 3:
  // only the checkpoint of size 10, signed before the rebuild, proves record 2.
  await forgeStateFile(home, (real) => ({ ...real, size: 3, frontier: real.frontier.slice(0, 2) }));
  await appendAsNextWriter(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(tamperKinds(report.findings), ["state_forged"], JSON.stringify(report.findings));
  const forged = report.findings.find((f) => f.kind === "state_forged")!;
  assert.equal(forged.seq, 2);
  assert.match(forged.message, /the signed checkpoint of size \d+ covers that record/);
  assert.match(forged.message, /the writer rebuilt its state from the log there/);
  assert.match(
    forged.message,
    /keep the audit folder writable only by the account that runs thoth/,
  );

  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1);
  assert.equal(
    text.out.split("\n")[0],
    "TAMPERED: the writer's state file was forged; the records verify as unmodified",
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.equal(json.status, "tampered");
});

Deno.test("verify: a forged last in a state file no writer has read yet is modified when no checkpoint covers the record, with the next writer as remedy only when one does", async () => {
  const home = await sampleLog(2, 4);
  const real = await forgeStateFile(home, (state) => ({ ...state, last: "33".repeat(32) }));
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.equal(report.status, "tampered");
  assert.deepEqual(tamperKinds(report.findings), ["modified"], JSON.stringify(report.findings));
  const f = report.findings.find((x) => x.kind === "modified")!;
  assert.deepEqual([f.seq, f.source], [real.size - 1, ".state.json"]);
  assert.match(
    f.message,
    /it was replaced, or the state file was forged; no signed checkpoint covers/,
  );

  // A count one short names a record the last checkpoint covers: proven, state_forged.
  const home2 = await sampleLog(2, 4);
  const real2 = await forgeStateFile(home2, (state) => ({
    ...state,
    size: state.size - 1,
    last: "33".repeat(32),
    frontier: [],
  }));
  const report2 = await verifyLocalLog(home2);
  assert.deepEqual(
    tamperKinds(report2.findings),
    ["state_forged"],
    JSON.stringify(report2.findings),
  );
  const forged = report2.findings.find((x) => x.kind === "state_forged")!;
  assert.deepEqual([forged.seq, forged.source], [real2.size - 2, ".state.json"]);
  assert.match(forged.message, /the next writer .* rebuilds it from the log/);
});

Deno.test("verify: a last record really replaced is still modified after the next writer rebuilds the state", async () => {
  const home = await sampleLog(1, 4);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const last = JSON.parse(lines.pop()!);
  await writeLines(path, lines);
  await appendUncovered(home, { type: "session_end", session: "s-0", exitCode: 1, signal: null });
  await appendAsNextWriter(home);
  await rebuiltSeq(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(tamperKinds(report.findings), ["modified"], JSON.stringify(report.findings));
  const f = report.findings.find((x) => x.kind === "modified")!;
  assert.equal(f.seq, last.seq);
  assert.match(
    f.message,
    /it was replaced, or the state file was forged; no signed checkpoint from before seq \d+ covers that record/,
  );
});
