/**
 * `thoth approvals watch` at a real terminal (a pseudo-terminal a small
 * Python program holds, as a shell would), and with a pipe for input: a key
 * typed before the question (with no Enter, so the terminal held it back as
 * an unfinished line) is no answer, Enter after the question then skips; a
 * key pressed a person's reaction time after the question answers, sooner
 * does not; what arrives right after something that is no answer (the rest
 * of a paste, of an escape sequence) is no answer either; Ctrl-C and Ctrl-Z
 * at a question still stop watch; the terminal is given back as it was
 * however watch ends; and `yes | thoth approvals watch` answers nothing and
 * exits at once with a usage error.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { CLEAN_ENV } from "./_thoth_process.ts";
import { thothArgv } from "../e2e/_harness.ts";
import {
  assertRestored,
  hex,
  PTY_SKIPPED,
  PTY_START,
  PTY_TESTS,
  runTerminal,
} from "./_pty_terminal.ts";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { QUEUE_REQUEST_VERSION, type QueueEntry } from "../../src/approval/queue_record.ts";
import { queueWithKeys } from "../approval/_signed_answers.ts";

/**
 * The terminal's side: starts watch on a new pseudo-terminal, waits until it
 * watches, types `early`, then (after a pause) drops the request file into
 * the queue as a waiting thoth would, waits for the question, types `after`,
 * waits until watch shows `then` (what it says once it has dealt with
 * `after`, by when it has given the terminal back), and ends watch with `end`
 * (Ctrl-D, or Ctrl-C: the terminal is no longer raw by then, so that is a
 * SIGINT) unless `after` did; reports how it ended,
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
        pump(0.6)
        os.write(master, bytes.fromhex(spec["after"]))
        pump(10, bytes.fromhex(spec["then"]))
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

/**
 * The terminal's side, step by step: starts watch on a new pseudo-terminal,
 * waits until it watches, drops every request file into the queue, then
 * follows `steps`: ["until", text] waits for text to be shown (from where
 * the last "until" found its text), ["write", hex] types, ["sleep", seconds]
 * pauses while reading what is shown, ["stopped"] waits for watch to stop
 * itself (job control) and records it, ["cont"] sends SIGCONT. Then ends
 * watch with Ctrl-D and reports as {@linkcode TERMINAL} does, plus which
 * "until" steps were found and whether watch stopped.
 */
const STEPS = `
import fcntl, json, os, pty, select, signal, sys, termios, time
${PTY_START}watching = pump(60, b"for approval requests")
found = []
stopped = False
if watching:
    for path, entry in spec["requests"]:
        with open(path + ".tmp", "w") as f:
            f.write(entry)
        os.rename(path + ".tmp", path)
    seen = 0
    for step in spec["steps"]:
        if step[0] == "until":
            text = step[1].encode()
            end = time.time() + 30
            while time.time() < end and shown.find(text, seen) < 0:
                pump(0.02)
            at = shown.find(text, seen)
            found.append(at >= 0)
            if at < 0:
                break
            seen = at + len(text)
        elif step[0] == "write":
            os.write(master, bytes.fromhex(step[1]))
        elif step[0] == "sleep":
            end = time.time() + step[1]
            while time.time() < end:
                time.sleep(min(0.005, max(0, end - time.time())))
                ready, _, _ = select.select([master], [], [], 0)
                if ready:
                    shown += os.read(master, 65536)
        elif step[0] == "stopped":
            end = time.time() + 10
            while time.time() < end and not stopped:
                pump(0.02)
                done, st = os.waitpid(pid, os.WUNTRACED | os.WNOHANG)
                stopped = bool(done) and os.WIFSTOPPED(st)
        elif step[0] == "cont":
            os.kill(pid, signal.SIGCONT)
    pump(0.5)
    os.write(master, b"\\x04")
status = wait_for_end(20)
modes = termios.tcgetattr(slave)[3]
print(json.dumps({
    "watching": watching,
    "found": found,
    "stopped": stopped,
    "code": None if status is None or not os.WIFEXITED(status) else os.WEXITSTATUS(status),
    "echo": bool(modes & termios.ECHO),
    "canonical": bool(modes & termios.ICANON),
    "shown": shown.decode("utf-8", "replace"),
}))
`;

/** One step of {@linkcode STEPS}. */
type Step = ["until", string] | ["write", string] | ["sleep", number] | ["stopped"] | ["cont"];

interface StepsRun {
  watching: boolean;
  found: boolean[];
  stopped: boolean;
  code: number | null;
  echo: boolean;
  canonical: boolean;
  shown: string;
}

/** The question's prompt, as watch shows it (the first time). */
const PROMPT = "Enter skips] ";
/** Longer than watch's least time between a question and its answer (400 ms). */
const REACTION_S = 0.6;

/** Runs watch at a terminal with `entries` waiting, following `steps`. */
async function withSteps(home: string, entries: QueueEntry[], steps: Step[]): Promise<StepsRun> {
  const spec = {
    argv: thothArgv(["approvals", "watch", "--interval", "100"]),
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
    requests: entries.map((e) => [`${home}/approvals/${e.id}.request.json`, JSON.stringify(e)]),
    steps: steps.map((s) => s[0] === "write" ? ["write", hex(s[1])] : s),
  };
  const run = await runTerminal<StepsRun>(STEPS, spec);
  assert.ok(run.watching, `watch never started: ${run.shown}`);
  assert.ok(run.found.every((f) => f), `watch never showed what was awaited: ${run.shown}`);
  return run;
}

interface TerminalRun {
  watching: boolean;
  asked: boolean;
  code: number | null;
  echo: boolean;
  canonical: boolean;
  shown: string;
}

/** A request as a waiting thoth (this test process) writes it. */
function request(id = "k3f9x2qa", createdAt = Date.now()): QueueEntry {
  return {
    v: QUEUE_REQUEST_VERSION,
    id,
    createdAt,
    ...waitingRequest("a".repeat(64), { expiresAt: Date.now() + 120_000 }),
  };
}

/** A profile with an empty private queue folder. */
async function profile(): Promise<{ home: string; queue: ApprovalQueue }> {
  const home = await tempFolder("thoth-watch-pty-");
  await Deno.mkdir(`${home}/approvals`, { mode: 0o700 });
  return { home, queue: await queueWithKeys(home) };
}

/**
 * Runs watch at a terminal: `early` typed before the question, `after` once it is asked,
 * `end` once watch has shown `then`.
 */
async function atTerminal(
  home: string,
  early: string,
  after: string,
  then: string,
  end = "\x04",
): Promise<TerminalRun> {
  const entry = request();
  const spec = {
    argv: thothArgv(["approvals", "watch", "--interval", "100"]),
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
    early: hex(early),
    after: hex(after),
    then: hex(then),
    end: hex(end),
    request: `${home}/approvals/${entry.id}.request.json`,
    entry: JSON.stringify(entry),
  };
  const run = await runTerminal<TerminalRun>(TERMINAL, spec);
  assert.ok(run.watching, `watch never started: ${run.shown}`);
  assert.ok(run.asked, `watch never asked: ${run.shown}`);
  return run;
}

Deno.test({
  name:
    "watch at a terminal: y typed before the question (no Enter), then Enter, approves nothing" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "y", "\r", "skipped (still waiting");
    assert.equal(await queue.answer("k3f9x2qa"), undefined, run.shown);
    assert.match(run.shown, /k3f9x2qa: skipped \(still waiting for someone else\)/);
    assert.match(run.shown, /ignored input typed before this question/);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: y pressed after the question approves, and the terminal is restored" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "y", ": approved by ");
    assert.equal((await queue.answer("k3f9x2qa"))?.decision, "approve", run.shown);
    assert.match(run.shown, /k3f9x2qa: approved by /);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: Ctrl-C at the question stops watch (exit 130), answers nothing" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "\x03", "still waits");
    assert.equal(await queue.answer("k3f9x2qa"), undefined, run.shown);
    assert.equal(run.code, 130, run.shown);
    assert.match(run.shown, /cancelled: watch stopped, and request k3f9x2qa still waits/);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: Ctrl-C between questions stops watch with the terminal as it was" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await atTerminal(home, "", "n", ": denied by ", "\x03");
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

/** A key sent in a read of its own right after one that was not an answer (a split paste or escape). */
for (
  const [what, first, gap] of [
    ["a line then y 5 ms later (one paste in two reads)", "abc\r", 0.005],
    ["ESC then y 10 ms later (an escape sequence)", "\x1b", 0.01],
  ] as const
) {
  Deno.test({
    name: `watch at a terminal: ${what} approves nothing` + PTY_SKIPPED,
    ignore: !PTY_TESTS,
    fn: async () => {
      const { home, queue } = await profile();
      const run = await withSteps(home, [request()], [
        ["until", PROMPT],
        ["sleep", REACTION_S],
        ["write", first],
        ["sleep", gap],
        ["write", "y"],
        ["until", "is not an answer"],
        ["sleep", 1],
      ]);
      assert.equal(await queue.answer("k3f9x2qa"), undefined, run.shown);
      assert.equal(run.code, 0, run.shown);
      assertRestored(run);
    },
  });
}

Deno.test({
  name: "watch at a terminal: y, 100 ms, y with two requests waiting approves only the first" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const first = request("aaaa3333", Date.now() - 2_000);
    const second = request("bbbb2222", Date.now() - 1_000);
    const run = await withSteps(home, [first, second], [
      ["until", PROMPT],
      ["sleep", REACTION_S],
      ["write", "y"],
      ["sleep", 0.1],
      ["write", "y"],
      ["until", ": approved by "],
      // The second question, asked with the second y dropped.
      ["until", PROMPT],
      ["sleep", 0.3],
    ]);
    const answers = [await queue.answer(first.id), await queue.answer(second.id)];
    const decisions = answers.map((a) => a?.decision ?? "still waits").sort();
    assert.deepEqual(decisions, ["approve", "still waits"], run.shown);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: y 100 ms after the question is dropped, y after that approves" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const { home, queue } = await profile();
    const run = await withSteps(home, [request()], [
      ["until", PROMPT],
      ["sleep", 0.1],
      ["write", "n"],
      ["until", "pressed too soon after the question"],
      ["sleep", REACTION_S],
      ["write", "y"],
      ["until", ": approved by "],
    ]);
    assert.equal((await queue.answer("k3f9x2qa"))?.decision, "approve", run.shown);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});

Deno.test({
  name: "watch at a terminal: Ctrl-Z at the question stops watch, fg asks again" + PTY_SKIPPED,
  ignore: !PTY_TESTS || Deno.build.os === "windows",
  fn: async () => {
    const { home, queue } = await profile();
    const run = await withSteps(home, [request()], [
      ["until", PROMPT],
      ["sleep", REACTION_S],
      ["write", "\x1a"],
      ["stopped"],
      ["cont"],
      ["until", PROMPT],
      ["sleep", REACTION_S],
      ["write", "n"],
      ["until", ": denied by "],
    ]);
    assert.ok(run.stopped, `Ctrl-Z did not stop watch: ${run.shown}`);
    assert.equal((await queue.answer("k3f9x2qa"))?.decision, "deny", run.shown);
    assert.equal(run.code, 0, run.shown);
    assertRestored(run);
  },
});
