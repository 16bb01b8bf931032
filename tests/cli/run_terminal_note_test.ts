/**
 * `thoth run -- <server>` started at a terminal (a pseudo-terminal a small
 * Python program holds, as a shell would) says at once on stderr what it
 * does there and where to go next, instead of appearing to hang; started
 * with a pipe on stdin, as an MCP client starts it, it adds no such line.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { CLEAN_ENV, runThoth } from "./_thoth_process.ts";
import { thothArgv } from "../e2e/_harness.ts";
import { PTY_SKIPPED, PTY_START, PTY_TESTS, runTerminal } from "./_pty_terminal.ts";

/** The words the terminal line starts with (after "thoth: "). */
const NOTE = "relaying MCP between this terminal and the server";

/**
 * Starts `thoth run` on a new pseudo-terminal, waits up to `spec.wait`
 * seconds for the note, then stops it with Ctrl-C and reports what it showed
 * and how long the note took.
 */
const TERMINAL = `
import fcntl, json, os, pty, select, signal, sys, termios, time
started = time.time()
${PTY_START}noted = pump(spec["wait"], spec["note"].encode())
took = time.time() - started
os.write(master, b"\\x03")
status = wait_for_end(20)
print(json.dumps({
    "noted": noted,
    "took": took,
    "ended": status is not None,
    "shown": shown.decode("utf-8", "replace"),
}))
`;

Deno.test({
  name: "thoth run at a terminal says at once that it relays MCP there, and where to look" +
    PTY_SKIPPED,
  ignore: !PTY_TESTS,
  fn: async () => {
    const home = await tempFolder("thoth-run-note-");
    const run = await runTerminal<{ noted: boolean; took: number; ended: boolean; shown: string }>(
      TERMINAL,
      {
        // `cat` stands for a server that waits for the client and says nothing of its own.
        argv: thothArgv([
          "run",
          "--agent-id",
          "note-probe",
          "--enforcement-mode",
          "observe",
          "--",
          "cat",
        ]),
        env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
        note: NOTE,
        wait: 10,
      },
    );
    assert.ok(run.noted, `no word at the terminal: ${JSON.stringify(run.shown)}`);
    // Deno starting thoth from source takes most of this; the line comes before anything else.
    assert.ok(run.took < 10, `the note took ${run.took.toFixed(1)} s`);
    const line = run.shown.split(/\r?\n/).find((l) => l.includes(NOTE)) ?? "";
    assert.match(line, /^thoth: relaying MCP between this terminal and the server/);
    assert.match(line, /agent id "note-probe", mode observe/);
    assert.match(line, /an MCP client normally starts "thoth run"/);
    assert.match(line, /one JSON-RPC message per line, Ctrl-C to stop/);
    assert.match(line, /"deno task demo"/);
    assert.match(line, /"thoth wrap-config"/);
    assert.ok(run.ended, `Ctrl-C did not stop thoth run: ${run.shown}`);
  },
});

Deno.test("thoth run with a pipe on stdin (as an MCP client starts it) writes no terminal note", async () => {
  const home = await tempFolder("thoth-run-note-pipe-");
  const run = await runThoth(["run", "--agent-id", "note-probe", "--", "cat"], {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
    // The client closes its end at once: cat ends, and so does the session.
    stdin: "",
  });
  assert.equal(run.code, 0, run.err);
  assert.doesNotMatch(run.err, /this terminal|Ctrl-C|deno task demo/, run.err);
  assert.equal(run.out, "");
});
