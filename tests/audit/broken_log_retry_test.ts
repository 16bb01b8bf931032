/**
 * A writer that refused a log with a seq break refuses it again, on its next
 * try, without reading it whole, as long as no segment changed size or time:
 * a session retries its writes every few hundred ms, and a large damaged log
 * must not be read again each time. Shown by editing the segment behind the
 * writer's back in a way that keeps size and time: the retry still names the
 * break it found, where a fresh scan would have read the edited bytes.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { isAppError } from "../../src/errors.ts";
import { readLines, sampleLog, segmentPath, steppingClock, writeLines } from "./_log_helpers.ts";

const start = () => ({
  type: "session_start" as const,
  session: "retry",
  server: "fs",
  commandDigest: "ab".repeat(32),
  envKeys: [],
});

Deno.test("a writer's retry on a damaged, unchanged log gives its refusal without rescanning", async () => {
  const home = await sampleLog(2, 8);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  await writeLines(path, lines.filter((_, i) => i !== 5));
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  try {
    const refusedFor = (pattern: RegExp) => (error: unknown) =>
      isAppError(error, "audit.chain_broken") && pattern.test(error.message);
    await assert.rejects(() => log.append(start()), refusedFor(/seq 5 is missing/));

    // Same size, same time, other bytes: a line cut and a line shifted, so a rescan would find
    // a different break (the record after seq 4 would claim seq 7, not 6).
    const { mtime, atime, size } = await Deno.stat(path);
    const edited = lines.filter((_, i) => i !== 5 && i !== 6);
    const pad = size - new TextEncoder().encode(edited.join("\n") + "\n").length;
    assert.ok(pad > 0, "the edit is shorter than the damaged segment");
    await writeLines(path, [...edited, " ".repeat(pad - 1)]);
    assert.equal((await Deno.stat(path)).size, size);
    await Deno.utime(path, atime ?? new Date(), mtime ?? new Date());

    await assert.rejects(() => log.append(start()), refusedFor(/seq 5 is missing/));
  } finally {
    await log.close().catch(() => {});
  }
});
