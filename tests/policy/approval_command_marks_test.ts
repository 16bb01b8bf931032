/**
 * thoth.approval_command never takes a U+0003 it reads for its own pattern
 * mark: in a text, a list's item, ssh's joined words, a decoded `$'…'`
 * (`\x03`, `\003`, `\cC`), a code string's escape or JSON in a string, it
 * is an ordinary character, as a shell reads it; a text is also read with
 * it as a line break (Ctrl-C typed into a terminal drops the line so far).
 */
import assert from "node:assert/strict";
import { MARK_STAND_IN, PATTERN_MARK, withoutMarks } from "../../src/policy/pattern_mark.ts";
import { shellWords } from "../../src/policy/shell_words.ts";
import { assertRuns } from "./_approval_runs.ts";

const m = PATTERN_MARK;

/** A script whose backtick pair runs in double quotes, a mark (or `pre`) before its first `"`. */
function script(pre: string): string {
  return `echo ${pre}"'" ; git commit -m "\`thoth approvals list\`" ; echo "'" #"`;
}

/** {@linkcode script} in `$'…'`, its mark written as `escape`. */
function ansi(escape: string): string {
  return `$'echo ${escape}"\\'" ; git commit -m "\`thoth approvals list\`" ; echo "\\'" #"'`;
}

Deno.test("withoutMarks() writes each mark as an ordinary character", () => {
  assert.equal(withoutMarks(`a${m}"b${m}`), `a${MARK_STAND_IN}"b${MARK_STAND_IN}`);
  assert.equal(withoutMarks("plain"), "plain");
  // shellWords reads a mark in the text, or one `$'…'` decodes, as that character.
  const stand = MARK_STAND_IN;
  assert.deepEqual(shellWords(`a${m}"b" $'\\x03'"c"`, true, true).words, [
    `a${stand}b`,
    `${stand}c`,
  ]);
});

Deno.test("runsApprovalCommand() reads a U+0003 in a list, ssh's words or $'…' as a character", () => {
  assertRuns(
    [
      { command: "bash", args: ["-c", script(m)] },
      { command: "ssh", args: ["host", script(m)] },
      { command: `bash -c ${ansi("\\x03")}` },
      { command: `sh -c ${ansi("\\x03")} *` },
      { command: `ssh host ${ansi("\\x03")}` },
      { command: `bash -c ${ansi("\\003")}` },
      { command: `bash -c ${ansi("\\cC")}` },
      // The mark elsewhere: twice, before an expansion, in a script of `sh -c`, an argv list.
      { command: "bash", args: ["-c", script(m + m)] },
      { command: "bash", args: ["-c", script(m).replace(`"'"`, `"$x'"`)] },
      { command: "bash", args: ["-c", `x${m}"'"; thoth approvals list #'"`] },
      { args: ["bash", "-c", script(m)] },
      { command: `sh -c '${script(m).replaceAll("'", "'\\''")}'` },
      // JSON in a string, its mark written `\u0003`.
      { input: JSON.stringify({ command: "bash", args: ["-c", script(m)] }) },
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads a U+0003 typed into a terminal as the line's end", () => {
  assertRuns([`${m}thoth approvals list`, `echo ${m}thoth approvals list`], true);
  // A list is not typed: its mark is a character of the word (no glob).
  assertRuns([{ command: "thoth", args: ["approvals", `li${m}*`] }], false);
});
