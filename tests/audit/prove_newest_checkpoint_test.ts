/**
 * `audit prove --seq N` for the newest record, when that is itself a
 * checkpoint record, gives a hint that following works: a checkpoint signs
 * only the records before it, and "thoth audit checkpoint" signs one over a
 * lone checkpoint record only 60 s after it, so the hint names that time
 * (and that a session writing a record covers it too).
 */
import assert from "node:assert/strict";
import {
  appendAsNextWriter,
  appendUncovered,
  readLines,
  sampleLog,
  segmentPath,
  steppingClock,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

Deno.test("audit prove of the newest record, a checkpoint record, names when audit checkpoint covers it, and that works", async () => {
  // Written a year ago: the 60 s the hint names have passed.
  const home = await sampleLog(1, 2);
  const seq = await newestCheckpointSeq(home);
  const first = await thothAudit(home, "prove", "--seq", seq);
  assert.equal(first.code, 1);
  assert.match(first.err, new RegExp(`no signed checkpoint covers seq ${seq} yet`));
  assert.match(
    first.err,
    /is itself a checkpoint record, which only a later checkpoint covers: "thoth audit checkpoint" signs one from 20\d\d-[-:.T\dZ]+ on \(60 s after it\)/,
  );
  assert.equal((await thothAudit(home, "checkpoint")).code, 0);
  const proved = await thothAudit(home, "prove", "--seq", seq);
  assert.equal(proved.code, 0, proved.err);
  assert.equal(JSON.parse(proved.out).seq, Number(seq));
});

Deno.test("audit prove of a checkpoint record just signed names a time to come, and a later session covers it", async () => {
  // Written now (the clock steps ahead): audit checkpoint signs nothing yet.
  const home = await sampleLog(1, 2, { now: steppingClock(new Date().toISOString()) });
  const seq = await newestCheckpointSeq(home);
  const first = await thothAudit(home, "prove", "--seq", seq);
  const from = /signs one from (\S+) on/.exec(first.err)?.[1];
  assert.ok(from !== undefined && Date.parse(from) > Date.now(), first.err);
  assert.doesNotMatch(first.err, /run "thoth audit checkpoint" to sign one, then prove again/);
  await thothAudit(home, "checkpoint");
  assert.equal((await thothAudit(home, "prove", "--seq", seq)).code, 1, "nothing new was signed");
  // The hint's other way: a session that writes a record signs a checkpoint when it ends.
  await appendAsNextWriter(home);
  const proved = await thothAudit(home, "prove", "--seq", seq);
  assert.equal(proved.code, 0, proved.err);
});

/** The seq of the newest record, which must be a checkpoint record. */
async function newestCheckpointSeq(home: string): Promise<string> {
  const lines = await readLines(await segmentPath(home, -1));
  const newest = JSON.parse(lines.at(-1)!);
  assert.equal(newest.type, "checkpoint");
  return String(newest.seq);
}

Deno.test("audit prove of an uncovered ordinary record still sends to thoth audit checkpoint, which works", async () => {
  const home = await sampleLog(1, 2);
  const seq = String(await appendAsNextWriterKeepOpen(home));
  const before = await thothAudit(home, "prove", "--seq", seq);
  assert.equal(before.code, 1);
  assert.match(before.err, /run "thoth audit checkpoint" to sign one, then prove again/);
  assert.equal((await thothAudit(home, "checkpoint")).code, 0);
  assert.equal((await thothAudit(home, "prove", "--seq", seq)).code, 0);
});

/** Appends a record as a writer killed before its next checkpoint would leave it; its seq. */
async function appendAsNextWriterKeepOpen(home: string): Promise<number> {
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  await appendUncovered(home, {
    type: "session_start",
    session: "late",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  return lines.length;
}
