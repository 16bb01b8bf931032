/**
 * What doctor's audit pass says of how far it looked, and of what lies past
 * the state's count. The chain check reads at most the log's last 8 MiB:
 * with long records it follows fewer than the 1,000 newest, and it said
 * "its last 1 record(s) chain" (or 0) as if that were the whole look; it
 * now names the limit, and says "chain" only of two records or more. A
 * record written past the state's count (a session between its records
 * and its state, or a state file left behind) passed unsaid; it is now
 * said, counted from the bytes after the counted end, without failing.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { readLogEnd } from "../../src/audit/check_log_end.ts";
import { auditPaths, segmentName } from "../../src/audit/log_paths.ts";
import { parseLogState } from "../../src/audit/log_state.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { chainWords, pastWords } from "../../src/doctor/audit_log_words.ts";
import { appendUncovered, sampleLog, segmentPath } from "../audit/_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { fakeIo } from "./_helpers.ts";

function auditHealth(home: string) {
  return thothDoctorPlugins(fakeIo(home)).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

async function stateOf(home: string) {
  return parseLogState(await Deno.readTextFile(auditPaths(home).state))!;
}

/** A log of one session whose `count` decisions carry reasons of `bytes` bytes each. */
async function longRecords(count: number, bytes: number): Promise<string> {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, checkpointEvery: 50 });
  try {
    await log.append({
      type: "session_start",
      session: "long",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    for (let n = 0; n < count; n++) {
      await log.append({
        type: "decision",
        session: "long",
        server: "fs",
        tool: "read_file",
        decisionId: `d-${n}`,
        verdict: "block",
        ruleIds: ["r"],
        reasons: ["x".repeat(bytes)],
        mode: "block",
        policyHash: "cd".repeat(32),
        intent: null,
        args: await log.redact({ path: "/data/file.txt" }),
      });
    }
  } finally {
    await log.close();
  }
  return home;
}

Deno.test("doctor names the 8 MiB limit when long records cut its chain check short", async () => {
  const home = await longRecords(12, 1024 * 1024);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
  const match = /its last (\d+) record\(s\) chain \(limited to the last 8 MiB; not a full verify\)/
    .exec(health.message);
  assert.ok(match, health.message);
  assert.ok(Number(match[1]) >= 2 && Number(match[1]) < 12, match[1]);
});

Deno.test("doctor says no chain was followed when the last 8 MiB hold one record", async () => {
  const home = await longRecords(1, 9 * 1024 * 1024);
  const check = checkAudit(await auditHealth(home));
  assert.equal(check.status, "pass", check.message);
  assert.match(
    check.message,
    /; the log's end matches its state; no chain was followed: the last 8 MiB hold one record \(not a full verify\)/,
  );
  assert.doesNotMatch(check.message, /record\(s\) chain/);
});

Deno.test("chainWords() says chain of two records or more, and names the limit only when it cut", () => {
  assert.equal(
    chainWords({ checked: 1000, limited: false, problem: undefined }),
    "the log's end matches its state and its last 1,000 record(s) chain (not a full verify)",
  );
  assert.equal(
    chainWords({ checked: 0, limited: true, problem: undefined }),
    "the log's end matches its state; no chain was followed: the last 8 MiB hold no whole " +
      "record (not a full verify)",
  );
  // A log of one record: nothing to chain, nothing cut.
  assert.equal(
    chainWords({ checked: 1, limited: false, problem: undefined }),
    "the log's end matches its state (not a full verify)",
  );
});

Deno.test("doctor says how many records lie past the state's count, and passes", async () => {
  const home = await sampleLog(2, 4);
  assert.equal((await readLogEnd(home, await stateOf(home))).past, undefined);
  const end = { type: "session_end", session: "s-1", exitCode: 0, signal: null };
  await appendUncovered(home, end);
  await appendUncovered(home, end);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
  assert.match(
    health.message,
    /; 2 record\(s\) past the state's count: a session is writing, or the state file is old(;|$)/,
  );
  assert.equal(checkAudit(health).status, "pass");

  // Part of a record being written, and a segment the state does not name yet.
  await Deno.writeTextFile(await segmentPath(home, -1), '{"v":1,"seq":', { append: true });
  assert.deepEqual((await readLogEnd(home, await stateOf(home))).past, {
    records: 2,
    unread: false,
    partial: true,
  });
  await Deno.writeTextFile(
    `${auditPaths(home).dir}/${segmentName(999, "2026-03-02")}`,
    '{"a":1}\n{"b":2}\n',
  );
  assert.deepEqual((await readLogEnd(home, await stateOf(home))).past, {
    records: 4,
    unread: false,
    partial: true,
  });
  // Past 64 KiB of them, the rest is not read: "or more".
  await Deno.writeTextFile(
    `${auditPaths(home).dir}/${segmentName(1000, "2026-03-02")}`,
    `${"x".repeat(63)}\n`.repeat(2048),
  );
  const many = (await readLogEnd(home, await stateOf(home))).past!;
  assert.equal(many.unread, true);
  assert.ok(many.records > 900 && many.records < 2048, `${many.records}`);
  assert.match(
    (await auditHealth(home)).message,
    new RegExp(
      `; ${many.records.toLocaleString("en-US")} or more record\\(s\\) and part of one past`,
    ),
  );
});

Deno.test("pastWords() counts what it read, and says when there was more", () => {
  assert.equal(pastWords(undefined), undefined);
  assert.equal(
    pastWords({ records: 1200, unread: true, partial: false }),
    "1,200 or more record(s) past the state's count: a session is writing, or the state file is old",
  );
  assert.equal(
    pastWords({ records: 0, unread: false, partial: true }),
    "part of a record past the state's count: a session is writing, or the state file is old",
  );
});
