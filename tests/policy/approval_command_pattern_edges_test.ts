/**
 * The edges of thoth.approval_command's reading of shell patterns and
 * quoted backticks: a pattern word still counts as one a shell reads again
 * (`…'thoth approvals list;'*` on a chain of remote shells), a `#` in a
 * double quote or after an escaped blank in `$(…)` starts no comment,
 * brackets with classes, a backtick pair in a call's string or a
 * single-quoted one runs nothing, every backtick pair of a shell's command
 * line runs, a brace after `approvals` yields its words, and a pattern in a
 * prefix's place may be that prefix.
 */
import assert from "node:assert/strict";
import { commandRuns } from "../../src/policy/approval_command_runs.ts";
import { closingParen, extglobEnd } from "../../src/policy/command_text_scans.ts";
import { PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { assertRuns } from "./_approval_runs.ts";

/** `text` as a shell's single-quoted word: `'…'`, each `'` in it written `'"'"'`. */
function quoted(text: string): string {
  return "'" + text.replaceAll("'", `'"'"'`) + "'";
}

/** `text` run by `sh -c` inside `sh -c`, `layers` deep. */
function wrapped(text: string, layers = 4): string {
  let out = text;
  for (let k = 0; k < layers; k++) out = "sh -c " + quoted(out);
  return out;
}

Deno.test("commandRuns() counts a pattern word that a remote shell reads again", () => {
  const m = PATTERN_MARK;
  assert.equal(commandRuns(["ssh", "a", "ssh", "b", `thoth approvals list;${m}*`], 0, false), true);
  assertRuns(
    [
      wrapped("ssh a ssh a 'thoth approvals list;'*"),
      wrapped("ssh a ssh a 'thoth approvals list;'{x,}"),
      wrapped("ssh a ssh a 'thoth approvals list;'?"),
    ],
    true,
  );
});

Deno.test("closingParen() reads double quotes and escaped blanks before a #", () => {
  assert.equal(closingParen('$(echo " #") rest', 2), 11);
  assert.equal(closingParen("$(echo a\\ #b) rest", 2), 12);
  assert.equal(closingParen('$(echo "$(a)"#b) x', 2), 15);
  assert.equal(closingParen('$(echo "a$(b ")" c)" ) x', 2), 21);
  assert.equal(closingParen("$( (echo a)#b\n) x", 2), 14);
  assertRuns(
    [
      wrapped('x=$(echo " #"); thoth approvals list'),
      wrapped("x=$(echo a\\ #b); thoth approvals list"),
      wrapped('x=$(echo " #" ) && thoth approvals approve abc'),
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads classes and a leading ] in a bracket", () => {
  assertRuns(
    [
      "[[:alpha:]]hoth approvals list",
      "t[[=h=]]oth approvals list",
      "t[[.h.]]oth approvals list",
      "thoth ap[[:lower:]]rovals list",
      "thoth ap[]p]rovals list",
      "thoth ap[!]]rovals list",
    ],
    true,
  );
  assertRuns(["thoth ap[]x]rovals list", "t[[:digit:]x]oth approvals list x y"], false);
});

Deno.test("runsApprovalCommand() passes a backtick pair in a call's string or a quoted literal", () => {
  assertRuns(
    [
      'print("Run `thoth approvals list` to approve")',
      'console.log("Run `thoth approvals list`")',
      'logger.info("Run `thoth approvals list`")',
      'fmt.Println("Run `thoth approvals list`")',
      'throw new Error("Run `thoth approvals list`")',
      'Use the queue ("`thoth approvals list`").',
      "parser.add_argument('--id', help=\"the id `thoth approvals list` shows\")",
      '@click.option("--id", help="the id `thoth approvals list` shows")',
      '<abbr title="run `thoth approvals list`">queue</abbr>',
      'description = "See `thoth approvals list`"',
      'puts "`thoth approvals list`"',
      'print "`thoth approvals list`"',
      'say "`thoth approvals list`"',
      "echo '\"`thoth approvals list`\"'",
      "s = '\"`thoth approvals list`\"'",
    ],
    false,
    { key: "code" },
  );
  // A shell's assignment at a command's start runs it, after other assignments too.
  assertRuns(
    [
      'x="`thoth approvals list`"',
      'a=1 b="`thoth approvals list`"',
      'description="See `thoth approvals list`"',
      '(x="`thoth approvals list`")',
    ],
    true,
    { key: "code" },
  );
});

Deno.test("runsApprovalCommand() reads every backtick pair of a shell's command line", () => {
  const lines = [
    'sh -c "`thoth approvals list`"',
    'bash -c "echo `thoth approvals list`"',
    'git commit -m "note `thoth approvals approve abc`"',
    'cat "`thoth approvals list`"',
    'echo -n "`thoth approvals list`"',
    'echo a "`thoth approvals list`"',
    'sudo echo "`thoth approvals list`"',
    'if true; then echo "`thoth approvals list`"; fi',
  ];
  assertRuns(lines, true);
  assertRuns(lines, true, { key: "cmd" });
  // A shell reads the word after `-c` as a script: its backticks run, in its double quotes too.
  assertRuns(["bash -c 'cat \"`thoth approvals list`\"'"], true, { key: "code" });
  // Where the text is no shell's command line, a quoted word elsewhere is prose or data.
  assertRuns(['cat "`thoth approvals list`"', 'pwsh -c "`thoth approvals list`"'], false, {
    key: "content",
  });
});

Deno.test("runsApprovalCommand() reads a brace after approvals as the words it yields", () => {
  assertRuns(
    [
      "- thoth approvals {list,approve,deny}",
      "thoth approvals list {a,b}",
      "thoth approvals {approve,deny} abc",
    ],
    false,
    { key: "content" },
  );
  assertRuns(
    [
      "thoth approvals {list,}",
      "thoth approvals {approve,abc}",
      "thoth approvals approve abc {,}",
      // A glob may vanish (`nullglob`): no argument too many.
      "thoth approvals list [--json]",
    ],
    true,
    { key: "content" },
  );
});

Deno.test("runsApprovalCommand() reads a pattern in a prefix's or a remote shell's place", () => {
  assertRuns(
    [
      "e?v thoth approvals list",
      "{sudo,} thoth approvals list",
      "s?do thoth approvals list",
      "s[s]h host thoth approvals list",
      "echo approve x | x?rgs thoth approvals",
      "thoth approvals @(@(list))",
    ],
    true,
  );
  assertRuns(["e?v grep thoth approvals list", "s[s]h host ls approvals"], false);
  assert.deepEqual(extglobEnd("@(@(list)) x", 1), { end: 10, exact: true });
  assert.equal(extglobEnd("@(a b)", 1).end, -1);
});
