/**
 * The progress line on standard error: nothing unless that is a terminal,
 * nothing in the first second, rewritten at most every tenth of a second
 * (unless asked for now), wiped at the end only when it was shown, and
 * always one line.
 */
import assert from "node:assert/strict";
import { PROGRESS_DELAY_MS, PROGRESS_EVERY_MS, progressLine } from "../../src/cli/progress_line.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

function terminalIo(tty: boolean) {
  const clock = { at: 5_000 };
  const io = Object.assign(fakeCliIo("/nonexistent-thoth-home"), {
    stderrIsTty: tty,
    monotonicMs: () => clock.at,
  });
  return { io, clock };
}

Deno.test("a progress line waits a second, then rewrites itself in place, and is wiped at the end", () => {
  const { io, clock } = terminalIo(true);
  const line = progressLine(io, "thoth: verifying");
  line.show("early");
  clock.at += PROGRESS_DELAY_MS - 1;
  line.show("still early");
  assert.equal(io.stderr, "", "quick work stays silent");
  clock.at += 1;
  line.show("first");
  assert.equal(io.stderr, "\rthoth: verifying: first\x1b[K");
  clock.at += PROGRESS_EVERY_MS - 1;
  line.show("too soon");
  line.show("the last step\nof two lines", true);
  clock.at += PROGRESS_EVERY_MS;
  line.show("later");
  line.end();
  line.end();
  assert.equal(
    io.stderr,
    "\rthoth: verifying: first\x1b[K" +
      "\rthoth: verifying: the last step of two lines\x1b[K" +
      "\rthoth: verifying: later\x1b[K" +
      "\r\x1b[K",
  );
});

Deno.test("a progress line never shown is not wiped, and none is written off a terminal or on a dumb one", () => {
  const quick = terminalIo(true);
  const line = progressLine(quick.io, "thoth: verifying");
  line.show("early");
  line.end();
  assert.equal(quick.io.stderr, "");
  const piped = terminalIo(false);
  const silent = progressLine(piped.io, "thoth: verifying");
  piped.clock.at += 10 * PROGRESS_DELAY_MS;
  silent.show("late", true);
  silent.end();
  assert.equal(piped.io.stderr, "");
  // A terminal that cannot move the cursor gets no line.
  const dumb = terminalIo(true);
  const plainTerminal = progressLine(
    Object.assign(dumb.io, { env: { TERM: "dumb" } }),
    "thoth: verifying",
  );
  dumb.clock.at += 10 * PROGRESS_DELAY_MS;
  plainTerminal.show("late", true);
  plainTerminal.end();
  assert.equal(dumb.io.stderr, "");
  // A CliIo that does not say is no terminal.
  const plain = fakeCliIo("/nonexistent-thoth-home");
  const unsaid = progressLine(plain, "thoth: verifying");
  unsaid.show("late", true);
  assert.equal(plain.stderr, "");
});
