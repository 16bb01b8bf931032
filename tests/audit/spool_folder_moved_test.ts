/**
 * The README's remedy for a damaged log, moving the audit folder away, taken
 * while a session runs: the log's writer goes on at the new paths, and so
 * does the session's spool, which makes its folder again (0700) instead of
 * failing every later write (each call then blocked, recorded nowhere).
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { SpoolMac } from "../../src/audit/spool_mac.ts";
import { tempDir } from "../e2e/_harness.ts";
import { gatingCounts, logRecords, openSession, traffic } from "../proxy/_session_audit_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("a session whose audit folder is moved away records its next calls in the new log", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const s = await openSession(home, { session: "s-moved" });
  await s.audit.start("fs-server", [], []);
  await traffic(s.audit, ["d-1", "d-2", "d-3"]);
  assert.equal(await s.audit.flush(), true);

  const trash = await tempFolder("thoth-moved-");
  await Deno.rename(auditPaths(home).dir, `${trash}/audit`);
  await traffic(s.audit, ["d-4", "d-5", "d-6"]);
  assert.equal(await s.audit.flush(), true, s.notes.join("\n"));
  assert.equal(s.audit.recording, true, s.notes.join("\n"));
  await s.audit.end(0, null);

  const counts = gatingCounts(await logRecords(home));
  assert.deepEqual(
    counts,
    { "decision:d-4": 1, "decision:d-5": 1, "decision:d-6": 1 },
    `the new log holds the calls made after the move: ${s.notes.join("\n")}`,
  );
  assert.doesNotMatch(s.notes.join("\n"), /cannot write the audit spool/);
  if (Deno.build.os !== "windows") {
    assert.equal(Deno.statSync(DecisionSpool.dir(home)).mode! & 0o777, 0o700);
  }
});

Deno.test("a spool whose folder was removed makes it again for its next file", async () => {
  const home = await tempFolder("thoth-spool-");
  const spool = DecisionSpool.open(home, "s-1", Date.now, new SpoolMac(new Uint8Array(32)));
  spool.write({ type: "session_end", session: "s-1", exitCode: 0, signal: null });
  spool.rotate();
  Deno.removeSync(auditPaths(home).dir, { recursive: true });
  spool.write({ type: "session_end", session: "s-1", exitCode: 1, signal: null });
  const batch = spool.rotate()!;
  assert.equal(batch.count, 1);
  assert.match(Deno.readTextFileSync(batch.path), /"exitCode":1/);
  Deno.removeSync(auditPaths(home).dir, { recursive: true });
  const kept = spool.writeFile([JSON.stringify({ type: "x" })]);
  assert.match(Deno.readTextFileSync(kept), /^\{"type":"x"\}\t[0-9a-f]{64}\n$/);
});
