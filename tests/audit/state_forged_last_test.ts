// A state file whose last leaf hash was forged names a record the log does
// not hold. The next writer rebuilds its state from the log and keeps what
// the state file said; `verify` must then not call the record replaced when
// the records are proven as they were (a signed checkpoint covers them, or
// the state's own Merkle frontier matches them): the state file was forged,
// which is tampering too (exit 1), reported as `state_forged`. A record that
// was really replaced is still `modified`.
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

Deno.test("audit verify: a forged last leaf hash in the state file is state_forged, not a modified record, in text and --json", async () => {
  const home = await sampleLog(2, 4);
  // The sample ends in a checkpoint record that no checkpoint signed before the
  // rebuild covers: only the state's own frontier can prove the record.
  const real = await forgeStateFile(home, (state) => ({ ...state, last: "22".repeat(32) }));
  await appendAsNextWriter(home);
  const at = await rebuiltSeq(home);
  assert.equal(at, real.size, "the writer rebuilt right after the records it found");

  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1, text.out + text.err);
  const headline = text.out.split("\n")[0]!;
  assert.match(
    headline,
    /^TAMPERED: the writer's state file was forged; the records verify as unmodified$/,
  );
  assert.doesNotMatch(text.out, /\bmodified seq/);
  const line = text.out.split("\n").find((l) => l.includes("state_forged"));
  assert.ok(line !== undefined, text.out);
  assert.match(line, new RegExp(`tamper +state_forged seq ${real.size - 1}: `));
  assert.match(line, new RegExp(`before seq ${at} `));
  assert.match(line, /the records verify as unmodified/);
  assert.match(line, /keep the audit folder writable only by the account that runs thoth/);

  const json = await thothAudit(home, "verify", "--json");
  assert.equal(json.code, 1);
  const report = JSON.parse(json.out);
  assert.equal(report.status, "tampered");
  assert.equal(report.exitCode, 1);
  const tamper = report.findings.filter((f: { severity: string }) => f.severity === "tamper");
  assert.deepEqual(
    tamper.map((f: { kind: string; seq: number; source: string }) => [f.kind, f.seq, f.source]),
    [["state_forged", real.size - 1, `log seq ${at}`]],
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
});

Deno.test("verify: a forged state file no writer has read yet is state_forged at the record it names, with the next writer as remedy", async () => {
  const home = await sampleLog(2, 4);
  const real = await forgeStateFile(home, (state) => ({ ...state, last: "33".repeat(32) }));
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.equal(report.status, "tampered");
  assert.deepEqual(tamperKinds(report.findings), ["state_forged"], JSON.stringify(report.findings));
  const forged = report.findings.find((f) => f.kind === "state_forged")!;
  assert.deepEqual([forged.seq, forged.source], [real.size - 1, ".state.json"]);
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
  assert.match(f.message, /it was replaced, unless the state file was forged/);
});
