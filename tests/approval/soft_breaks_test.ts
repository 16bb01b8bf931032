/**
 * zenity's text window wraps only between words: a long run without a space
 * ran past its right edge, and the end of a command showed only to someone
 * who scrolled sideways (seen with zenity 3.44 on Xvfb). thoth gives such a
 * run places to wrap, drawn as nothing.
 */
import assert from "node:assert/strict";
import { dialogCommand } from "../../src/approval/dialog_command.ts";
import { SOFT_BREAK, SOFT_BREAK_EVERY, withSoftBreaks } from "../../src/approval/soft_breaks.ts";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The longest run of characters in `text` with no whitespace and no soft break in it. */
function longestRun(text: string): number {
  return Math.max(
    0,
    ...text.split(new RegExp(`[\\s${SOFT_BREAK}]`, "u")).map((run) =>
      [...segmenter.segment(run)].length
    ),
  );
}

const HIDDEN_TAIL = `  command: "echo ok;${"A".repeat(95)};reboot"`;

Deno.test("dialogCommand() gives zenity a long run without spaces places to wrap, and nothing else", () => {
  const text = `Allow tool "run_command"?\n${HIDDEN_TAIL}\nDecision d-7`;
  const stdin = dialogCommand("zenity", text, 60, true).stdin!;
  assert.ok(longestRun(stdin) <= SOFT_BREAK_EVERY, stdin);
  assert.equal(stdin.replaceAll(SOFT_BREAK, ""), text, "every character as it was");
  assert.equal(stdin.split("\n").length, 3, "no line break added");
  // kdialog's text window wraps anywhere itself: its file gets none.
  assert.ok(!dialogCommand("kdialog", text, 60, true).textFile!.text.includes(SOFT_BREAK));
});

Deno.test("withSoftBreaks() leaves text without a long run as it is", () => {
  const text = `a ${"b".repeat(SOFT_BREAK_EVERY)}\n${"c".repeat(SOFT_BREAK_EVERY)} d`;
  assert.equal(withSoftBreaks(text), text);
  assert.equal(withSoftBreaks(""), "");
});

Deno.test("withSoftBreaks() breaks a run after every SOFT_BREAK_EVERY characters, never inside one", () => {
  assert.equal(
    withSoftBreaks("x".repeat(SOFT_BREAK_EVERY * 2 + 1)),
    `${"x".repeat(SOFT_BREAK_EVERY)}${SOFT_BREAK}${"x".repeat(SOFT_BREAK_EVERY)}${SOFT_BREAK}x`,
  );
  // A letter with its accent, and an emoji with its skin tone, stay whole.
  for (const char of ["e\u0301", "\u{1f44d}\u{1f3fd}", "日"]) {
    const text = `${char.repeat(SOFT_BREAK_EVERY + 5)} ${char}`;
    const broken = withSoftBreaks(text);
    assert.equal(broken, char.repeat(SOFT_BREAK_EVERY) + SOFT_BREAK + char.repeat(5) + ` ${char}`);
  }
  // Whitespace ends a run: the count starts again after it.
  const spaced = `${"a".repeat(SOFT_BREAK_EVERY - 4)} ${"b".repeat(SOFT_BREAK_EVERY)}\t${
    "c".repeat(SOFT_BREAK_EVERY + 1)
  }`;
  assert.equal(
    withSoftBreaks(spaced),
    `${"a".repeat(SOFT_BREAK_EVERY - 4)} ${"b".repeat(SOFT_BREAK_EVERY)}\t${
      "c".repeat(SOFT_BREAK_EVERY)
    }${SOFT_BREAK}c`,
  );
});

Deno.test("withSoftBreaks() reads a no-break space as part of a run: lines do not wrap there", () => {
  // zenity kept `("B" × 25 + U+00A0) × 5` on one line, past the window's right edge.
  for (const space of ["\u00a0", "\u2007", "\u202f", "\ufeff"]) {
    const text = `echo ok;${("B".repeat(10) + space).repeat(5)};reboot`;
    const broken = withSoftBreaks(text);
    assert.equal(broken.replaceAll(SOFT_BREAK, ""), text);
    const runs = broken.split(new RegExp(`[ \\t\\n${SOFT_BREAK}]`));
    assert.ok(
      runs.every((run) => [...segmenter.segment(run)].length <= SOFT_BREAK_EVERY),
      JSON.stringify(broken),
    );
  }
});
