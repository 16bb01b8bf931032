// Whoever can write the audit folder (not the keys) can append a record line
// with the right seq and prev, and even rewrite the state file to count it:
// the next writer used to take it in without a word, and the next checkpoint
// signed it. The state file now carries a MAC under a key derived from the
// device's audit key: records no valid MAC vouches for are still taken in
// (a killed writer's must not be lost), under a tail_taken_in record written
// before any checkpoint signs them, and verify warns with their seqs.
import assert from "node:assert/strict";
import { NO_INTENT } from "../../src/audit/past_the_count.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { encodeLogState } from "../../src/audit/log_state.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { thothAudit } from "./_audit_cli.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { appendUncovered, readLines, sampleLog, steppingClock } from "./_log_helpers.ts";

type Rec = Record<string, unknown>;

async function allRecords(home: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (const name of await listSegments(`${home}/audit`)) {
    for (const line of await readLines(`${home}/audit/${name}`)) out.push(JSON.parse(line));
  }
  return out;
}

const forged = {
  type: "decision",
  session: "s-0",
  server: "fs",
  tool: "wire_money",
  decisionId: "d-forged",
  verdict: "allow",
  ruleIds: [],
  mode: "block",
  policyHash: "cd".repeat(32),
  intent: null,
  args: { digest: "ab".repeat(32), shape: { t: "null" } },
};

/** Opens the log as the next writer and writes one short session; returns the first seq it wrote. */
async function appendAsNextWriter(home: string, clock = "2026-03-01T12:00:00Z"): Promise<number> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock(clock) });
  try {
    const start = await log.append({
      type: "session_start",
      session: `after-${clock}`,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({ type: "session_end", session: `after-${clock}`, exitCode: 0, signal: null });
    return start.seq;
  } finally {
    await log.close();
  }
}

/** The state file as JSON. */
async function readState(home: string): Promise<Rec> {
  return JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
}

/** Rewrites the state file to count the log as it is, keeping `extra` of the old one. */
async function restate(home: string, keep: (old: Rec) => Rec): Promise<void> {
  const dir = `${home}/audit`;
  const old = await readState(home);
  const { state } = await scanLogState(dir, await listSegments(dir));
  const rewritten = {
    ...state,
    checkpointSize: old["checkpointSize"],
    checkpointAt: old["checkpointAt"],
    checkpointRecord: old["checkpointRecord"],
    ...keep(old),
  };
  await Deno.writeFile(`${dir}/.state.json`, encodeLogState(rewritten as never));
}

/** The log's records after the forged one at `seq`, with the tail record it must be followed by. */
async function assertTakenIn(
  home: string,
  first: number,
  last: number,
  reason: string,
): Promise<Rec[]> {
  const records = await allRecords(home);
  const tails = records.filter((r) => r["type"] === "tail_taken_in");
  assert.equal(tails.length, 1, JSON.stringify(tails));
  const tail = tails[0]!;
  assert.deepEqual(
    {
      firstSeq: tail["firstSeq"],
      lastSeq: tail["lastSeq"],
      count: tail["count"],
      reason: tail["reason"],
    },
    { firstSeq: first, lastSeq: last, count: last - first + 1, reason },
  );
  const at = tail["seq"] as number;
  assert.ok(at > last, "the record follows the records it names");
  // Written before the next checkpoint signs them, and that checkpoint covers it.
  const checkpoint = records.find((r) => r["type"] === "checkpoint" && (r["seq"] as number) > last);
  assert.ok(checkpoint !== undefined, "a checkpoint follows");
  assert.ok((checkpoint["seq"] as number) > at, "the record comes before the checkpoint");
  assert.ok((checkpoint["size"] as number) > at, "the checkpoint covers the record");
  return records;
}

Deno.test("a record appended with the right seq and prev is taken in under a tail_taken_in record, and verify reports it with its seq, tampering for a decision (text and --json)", async () => {
  const home = await sampleLog(1, 2);
  const seq = (await allRecords(home)).length;
  await appendUncovered(home, forged);
  await appendAsNextWriter(home);
  await assertTakenIn(home, seq, seq, NO_INTENT);

  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  assert.equal(report.status, "tampered");
  const findings = report.findings.filter((f) => f.kind === "tail_taken_in");
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, "tamper");
  assert.equal(findings[0]!.seq, seq);
  // A decision no intent vouched for: a thoth's intent names every point a kill can leave.
  assert.equal(
    findings[0]!.message,
    `record ${seq} was found past the count of a state file whose MAC verified, with no intent ` +
      `a writer left in .pending vouching for it, and taken in at seq ${seq + 1}; it is a ` +
      `decision or approval record (seq ${seq}): someone who can write the audit folder added ` +
      "it (thoth audit show names what it says), unless a thoth that could not write .pending " +
      "was killed before counting it; keep the audit folder writable only by the account that " +
      "runs thoth",
  );
  const others = report.findings.filter((f) => f.severity !== "info" && f.kind !== "tail_taken_in");
  assert.deepEqual(others, [], "nothing else is wrong");

  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1, text.err);
  assert.match(
    text.out,
    new RegExp(
      `^TAMPERED: record ${seq}, a decision or approval record past the writer's count, was added`,
    ),
  );
  assert.match(text.out, new RegExp(`tail_taken_in seq ${seq}: record ${seq} was found`));
  const json = await thothAudit(home, "verify", "--json");
  assert.equal(json.code, 1, json.err);
  const parsed = JSON.parse(json.out);
  assert.equal(parsed.exitCode, 1);
  assert.ok(
    parsed.findings.some((f: Rec) => f["kind"] === "tail_taken_in" && f["seq"] === seq),
    json.out,
  );
});

Deno.test("a state file rewritten to count an appended record, its old MAC kept, is rebuilt as one an earlier release left (a warning, as with no MAC), and the record is taken in under a tail_taken_in record", async () => {
  const home = await sampleLog(1, 2);
  const seq = (await allRecords(home)).length;
  await appendUncovered(home, forged);
  await restate(home, (old) => ({ mac: old["mac"] }));
  await appendAsNextWriter(home);
  const records = await assertTakenIn(home, seq, seq, "the state file's MAC did not verify");
  const rebuilt = records.find((r) => r["type"] === "state_rebuilt");
  // The MAC kept is the one of the log's state before the appended record: what a writer
  // of a release without state MACs leaves. Deleting the field gets no more than a warning
  // either (the next test), so this vouches for nothing and is no tampering by itself.
  assert.match(
    String(rebuilt?.["reason"]),
    /its MAC was the one of the log's earlier state at \d+ records/,
  );

  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(
    report.findings.filter((f) => f.severity === "tamper").map((f) => [f.kind, f.seq]),
    [],
  );
  assert.ok(
    report.findings.some((f) => f.kind === "state_mac_stale" && f.seq === rebuilt?.["seq"]),
    JSON.stringify(report.findings),
  );
  const finding = report.findings.find((f) => f.kind === "tail_taken_in");
  assert.equal(finding?.seq, seq);
  assert.match(finding?.message ?? "", new RegExp(`^record ${seq} was found past the last signed`));
});

Deno.test("a state file rewritten to count an appended record, without a MAC, vouches only as far as the last signed checkpoint", async () => {
  const home = await sampleLog(1, 2);
  const seq = (await allRecords(home)).length;
  await appendUncovered(home, forged);
  await restate(home, () => ({}));
  assert.equal((await readState(home))["mac"], undefined);
  await appendAsNextWriter(home);
  await assertTakenIn(
    home,
    seq,
    seq,
    "the state file had no MAC (written by an earlier release, or replaced)",
  );
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.equal(report.findings.find((f) => f.kind === "tail_taken_in")?.seq, seq);
});

for (
  const [what, change] of [
    ["a MAC that is not the one its fields give", (s: Rec) => ({ ...s, mac: "0".repeat(64) })],
    ["a field changed under a valid MAC", (s: Rec) => ({ ...s, checkpointAt: 1 })],
  ] as const
) {
  Deno.test(`a state file with ${what} is treated as forged: rebuilt, with a reason that says its MAC did not verify`, async () => {
    const home = await sampleLog(1, 2);
    const held = (await allRecords(home)).length;
    const state = await readState(home);
    assert.match(String(state["mac"]), /^[0-9a-f]{64}$/, "the writer MACs its state");
    await Deno.writeFile(`${home}/audit/.state.json`, encodeLogState(change(state) as never));
    assert.equal(await appendAsNextWriter(home), held + 1);
    const records = await allRecords(home);
    assert.equal(records[held]!["type"], "state_rebuilt");
    assert.equal(
      records[held]!["reason"],
      "the state file did not match the log: its MAC did not verify: no thoth holding this device's audit key wrote it",
    );
    // Every record was signed by the last checkpoint: none was taken in unvouched.
    assert.equal(records.filter((r) => r["type"] === "tail_taken_in").length, 0);
    // The state file's MAC did not verify: someone other than thoth wrote it (tampering).
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
    assert.deepEqual(
      report.findings.filter((f) => f.severity !== "info").map((f) => [f.kind, f.seq]),
      [["state_mac_failed", held]],
    );
  });
}
