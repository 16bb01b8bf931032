// `thoth audit verify` reads the log's end under the writers' lock; when it
// cannot take it (a stopped thoth holds it, there is no lock file, another
// account's log), it reads without it. Records past the count that keep
// changing while it reads are `being_written`, a warning, never tampering;
// once they stand still they are judged as ever (a forged approval is
// tampering). Verify makes no file in the audit folder.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { holdLock } from "../_hold_lock.ts";
import { readLines, sampleLog, segmentPath } from "./_log_helpers.ts";

/** The longest the holder keeps the lock: a verify that waits for it for ever ends, and fails. */
const HOLD_AT_MOST = 20_000;
/** How long verify waits for the lock in these tests. */
const SHORT = { lockWaitMs: 100 };

const encoder = new TextEncoder();

/** A forged approval past the count, as someone who can write the audit folder would add it. */
async function appendForged(home: string): Promise<void> {
  const path = await segmentPath(home, -1);
  const last = (await readLines(path)).at(-1)!;
  const record = JSON.stringify({
    v: 1,
    seq: JSON.parse(last).seq + 1,
    ts: "2026-03-01T11:00:00.000Z",
    prev: toHex(await leafHash(encoder.encode(last))),
    type: "approval",
    session: "s-0",
    decisionId: "d-0-2",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
  // A whole line in one write, holding no lock.
  await Deno.writeFile(path, encoder.encode(record + "\n"), { append: true });
}

const stateSize = async (home: string) =>
  JSON.parse(await Deno.readTextFile(auditPaths(home).state)).size as number;

Deno.test("verify without the writers' lock, records still coming past the count: being_written, a warning, never tampering; judged once they stand still", async () => {
  const home = await sampleLog(1, 4);
  const counted = await stateSize(home);
  const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
  // Records keep coming: one lands between every read and the look that follows it.
  let written = 0;
  const append = async () => {
    await appendForged(home);
    written++;
  };
  try {
    await append();
    const during = await verifyLocalLog(home, { ...SHORT, betweenReads: append });
    const text = formatVerifyReport(during);
    assert.deepEqual(
      during.findings.filter((f) => f.severity === "tamper" || f.severity === "unverified"),
      [],
      text,
    );
    assert.equal(during.exitCode, 2, text);
    assert.equal(during.status, "warnings");
    const found = during.findings.find((f) => f.kind === "being_written");
    assert.equal(found?.severity, "warning", text);
    assert.equal(found.seq, counted, text);
    assert.match(
      found.message,
      /being written while verify read the log: it could not take the writers' lock audit\/\.lock \(another process held it for 0\.1 s\)/,
    );
    assert.match(
      text,
      new RegExp(
        `^BEING WRITTEN: records ${counted}\\.\\.\\d+ were being written past the writer's count`,
      ),
    );
    // Standing still, still without the lock: the same records are judged.
    const still = await verifyLocalLog(home, SHORT);
    assert.equal(still.exitCode, 1, formatVerifyReport(still));
    const forged = still.findings.find((f) => f.kind === "past_the_count");
    assert.equal(forged?.severity, "tamper", formatVerifyReport(still));
    assert.equal(forged.seq, counted);
    assert.equal(forged.toSeq, counted + written - 1);
  } finally {
    await holder.release();
  }
  // The lock is free again: the forged approvals are tampering under it too.
  const locked = await verifyLocalLog(home);
  assert.equal(locked.findings.find((f) => f.kind === "past_the_count")?.severity, "tamper");
});

Deno.test("verify of a log whose lock file is gone reads it without the lock and makes no lock file", async () => {
  const home = await sampleLog(1, 4);
  const paths = auditPaths(home);
  await Deno.remove(paths.lock);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, formatVerifyReport(report));
  await assert.rejects(Deno.lstat(paths.lock), Deno.errors.NotFound);
});

Deno.test("thoth audit verify with no right to write (it cannot open the lock file) verifies without the lock", async () => {
  const home = await sampleLog(1, 4);
  const root = new URL("../..", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      "--no-prompt",
      "--quiet",
      `--config=${root}deno.json`,
      `${root}src/cli/thoth.ts`,
      "audit",
      "verify",
    ],
    env: { HOME: home, THOTH_HOME: home },
    stdin: "null",
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, out + new TextDecoder().decode(stderr));
  assert.match(out, /^OK: the audit log is intact/);
});
