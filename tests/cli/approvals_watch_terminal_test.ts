/**
 * `thoth approvals watch` at a real terminal (a pseudo-terminal a small
 * Python program holds, as a shell would), and with a pipe for input: a key
 * typed before the question (with no Enter, so the terminal held it back as
 * an unfinished line) is no answer, Enter after the question then skips; a
 * key pressed after the question answers; the terminal is given back as it
 * was however watch ends; and `yes | thoth approvals watch` answers nothing
 * and exits at once with a usage error.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { CLEAN_ENV } from "./_thoth_process.ts";
import { thothArgv } from "../e2e/_harness.ts";
import { assertRestored, hex, PTY_START, runTerminal } from "./_pty_terminal.ts";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import type { QueueEntry } from "../../src/approval/queue_record.ts";

/**
 * The terminal's side: starts watch on a new pseudo-terminal, waits until it
 * watches, types `early`, then (after a pause) drops the request file into
 * the queue as a waiting thoth would, waits for the question, types `after`,
 * and ends watch with `end` (Ctrl-D, or Ctrl-C: the terminal is no longer
 * raw by then, so that is a SIGINT) unless `after` did; reports how it ended,
 * the terminal's modes and what it showed.
 */
const TERMINAL = `
import fcntl, json, os, pty, select, signal, sys, termios, time
${PTY_START}watching = pump(60, b"for approval requests")
asked = False
if watching:
    os.write(master, bytes.fromhex(spec["early"]))
    pump(0.5)
    temp = spec["request"] + ".tmp"
    with open(temp, "w") as f:
        f.write(spec["entry"])
    os.rename(temp, spec["request"])
    asked = pump(30, b"Enter skips] ")
    if asked:
        pump(0.3)
        os.write(master, bytes.fromhex(spec["after"]))
        pump(1.5)
        os.write(master, bytes.fromhex(spec["end"]))
status = wait_for_end(20)
modes = termios.tcgetattr(slave)[3]
print(json.dumps({
    "watching": watching,
    "asked": asked,
    "code": None if status is None or not os.WIFEXITED(status) else os.WEXITSTATUS(status),
    "echo": bool(modes & termios.ECHO),
    "canonical": bool(modes & termios.ICANON),
    "shown": shown.decode("utf-8", "replace"),
}))
`;

interface TerminalRun {
  watching: boolean;
  asked: boolean;
  code: number | null;
  echo: boolean;
  canonical: boolean;
  shown: string;
}

/** A request as a waiting thoth (this test process) writes it. */
function request(): QueueEntry {
  const id = "k3f9x2qa";
  return {
    v: 1,
    id,
    createdAt: Date.now(),
    ...waitingRequest("a".repeat(64), { expiresAt: Date.now() + 120_000 }),
  };
}

/** A profile with an empty private queue folder. */
async function profile(): Promise<{ home: string; queue: ApprovalQueue }> {
  const home = await tempFolder("thoth-watch-pty-");
  await Deno.mkdir(`${home}/approvals`, { mode: 0o700 });
  return { home, queue: ApprovalQueue.forHome(home) };
}

/** Runs watch at a terminal: `early` typed before the question, `after` once it is asked. */
async function atTerminal(
  home: string,
  early: string,
  after: string,
  end = "\x04",
): Promise<TerminalRun> {
  const entry = request();
  const spec = {
    argv: thothArgv(["approvals", "watch", "--interval", "100"]),
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
    early: hex(early),
    after: hex(after),
    end: hex(end),
    request: `${home}/approvals/${entry.id}.request.json`,
    entry: JSON.stringify(entry),
  };
  const run = await runTerminal<TerminalRun>(TERMINAL, spec);
  assert.ok(run.watching, `watch never started: ${run.shown}`);
  assert.ok(run.asked, `watch never asked: ${run.shown}`);
  return run;
}

/** A pseudo-terminal comes from python3's pty module: without it, these tests say so and skip. */
function ptyAvailable(): boolean {
  if (Deno.build.os === "windows") return false;
  try {
    return new Deno.Command("python3", {
      args: ["-c", "import pty"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}
const PTY_TESTS = ptyAvailable();
/** Said in the name of each terminal test when it cannot run here. */
const SKIPPED = PTY_TESTS ? "" : ": skipped because python3 with its pty module is missing";

Deno.test({
  name:
    "watch at a terminal: y typed before the question (no Enter), then Enter, approves nothing" +
    SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "y", "\r");
    assert.equal(await queue.answer("k3f9x2qa"), undefined, run.shown);
    assert.match(run.shown, /k3f9x2qa: skipped \(still waiting for someone else\)/);
    assert.match(run.shown, /ignored input typed before this question/);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: y pressed after the question approves, and the terminal is restored" +
    SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "y");
    assert.equal((await queue.answer("k3f9x2qa"))?.decision, "approve", run.shown);
    assert.match(run.shown, /k3f9x2qa: approved by /);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: Ctrl-C at the question stops watch (exit 130), answers nothing" +
    SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "\x03");
    assert.equal(await queue.answer("k3f9x2qa"), undefined, run.shown);
    assert.equal(run.code, 130, run.shown);
    assert.match(run.shown, /cancelled: watch stopped, and request k3f9x2qa still waits/);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: Ctrl-C between questions stops watch with the terminal as it was" +
    SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "n", "\x03");
    assert.equal((await queue.answer("k3f9x2qa"))?.decision, "deny", run.shown);
    assert.equal(run.code, 130, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "yes | thoth approvals watch answers nothing and exits 2 at once",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, queue } = await profile();
    const { v: _v, id: _id, createdAt: _at, ...facts } = request();
    const entry = await queue.submit(facts);
    const [deno, ...args] = thothArgv(["approvals", "watch", "--interval", "50"]);
    const child = new Deno.Command(deno!, {
      args,
      env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // What `yes` writes, for as long as watch reads (a watch that never ends is killed).
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const yes = (async () => {
      const writer = child.stdin.getWriter();
      const lines = new TextEncoder().encode("y\n".repeat(4096));
      try {
        for (;;) await writer.write(lines);
      } catch {
        // watch is gone: the pipe broke, as it does for yes.
      }
    })();
    const output = await child.output();
    clearTimeout(timer);
    await yes;
    const err = new TextDecoder().decode(output.stderr);
    assert.equal(await queue.answer(entry.id), undefined, "a pipe approved a request");
    assert.equal(output.code, 2, err);
    assert.match(
      err,
      /^thoth: error: watch answers at a terminal, and standard input is not one: nothing was answered\n/,
    );
    assert.match(err, /thoth approvals approve ID" or "thoth approvals deny ID"/);
    assert.equal(new TextDecoder().decode(output.stdout), "", "no question was asked");
  },
});
