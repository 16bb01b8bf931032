// A real `thoth run` against server-everything, killed with kill -9 in a
// burst of calls with its batches (more than 64 records) written but not
// counted, the log ending inside the last batch as a kill during its write
// leaves it: the intent in .pending names that point, so neither verify nor
// the next session finds anything unvouched. An approval appended past the
// count is tampering, and stays tampering once the next session takes it in.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { cutTo } from "./_killed_mid_batch.ts";
import {
  appendForgedApproval,
  assertNoFalseAlarms,
  counts,
  killedWithBatchesUncounted,
  nextSession,
} from "./_killed_sessions.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** How many sessions may be run until one's last batch holds more than one part. */
const TRIES = 4;

/**
 * A session killed with its batches written, uncounted; the log then ends
 * inside its last batch, of more than 64 records. How the records of a burst
 * fall into batches depends on timing: a session whose last batch is one
 * part is run again, in a fresh profile, up to {@linkcode TRIES} times.
 * Resolves to the profile used.
 */
async function killedInsideLargeBatch(parent: string): Promise<string> {
  for (let attempt = 1;; attempt++) {
    const home = `${parent}/home-${attempt}`;
    await Deno.mkdir(home, { recursive: true });
    await killedWithBatchesUncounted(home, 900);
    const { counted, held } = await counts(home);
    const intent = JSON.parse((await Deno.readTextFile(`${home}/audit/.pending`)).split("\n")[0]!);
    assert.ok(counted < held, `uncounted records: ${counted} < ${held}`);
    assert.equal(intent.end.size, held, JSON.stringify(intent));
    const batch = intent.end.size - intent.start.size;
    if (batch <= 64 && attempt < TRIES) continue;
    assert.ok(batch > 64, `the last batch holds more than 64 records: ${JSON.stringify(intent)}`);
    // A kill during the write of its last part: the log ends a few records short.
    const size = Math.max(held - 5, (intent.done.size as number) + 1, counted + 1);
    assert.ok(size > await cutTo(home, size), "the cut stays in the last segment");
    return home;
  }
}

Deno.test("thoth run killed with kill -9 inside a batch of more than 64 records leaves nothing unvouched, before or after the next session", async () => {
  const home = await killedInsideLargeBatch(await tempFolder("thoth-killed-large-"));
  await assertNoFalseAlarms(home);
  await nextSession(home);
  await assertNoFalseAlarms(home);
});

Deno.test("an approval appended past the count of a killed thoth run is tampering, and stays tampering once the next session takes it in", async () => {
  const home = await killedInsideLargeBatch(await tempFolder("thoth-killed-forged-"));
  const lines = await appendForgedApproval(home);
  const seq = JSON.parse(lines[lines.length - 1]!).seq + 1;
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  await nextSession(home);
  const after = await verifyLocalLog(home);
  assert.equal(after.exitCode, 1, JSON.stringify(after.findings));
  const taken = after.findings.find((f) => f.kind === "tail_taken_in");
  assert.equal(taken?.severity, "tamper", JSON.stringify(after.findings));
  assert.equal(taken.toSeq ?? taken.seq, seq);
  assert.match(taken.message, /decision or approval records? \(seqs? \d/);
});
