/**
 * The watchdog's lines for a core that did not stop in time (see
 * `stuck_core_note.ts`): the client alone when the audit log's lock is free,
 * the lock, its file and the remedy when another process holds it; and the
 * check of that lock, against a real holder process. Temp folders only.
 */
import assert from "node:assert/strict";
import { heldByAnotherProcess, stuckCoreLines } from "../../src/proxy/stuck_core_note.ts";
import { holdLock } from "../_hold_lock.ts";

Deno.test("a stuck core with its audit lock free: one line, on the client, as before", () => {
  assert.deepEqual(stuckCoreLines({ waitedMs: 5600, signal: "SIGTERM", serverPid: 42 }), [
    "the proxy core did not stop 5600 ms after SIGTERM (its client may have stopped reading " +
    "thoth's output); killing the MCP server (pid 42) and exiting",
  ]);
  assert.deepEqual(stuckCoreLines({ waitedMs: 5600, signal: "SIGINT" }), [
    "the proxy core did not stop 5600 ms after SIGINT (its client may have stopped reading " +
    "thoth's output); exiting",
  ]);
});

Deno.test("a stuck core while another process holds the audit lock: the lock, its file and the remedy", () => {
  const lock = "/home/ana/.thoth/audit/.lock";
  const [first, hint, ...rest] = stuckCoreLines({
    waitedMs: 5600,
    signal: "SIGTERM",
    serverPid: 42,
    lock,
    os: "linux",
  });
  assert.deepEqual(rest, []);
  assert.match(
    first!,
    /^the proxy core did not stop 5600 ms after SIGTERM \(the audit log's lock "\/home\/ana\/\.thoth\/audit\/\.lock" is held by another process .*Ctrl-Z.*records may be waiting for it.*\); killing the MCP server \(pid 42\) and exiting$/,
  );
  assert.equal(
    hint,
    'hint: to see which process holds it, run: fuser -v "/home/ana/.thoth/audit/.lock" (or: ' +
      'lsof "/home/ana/.thoth/audit/.lock"); a stopped process holds it until it goes on or ' +
      'ends: resume it ("fg", or "kill -CONT PID") or end it, or no session on this profile ' +
      "can write its audit log",
  );
  const mac = stuckCoreLines({ waitedMs: 1, signal: "SIGTERM", lock, os: "darwin" });
  assert.match(mac[1]!, /run: lsof "\/home\/ana\/\.thoth\/audit\/\.lock"; a stopped/);
});

Deno.test("heldByAnotherProcess: true while a process holds the file, false once it lets go, and for no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-stuck-note-" });
  try {
    const path = `${dir}/.lock`;
    assert.equal(heldByAnotherProcess(path), false);
    assert.equal(
      (() => {
        try {
          Deno.statSync(path);
          return true;
        } catch {
          return false;
        }
      })(),
      false,
      "the check made no file",
    );
    const holder = await holdLock(path);
    try {
      assert.equal(heldByAnotherProcess(path), true);
    } finally {
      await holder.release();
    }
    assert.equal(heldByAnotherProcess(path), false);
    // The check let go of what it took: another take succeeds at once.
    const file = Deno.openSync(path, { read: true, write: true });
    try {
      assert.equal(file.tryLockSync(true), true);
    } finally {
      file.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
