/**
 * Checkpoints "every 60 s" hold for an idle writer too: records written and
 * then followed by nothing (a session that made a few calls and sits idle)
 * are signed once the interval has passed, not at the next call or the
 * session's end; and a clock that stepped back does not hold checkpoints off
 * until it has caught up.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";
import { tempFolder } from "../_temp_dirs.ts";

const START: AuditEvent = {
  type: "session_start",
  session: "s-1",
  server: "fs",
  commandDigest: "ab".repeat(32),
  envKeys: ["PATH"],
};

function end(session: string): AuditEvent {
  return { type: "session_end", session, exitCode: 0, signal: null };
}

Deno.test("an idle writer signs the checkpoint its records are owed once the interval has passed", async () => {
  const home = await tempFolder("thoth-idle-cp-");
  const log = await openAuditLog({
    thothHome: home,
    checkpointIntervalMs: 300,
    checkpointMinIntervalMs: 50,
  });
  try {
    await log.append(START);
    let last = 0;
    for (let i = 0; i < 3; i++) last = (await log.append(end(`s-${i + 2}`))).seq;
    // Nothing more is written: the writer is idle.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // A checkpoint covers the last record (a tree of last + 1 leaves), signed while idle.
    assert.ok((await Deno.stat(`${home}/audit/checkpoints/${checkpointName(last + 1)}`)).isFile);
  } finally {
    await log.close();
  }
});

Deno.test("a clock that stepped back does not hold the checkpoints off", async () => {
  const home = await tempFolder("thoth-idle-cp-");
  let now = Date.parse("2026-12-06T12:00:00.000Z");
  const log = await openAuditLog({ thothHome: home, now: () => new Date(now) });
  try {
    await log.append(START);
    await log.checkpoint();
    now += 30_000;
    await log.append(end("s-2"));
    // Two hours back: the next batch finds its last checkpoint in the future, and signs.
    now -= 2 * 3600_000;
    const { seq } = await log.append(end("s-3"));
    assert.ok((await Deno.stat(`${home}/audit/checkpoints/${checkpointName(seq + 1)}`)).isFile);
  } finally {
    await log.close();
  }
});

Deno.test("an idle writer's look for a checkpoint does not hold up its thread while another process holds the lock", async () => {
  const home = await tempFolder("thoth-idle-cp-");
  const log = await openAuditLog({
    thothHome: home,
    checkpointIntervalMs: 1500,
    checkpointMinIntervalMs: 50,
  });
  await log.append(START);
  // Owed a checkpoint 1.5 s from now.
  const { seq } = await log.append(end("s-2"));
  // Meanwhile another process takes the log's lock and keeps it for 4 s.
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "const f = Deno.openSync(Deno.args[0], { read: true, write: true }); f.lockSync(true);" +
      "console.log('held'); setTimeout(() => f.close(), 4000);",
      `${home}/audit/.lock`,
    ],
    stdout: "piped",
  }).spawn();
  try {
    const reader = holder.stdout.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /held/);
    reader.releaseLock();
    // The tick fires while the lock is held and waits for it: this thread does not.
    const asked = performance.now();
    let late = 0;
    for (let i = 0; i < 25; i++) {
      const before = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
      late = Math.max(late, performance.now() - before - 100);
    }
    assert.ok(
      late < 1500,
      `a 100 ms timer came ${Math.round(late)} ms late while the lock was held`,
    );
    assert.ok(performance.now() - asked < 3900, "the loop ended before the holder let go");
    await holder.status;
    // Once the lock is free, the checkpoint the record is owed is signed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok((await Deno.stat(`${home}/audit/checkpoints/${checkpointName(seq + 1)}`)).isFile);
  } finally {
    await log.close();
    await holder.stdout.cancel().catch(() => {});
  }
});
