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

/** Whether a file is at `path`. */
async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}

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
  // Meanwhile another process takes the log's lock and keeps it until this test asks it to
  // let go, or for 30 s at most (which only ends the test if this thread is held up).
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "const f = Deno.openSync(Deno.args[0], { read: true, write: true }); f.lockSync(true);" +
      "console.log('held');" +
      "const asked = Deno.stdin.read(new Uint8Array(1)).then(() => 'let go when asked');" +
      "const limit = new Promise((r) => setTimeout(() => r('let go at its limit'), 30000));" +
      "console.log(await Promise.race([asked, limit])); f.close(); Deno.exit(0);",
      `${home}/audit/.lock`,
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const checkpoint = `${home}/audit/checkpoints/${checkpointName(seq + 1)}`;
  try {
    const said = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await said.read()).value ?? "", /held/);
    // 25 timers of this thread, one after another, 2.5 s at least: the tick, due earlier,
    // fires among them and waits for the lock. Were this thread held up waiting, none
    // would come until the holder let go at its limit.
    for (let i = 0; i < 25; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await exists(checkpoint), false, "no checkpoint while the lock is held");
    const asking = holder.stdin.getWriter();
    await asking.write(new Uint8Array([10]));
    await asking.close();
    let rest = "";
    for (let part = await said.read(); !part.done; part = await said.read()) rest += part.value;
    await holder.status;
    // What is checked is the order of events: this thread's timers all came while the lock
    // was held, so the holder let go only when asked.
    assert.match(rest, /let go when asked/, "this thread was held up until the holder let go");
    // Once the lock is free, the checkpoint the record is owed is signed (the deadline only
    // guards a hang).
    for (let waited = 0; !(await exists(checkpoint)); waited += 50) {
      assert.ok(waited < 20_000, "no checkpoint 20 s after the lock was let go");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await log.close();
    await holder.stdin.close().catch(() => {});
    await holder.stdout.cancel().catch(() => {});
    await holder.status;
  }
});
