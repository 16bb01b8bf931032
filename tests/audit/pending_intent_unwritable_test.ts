// A writer that cannot write its batch intent (audit/.pending) writes none
// of the batch's records (fail closed): records past the state file's count
// with no intent to vouch for them are what `verify` reads as forged, so a
// writer killed after writing them would leave genuine approvals reported
// as tampering. The batch fails as an unwritable segment's does, with an
// audit.unwritable error naming .pending and what to do; once .pending can
// be written again, the next batch is written and the log verifies clean.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { writePendingIntent } from "../../src/audit/write_pending_intent.ts";
import { AppError } from "../../src/errors.ts";
import { allRecords, nextWriterSession, stateSize } from "./_killed_mid_batch.ts";
import { sampleLog, steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const writer = new URL("./_intent_unwritable_writer.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;

const cancellation = {
  type: "cancellation" as const,
  session: "s-0",
  requestId: 99,
  reason: "written once its intent is",
};

Deno.test("a writer killed after it could not write its intent leaves no approval past the count: verify finds no tampering, before and after the next session", async () => {
  const home = await tempFolder("thoth-intent-unwritable-");
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      `--allow-read=${home},${root}`,
      `--allow-write=${home}`,
      writer,
      home,
      "3",
      "5",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const said = new TextDecoder().decode(run.stderr);
  assert.equal(run.signal, "SIGKILL", said);
  // What the session would show on stderr: .pending named, and no record written without it.
  assert.match(
    said,
    /audit\.unwritable: .*batch intent ".*\/audit\/\.pending" is not a regular file/,
  );
  assert.match(said, /no record is written without it/);
  // What is fixed after the crash: .pending is a file again, the checkpoints a folder.
  await Deno.remove(`${home}/audit/.pending`);
  await Deno.remove(`${home}/audit/checkpoints`);
  await Deno.mkdir(`${home}/audit/checkpoints`);
  const records = await allRecords(home);
  assert.equal(records.length, await stateSize(home), "no record past the count");
  assert.deepEqual(records.filter((r) => r["type"] === "approval"), []);
  const killed = await verifyLocalLog(home);
  assert.deepEqual(
    killed.findings.filter((f) => f.severity === "tamper" || f.kind === "past_the_count"),
    [],
    JSON.stringify(killed.findings),
  );
  await nextWriterSession(home, "after");
  const after = await verifyLocalLog(home);
  assert.deepEqual(
    after.findings.filter((f) => f.severity === "tamper" || f.kind === "tail_taken_in"),
    [],
    JSON.stringify(after.findings),
  );
});

Deno.test("append() rejects with audit.unwritable naming .pending when the intent cannot be written, writes nothing, and writes once it can", async () => {
  const home = await sampleLog(1, 4);
  const before = (await allRecords(home)).length;
  const pending = `${home}/audit/.pending`;
  await Deno.remove(pending).catch(() => {});
  await Deno.mkdir(pending);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  try {
    await assert.rejects(log.append(cancellation), (error) => {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, "audit.unwritable");
      assert.match(error.message, /its batch intent ".*\/audit\/\.pending" is not a regular file/);
      assert.match(error.hints[0]!, /^move ".*\/audit\/\.pending" away/);
      return true;
    });
    assert.equal((await allRecords(home)).length, before, "nothing written without its intent");
    await Deno.remove(pending);
    await log.append(cancellation);
  } finally {
    await log.close();
  }
  const records = await allRecords(home);
  assert.equal(records.filter((r) => r["requestId"] === 99).length, 1);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("writePendingIntent() closes the file it held and throws audit.unwritable when the write fails", async () => {
  const home = await tempFolder("thoth-intent-unwritable-");
  const path = `${home}/.pending`;
  await Deno.writeTextFile(path, "old\n");
  // Opened to read only: the write fails as a full disk's or an I/O error's does.
  const held = Deno.openSync(path, { read: true });
  assert.throws(
    () => writePendingIntent(path, held, new TextEncoder().encode("new\n")),
    (error) =>
      error instanceof AppError && error.code === "audit.unwritable" &&
      /cannot write its batch intent/.test(error.message),
  );
  assert.throws(() => held.statSync(), Deno.errors.BadResource, "closed");
  const file = writePendingIntent(path, undefined, new TextEncoder().encode("new\n"));
  file.close();
  assert.equal(await Deno.readTextFile(path), "new\n");
});
