import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { LogFollower } from "../../src/audit/follow_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { tempDir } from "../e2e/_harness.ts";

const end = (n: number) => ({
  type: "session_end" as const,
  session: `s${n}`,
  exitCode: n,
  signal: null,
});

Deno.test("LogFollower tails the newest lines, then returns only what is appended, across rotations", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({
    thothHome: dir.path,
    maxSegmentBytes: 600,
    checkpointEvery: 1_000_000,
  });
  try {
    for (let i = 0; i < 5; i++) await log.append(end(i));
    const follower = new LogFollower(auditPaths(dir.path).dir);
    const tail = await follower.tail(2);
    assert.deepEqual(tail.map((l) => l.record?.["exitCode"]), [3, 4]);
    assert.deepEqual(await follower.poll(), [], "nothing new yet");
    for (let i = 5; i < 12; i++) await log.append(end(i));
    const fresh = await follower.poll();
    assert.deepEqual(fresh.map((l) => l.record?.["exitCode"]), [5, 6, 7, 8, 9, 10, 11]);
    assert.ok(
      new Set(fresh.map((l) => l.segment)).size > 1,
      "the records crossed a segment rotation",
    );
  } finally {
    await log.close();
  }
});

Deno.test("LogFollower on a profile with no log yet returns nothing and waits", async () => {
  await using dir = await tempDir();
  const follower = new LogFollower(auditPaths(dir.path).dir);
  assert.deepEqual(await follower.tail(20), []);
  assert.deepEqual(await follower.poll(), []);
});
