/**
 * `thoth audit show` reads the log a line at a time (`shown_records.ts`),
 * yet prints what a reader holding the whole log prints: each case here is
 * compared, byte for byte on stdout and stderr, with such a reader (the
 * records parsed at once, `recordsOfDecision` and `recordTableLines` over
 * all of them, as `show` read them before), on a log built to trip a reader
 * that judges too soon: an outcome written before its decision, a session
 * named before its `session_start`, a decision id used twice with two
 * servers, a stateless retry whose approval comes after the retried call, a
 * decision id written with a JSON escape, a record written late, and a
 * damaged line. `scanLogLines` hands over the lines `readLogLines` reads,
 * whatever the size of its reads.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import { leafHashSync } from "../../src/audit/merkle_hash.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { segmentName } from "../../src/audit/log_paths.ts";
import { type LogLine, readLogLines, scanLogLines } from "../../src/audit/read_records.ts";
import { recordsOfDecision } from "../../src/audit/decision_records.ts";
import { escapeJsonForDisplay } from "../../src/audit/escape_json_for_display.ts";
import { recordTableLines, serverOf } from "../../src/audit/format_records.ts";
import { hasShownEffect, type ShownEffect } from "../../src/audit/shown_effect.ts";
import { recordTimeMs } from "../../src/audit/record_time.ts";
import { unchainedNotice, unchainedRanges } from "../../src/audit/chain_links.ts";

type Rec = Record<string, unknown>;

const D = (n: number) => `d-${n.toString(16).padStart(16, "0")}`;

/** The events of the log, in order; a string is a line written as it is. */
const EVENTS: (Rec | string)[] = [
  { type: "session_start", session: "s1", server: "alpha", envKeys: [] },
  // An outcome before its decision, which names another server than its session's.
  { type: "outcome", session: "s1", decisionId: D(1), isError: false, durationMs: 3 },
  {
    type: "decision",
    session: "s1",
    server: "beta",
    tool: "t1",
    decisionId: D(1),
    verdict: "allow",
    ruleIds: [],
    mode: "enforce",
    effect: "forwarded",
  },
  // A session named before its session_start.
  { type: "cancellation", session: "s2", reason: "client went away" },
  { type: "session_start", session: "s2", server: "gamma", envKeys: [] },
  { type: "handshake", session: "s2", clientName: "c", serverName: "gamma-srv" },
  // One decision id, two servers: the last one counts.
  {
    type: "decision",
    session: "s2",
    server: "gamma",
    tool: "t2",
    decisionId: D(2),
    verdict: "block",
    ruleIds: ["r1"],
    reasons: ['rule "r1": no'],
    mode: "enforce",
    effect: "blocked",
  },
  { type: "outcome", session: "s2", decisionId: D(2), isError: true, durationMs: 1 },
  {
    type: "decision",
    session: "s2",
    server: "delta",
    tool: "t2b",
    decisionId: D(2),
    verdict: "allow",
    ruleIds: [],
    mode: "enforce",
    effect: "forwarded",
  },
  // A stateless retry: the asking call, the retry, then the approval tying them.
  {
    type: "decision",
    session: "s1",
    server: "alpha",
    tool: "t3",
    decisionId: D(3),
    verdict: "step_up",
    ruleIds: ["r2"],
    mode: "enforce",
    effect: "approval_requested",
  },
  {
    type: "decision",
    session: "s2",
    server: "gamma",
    tool: "t3",
    decisionId: D(4),
    verdict: "step_up",
    ruleIds: ["r2"],
    mode: "enforce",
    effect: "forwarded",
  },
  {
    type: "approval",
    session: "s1",
    decisionId: D(3),
    retryDecisionId: D(4),
    channel: "dialog",
    approver: "ana",
    outcome: "approved",
    scope: "once",
    latencyMs: 900,
  },
  { type: "outcome", session: "s2", decisionId: D(4), isError: false, durationMs: 0.2 },
  // Written late: its decidedAt is a day before its ts.
  {
    type: "decision",
    session: "s1",
    server: "alpha",
    tool: "t5",
    decisionId: D(5),
    verdict: "allow",
    ruleIds: [],
    mode: "enforce",
    effect: "forwarded",
    decidedAt: "2026-02-28T10:00:00.000Z",
  },
  // The decision id with a JSON escape in the stored bytes.
  `{"type":"outcome","session":"s1","decisionId":"\\u0064-0000000000000003","isError":false,"durationMs":5}`,
  {
    type: "request",
    session: "s1",
    server: "alpha",
    method: "resources/read",
    uri: "demo://x",
    effect: "refused",
  },
  { type: "session_end", session: "s2" },
];

/** Writes EVENTS as a chained log (a damaged line after record `damagedAfter` if given). */
async function writeLog(damagedAfter?: number): Promise<string> {
  const home = `${await tempFolder("thoth-shown-")}/home`;
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  const encoder = new TextEncoder();
  let prev = GENESIS_PREV;
  const lines: string[] = [];
  EVENTS.forEach((event, seq) => {
    const ts = new Date(Date.UTC(2026, 2, 1, 9, 0, seq)).toISOString();
    const envelope = `{"v":1,"seq":${seq},"ts":"${ts}","prev":"${prev}",`;
    const line = typeof event === "string"
      ? envelope + event.slice(1)
      : envelope + JSON.stringify(event).slice(1);
    prev = toHex(leafHashSync(encoder.encode(line)));
    lines.push(line);
    if (seq === damagedAfter) lines.push('{"type":"decision", cut short');
  });
  const half = Math.floor(lines.length / 2);
  await Deno.writeTextFile(
    `${home}/audit/${segmentName(0, "2026-03-01")}`,
    lines.slice(0, half).join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${home}/audit/${segmentName(half, "2026-03-01")}`,
    lines.slice(half).join("\n") + "\n" + '{"type":"partial line without its newline"',
  );
  return home;
}

/** What `show` printed when it held the whole log (its reading before it streamed). */
async function wholeLogShow(home: string, o: {
  since?: number;
  until?: number;
  server?: string;
  decision?: string;
  effect?: ShownEffect;
  decisionId?: string;
  json?: boolean;
}): Promise<{ code: number; out: string; err: string }> {
  const lines: LogLine[] = await readLogLines(`${home}/audit`);
  const records = lines.flatMap((l) => l.record ? [{ record: l.record, bytes: l.bytes }] : []);
  const all = records.map((r) => r.record);
  const decisions = new Map(
    all.filter((r) => r["type"] === "decision").map((r) => [String(r["decisionId"]), r]),
  );
  const sessions = new Map(
    all.filter((r) => r["type"] === "session_start").map((
      r,
    ) => [String(r["session"]), String(r["server"])]),
  );
  const tied = o.decisionId === undefined
    ? undefined
    : new Set(recordsOfDecision(all, o.decisionId));
  if (tied !== undefined && tied.size === 0) return { code: 1, out: "", err: "not found" };
  const chosen = records.filter(({ record }) => {
    if (tied !== undefined) return tied.has(record);
    const ts = recordTimeMs(record);
    if (!(ts >= (o.since ?? -Infinity) && ts <= (o.until ?? Infinity))) return false;
    if (o.server !== undefined && serverOf(record, decisions, sessions) !== o.server) return false;
    if (
      o.decision !== undefined &&
      (record["type"] !== "decision" || record["verdict"] !== o.decision)
    ) return false;
    return o.effect === undefined || hasShownEffect(record, o.effect);
  });
  const out = o.json
    ? chosen.map((c) => escapeJsonForDisplay(new TextDecoder().decode(c.bytes)) + "\n").join("")
    : recordTableLines(chosen.map((c) => c.record), all).map((l) => l + "\n").join("");
  const ranges = unchainedRanges(lines, { startsLog: true });
  return ranges.length === 0
    ? { code: 0, out, err: "" }
    : { code: 1, out, err: unchainedNotice(ranges) };
}

const CASES: { args: string[]; whole: Parameters<typeof wholeLogShow>[1] }[] = [];
for (const json of [false, true]) {
  const j = json ? ["--json"] : [];
  CASES.push(
    { args: [...j], whole: { json } },
    { args: ["--server", "beta", ...j], whole: { server: "beta", json } },
    { args: ["--server", "gamma", ...j], whole: { server: "gamma", json } },
    { args: ["--server", "delta", ...j], whole: { server: "delta", json } },
    {
      args: ["--server", "alpha", "--effect", "blocked", ...j],
      whole: { server: "alpha", effect: "blocked", json },
    },
    { args: ["--decision", "step_up", ...j], whole: { decision: "step_up", json } },
    {
      args: ["--since", "2026-02-28T00:00:00Z", "--until", "2026-02-28T23:59:59Z", ...j],
      whole: {
        since: Date.parse("2026-02-28T00:00:00Z"),
        until: Date.parse("2026-02-28T23:59:59.999Z"),
        json,
      },
    },
    { args: ["--decision-id", D(3), ...j], whole: { decisionId: D(3), json } },
    { args: ["--decision-id", D(4), ...j], whole: { decisionId: D(4), json } },
    { args: ["--decision-id", D(2), ...j], whole: { decisionId: D(2), json } },
  );
}

for (const damaged of [undefined, 6]) {
  Deno.test(`audit show prints what a reader of the whole log prints (${damaged === undefined ? "an intact log" : "a damaged line in it"})`, async () => {
    const home = await writeLog(damaged);
    for (const { args, whole } of CASES) {
      const shown = await thothAudit(home, "show", ...args);
      const expected = await wholeLogShow(home, whole);
      assert.equal(shown.out, expected.out, args.join(" "));
      assert.equal(shown.code, expected.code, args.join(" "));
      assert.equal(shown.err, expected.err, args.join(" "));
    }
    const missing = await thothAudit(home, "show", "--decision-id", D(99));
    assert.equal(missing.code, 1);
    assert.equal(missing.out, "");
    assert.match(missing.err, /no record of this profile's audit log names decision/);
  });
}

Deno.test("audit show: the cases above are not all alike (a join read too soon would change them)", async () => {
  const home = await writeLog();
  const beta = await thothAudit(home, "show", "--server", "beta");
  assert.equal(beta.out.split("\n").filter((l) => / outcome /.test(l)).length, 1, beta.out);
  const retry = await thothAudit(home, "show", "--decision-id", D(4), "--json");
  const seqs = retry.out.trim().split("\n").map((l) => JSON.parse(l)["seq"]);
  assert.deepEqual(seqs, [0, 4, 5, 9, 10, 11, 12, 14]);
});

Deno.test("scanLogLines() hands over the lines readLogLines() reads, whatever the size of its reads", async () => {
  const home = await writeLog(3);
  const whole = (await readLogLines(`${home}/audit`)).map((
    l,
  ) => [l.segment, new TextDecoder().decode(l.bytes)]);
  for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
    const scanned: string[][] = [];
    await scanLogLines(`${home}/audit`, (segment, bytes) => {
      scanned.push([segment, new TextDecoder().decode(bytes)]);
    }, chunk);
    assert.deepEqual(scanned, whole, `reads of ${chunk} bytes`);
  }
});
