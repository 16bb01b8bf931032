// What records say that no session or clock of the log explains: a decision
// or approval of a session no session_start starts, in records read from seq
// 0, warns naming the session and the seqs (records of a killed session
// taken in from its spool after its start, and a bundle that starts mid-log,
// do not); a
// record dated more than the tolerance before the one it follows warns once
// per step back, naming the seq, and a step back within it does not.
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { thothAudit } from "./_audit_cli.ts";
import { readLines, segmentPath, steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

interface JsonFinding {
  kind: string;
  severity: string;
  seq?: number;
  message: string;
}

/** `thoth audit verify --json [args]`: its exit code and findings. */
async function verifyJson(
  home: string,
  ...args: string[]
): Promise<{ code: number; findings: JsonFinding[] }> {
  const r = await thothAudit(home, "verify", "--json", ...args);
  const json = JSON.parse(r.out);
  return { code: r.code, findings: json.findings };
}

/** Opens the log under `home` on a clock from `clock`, appends `events`, closes it. */
async function write(home: string, clock: string, events: AuditEvent[]): Promise<void> {
  const log: AuditLog = await openAuditLog({
    thothHome: home,
    now: steppingClock(clock),
    checkpointEvery: 10,
  });
  for (const event of events) await log.append(event);
  await log.close();
}

const start = (session: string): AuditEvent => ({
  type: "session_start",
  session,
  server: "fs",
  commandDigest: "ab".repeat(32),
  envKeys: [],
});
const decision = (session: string, id: string): AuditEvent => ({
  type: "decision",
  session,
  server: "fs",
  tool: "write_file",
  decisionId: id,
  verdict: "step_up",
  ruleIds: ["r"],
  mode: "step_up",
  policyHash: "cd".repeat(32),
  intent: null,
  effect: "approval_requested",
  args: { digest: "ef".repeat(32), shape: { t: "object", keys: {} } },
});
const approval = (session: string, id: string): AuditEvent => ({
  type: "approval",
  session,
  decisionId: id,
  channel: "terminal",
  outcome: "approved",
});
const end = (session: string): AuditEvent => ({
  type: "session_end",
  session,
  exitCode: 0,
  signal: null,
});

Deno.test("verify: a decision and an approval of a session that never started warn, naming the session and seqs; a killed session's records taken in after its start, and a bundle that starts mid-log, do not", async () => {
  const home = await tempFolder("thoth-audit-");
  await write(home, "2026-03-01T10:00:00Z", [
    start("s-1"),
    decision("s-1", "d-1"),
    approval("s-1", "d-1"),
    // A killed session's records, taken in from its spool by a later session.
    start("s-dead"),
    start("s-new"),
    { type: "spool_recovered", session: "s-new", file: "s-dead-1.jsonl", count: 2 },
    decision("s-dead", "d-3"),
    approval("s-dead", "d-3"),
    end("s-new"),
    decision("ghost", "d-2"),
    approval("ghost", "d-2"),
    end("s-1"),
  ]);
  const records = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  const seqs = records.filter((r) => r.session === "ghost").map((r) => r.seq);
  assert.equal(seqs.length, 2);
  const { code, findings } = await verifyJson(home);
  assert.equal(code, 2, JSON.stringify(findings));
  const never = findings.filter((f) => f.kind === "session_never_started");
  assert.equal(never.length, 1, JSON.stringify(findings));
  assert.equal(never[0]!.severity, "warning");
  assert.equal(never[0]!.seq, seqs[0]);
  const named = `2 records, at seq ${seqs.join(", ")}, name session ghost`;
  assert.ok(
    never[0]!.message.startsWith(`${named}, which no session_start record starts`),
    never[0]!.message,
  );
  const text = await thothAudit(home, "verify");
  assert.ok(text.out.includes(`warning session_never_started seq ${seqs[0]}: ${named}`), text.out);

  // A bundle from the decision of s-1 on: no start is in view, and none is asked for.
  const since = records.find((r) => r.type === "decision")!.ts;
  const dir = `${home}/b1`;
  const exported = await thothAudit(home, "export", "--since", since, "--output", dir);
  assert.equal(exported.code, 0, exported.err);
  const bundle = await verifyJson(home, "--bundle", dir);
  assert.deepEqual(bundle.findings.filter((f) => f.kind === "session_never_started"), []);
});

Deno.test("verify: a clock set back an hour warns once, at the first record after the step; a step back within the tolerance does not", async () => {
  const home = await tempFolder("thoth-audit-");
  await write(home, "2026-03-01T10:00:00Z", [
    start("s-1"),
    decision("s-1", "d-1"),
    approval("s-1", "d-1"),
    end("s-1"),
  ]);
  const before = (await readLines(await segmentPath(home))).length;
  // Another process whose clock was set back an hour writes a whole session.
  await write(home, "2026-03-01T09:00:00Z", [
    start("s-2"),
    decision("s-2", "d-2"),
    approval("s-2", "d-2"),
    end("s-2"),
  ]);
  const lines = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  // And one whose clock runs 3.5 s behind the last record: within the 5 s
  // tolerance (CLOCK_TOLERANCE_MS in clock_jumps.ts).
  const last = Date.parse(lines.at(-1)!.ts);
  await write(
    home,
    new Date(last - 3_500).toISOString(),
    [start("s-3"), end("s-3")],
  );
  const { code, findings } = await verifyJson(home);
  assert.equal(code, 2, JSON.stringify(findings));
  const back = findings.filter((f) => f.kind === "clock_went_back");
  assert.equal(back.length, 1, JSON.stringify(back));
  assert.equal(back[0]!.seq, before);
  assert.match(
    back[0]!.message,
    new RegExp(
      `^the record at seq ${before} is dated 2026-03-01T09:00:\\d\\d\\.000Z, 60 min before the record before it \\(seq ${
        before - 1
      }, 2026-03-01T10:00:\\d\\d\\.000Z\\)`,
    ),
  );
  assert.deepEqual(
    findings.filter((f) => f.severity !== "info" && f.kind !== "clock_went_back"),
    [],
  );
});
