/**
 * thoth.approval_command reads a word a shell may expand to no word at all
 * (`$x`, `${x}`, `$@`, `$(true)`, a backtick pair, a glob under
 * `nullglob`, a brace's `$x`) as none wherever it stands among the words
 * after thoth's name and before it; a parameter's word (`${x:-approvals}`)
 * as that word; a quoted expansion (`"$x"`, `''`) as an argument, empty or
 * not; `$x` in an argument list as itself; and a POSIX shell named under
 * `executable`, `program`, `name` and the like as a shell's program.
 */
import assert from "node:assert/strict";
import { approvalsAfter } from "../../src/policy/approval_command_tail.ts";
import { mayVanish } from "../../src/policy/shell_expansions.ts";
import { MAX_PARAMETER_NESTING, mayExpandTo } from "../../src/policy/shell_word_patterns.ts";
import { PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { shellWords } from "../../src/policy/shell_words.ts";
import { assertRuns } from "./_approval_runs.ts";

/** The words of `text` with pattern marks, as the approval reading splits them. */
function marked(text: string): string[] {
  return shellWords(text, true, true).words;
}

Deno.test("mayVanish() takes an unquoted expansion or glob away, never a quoted one", () => {
  for (const word of ["$x", "${x}", "$@", '"$@"', '"${@}"', "$x$y", "${x:-a}", "*", "a*", "{}"]) {
    assert.equal(mayVanish(marked(word)[0]!), true, word);
  }
  for (const word of ['"$x"', '"${x}"', "''$x", "$x''", "a$x", "$x/a", '"$*"', "x", "'*'"]) {
    assert.equal(mayVanish(marked(word)[0]!), false, word);
  }
  // In an argument list nothing is expanded: `$x` is itself.
  assert.equal(mayVanish("$x"), false);
  assert.equal(marked("''")[0], "");
});

Deno.test("mayExpandTo() reads a parameter's word as one the expansion may be", () => {
  for (const op of [":-", "-", ":=", "=", ":+", "+"]) {
    assert.equal(mayExpandTo(marked(`\${x${op}approvals}`)[0]!, ["approvals"]), true, op);
    assert.equal(mayExpandTo(marked(`"\${x${op}approvals}"`)[0]!, ["approvals"]), true, op);
  }
  for (const word of ["${x:?approvals}", "${x#approvals}", "${#x}", "${x}", "$x"]) {
    assert.equal(mayExpandTo(marked(word)[0]!, ["approvals"]), false, word);
  }
  assert.equal(mayExpandTo(marked("approvals$x")[0]!, ["approvals"]), true);
  assert.equal(mayExpandTo(marked("${x:-app}rovals")[0]!, ["approvals"]), true);
  assert.equal(mayExpandTo(marked("${x:-${y:-approvals}}")[0]!, ["approvals"]), true);
  assert.equal(mayExpandTo(marked("${x:-${y:-approve}}")[0]!, ["approvals"]), false);
  // Nested past the bound: any word.
  const deep = "${x:-".repeat(MAX_PARAMETER_NESTING + 1) + "a" + "}".repeat(5);
  assert.equal(mayExpandTo(marked(deep)[0]!, ["approvals"]), true);
});

Deno.test("approvalsAfter() reads each word that may vanish both ways in one pass", () => {
  const after = (text: string) => approvalsAfter(marked(text), 1).runs;
  assert.equal(after("thoth * approvals * approve * abc *"), true);
  assert.equal(after("thoth approvals * approve abc"), true);
  assert.equal(after("thoth approvals list --reason $x abc"), false);
  assert.equal(after("thoth approvals approve --reason x abc"), true);
  assert.equal(after("thoth $x approvals $y list --help"), false);
  assert.deepEqual(approvalsAfter(marked("thoth $x -v $y ls approvals list"), 1), {
    runs: false,
    gateEnd: 4,
  });
});

Deno.test("runsApprovalCommand() reads a word that may expand to nothing as none", () => {
  assertRuns(
    [
      "thoth approvals $x approve abc",
      "thoth $x approvals approve abc",
      "thoth approvals ${x} list",
      "thoth approvals $x list",
      "thoth approvals $@ approve abc",
      'thoth approvals "$@" approve abc',
      "thoth approvals * approve abc",
      "thoth approvals $(true) approve abc",
      "thoth approvals `true` approve abc",
      "thoth {approvals,$x} list",
      "thoth approvals {,} approve abc",
      "thoth approvals${x} approve abc",
      "thoth $1 $2 approvals $3 list $4",
      "$x thoth approvals list",
      "$(true) thoth approvals list",
      "sudo $x thoth approvals list",
      "env $x thoth approvals list",
      "xargs $x thoth approvals list",
      "sh -c 'thoth approvals $x approve abc'",
      'bash -c "thoth \\$x approvals list"',
      "ssh host thoth approvals $x list",
      "ssh host 'thoth $x approvals list'",
      "out=$(thoth approvals $x list)",
      "sh <<< 'thoth approvals $x list'",
      { code: 'os.system("thoth approvals $x approve abc")' },
      { code: "subprocess.run('thoth $x approvals list', shell=True)" },
      // Blocked before, still: a program a shell expands first.
      "$T approvals approve abc",
      "${T} approvals approve abc",
      '"$T" approvals approve abc',
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads a parameter's word as the word it may be", () => {
  assertRuns(
    [
      "thoth ${x:-approvals} approve abc",
      "thoth ${x-approvals} approve abc",
      "thoth ${x:=approvals} approve abc",
      "thoth ${x=approvals} approve abc",
      "thoth ${x:+approvals} approve abc",
      "thoth ${x+approvals} approve abc",
      'thoth "${x:-approvals}" approve abc',
      "thoth approvals ${x:-approve} abc",
      "thoth approvals ${x:-list}",
      "${T:-thoth} approvals approve abc",
      "/usr/bin/${T:-thoth} approvals list",
      "${x:-sudo} thoth approvals list",
      "thoth ${x:-${y:-approvals}} list",
      "thoth " + "${x:-".repeat(MAX_PARAMETER_NESTING + 2) + "approvals" + "}".repeat(6) + " list",
      "thoth " + "${x:-".repeat(MAX_PARAMETER_NESTING + 2) + "approvals" + " list",
      { script: "thoth approvals ${x:-approve} abc" },
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() passes a quoted empty expansion, a list's $x and built commands", () => {
  assertRuns(
    [
      'thoth approvals "$x" approve abc',
      'thoth approvals "${x}" approve abc',
      "thoth approvals '' approve abc",
      "thoth approvals ''$x approve abc",
      'thoth "$x" approvals approve abc',
      "thoth approvals '$x' approve abc",
      "thoth $CMD",
      "thoth $A approve abc",
      "thoth status $x",
      'thoth "$@"',
      "$T $A approve abc",
      "thoth approval$x approve abc",
      "thoth approvals ${x:?approve} abc",
      "echo $x approvals list",
      "ls $DIR approvals",
      "git log $REV -- approvals/list",
      "$EDITOR approvals.md",
      // No shell: `$x` is an argument as written.
      { command: "thoth", args: ["approvals", "$x", "approve", "abc"] },
      { command: "thoth", args: ["approvals", "approve", "$x", "abc", "def"] },
      { code: "subprocess.run(['thoth', 'approvals', '$x', 'approve', 'abc'])" },
      { code: 'execFileSync("thoth", ["$x", "approvals", "list"])' },
    ],
    false,
  );
});

Deno.test("runsApprovalCommand() reads a POSIX shell named under any key that names a program", () => {
  const script = 'git commit -m "`thoth approvals list`"';
  for (const key of ["executable", "program", "prog", "exe", "bin", "binary", "file", "command"]) {
    assertRuns([{ [key]: "sh", args: ["-c", script] }], true);
    assertRuns([{ [key]: "/usr/bin/bash", argv: ["-lc", script] }], true);
  }
  for (const key of ["name", "tool", "runner"]) {
    assertRuns([{ [key]: "sh", args: ["-c", script] }], true);
    // Named loosely: a list under another key is not its arguments.
    assertRuns([{ [key]: "sh", tags: ["-c", script] }], false);
  }
  assertRuns(
    [
      { executable: "git", args: ["commit", "-m", script] },
      { executable: "fish", args: ["-c", script] },
      { title: "sh", args: ["-c", script] },
    ],
    false,
  );
});

Deno.test("shellWords() splits a parameter's word at unquoted white space, quotes in it its own", () => {
  const m = PATTERN_MARK;
  assert.deepEqual(marked("thoth ${x:-approvals list}"), [
    "thoth",
    `${m}\${x:-approvals${m}}`,
    // Opened again with a short header: the name is never read again.
    `${m}\${_:-list${m}}`,
  ]);
  assert.deepEqual(marked('a${x:-b c}d "${y:-e f}" ${z:-"g h"}'), [
    `a${m}\${x:-b${m}}`,
    `${m}\${_:-c${m}}d`,
    `${m}"\${y:-e f}`,
    `${m}\${z:-g h${m}}`,
  ]);
  // Past the nesting bound a parameter is no longer opened again: linear.
  const deep = marked("${a:-${b:-${c:-${d:-${e:-${f:-x y}}}}}} z");
  assert.equal(deep.length, 3);
  assert.equal(mayExpandTo(deep[1]!, ["approvals"]), true);
  // A quote in the braces leaves the expansion free to vanish; one outside does not.
  for (const word of ['${x:+""}', "${x:+''}", '${x-""}${y-""}', "${x:-$'a'}"]) {
    assert.equal(mayVanish(marked(word)[0]!), true, word);
  }
  assert.equal(mayVanish(marked("''${x:+a}")[0]!), false);
});

Deno.test("mayVanish() keeps an expansion that is never empty", () => {
  for (const word of ["$$", "$#", "$?", "${#x}", "${#}", "${x:?e}"]) {
    assert.equal(mayVanish(marked(word)[0]!), false, word);
  }
  for (const word of ["$!", "$-", "${x?e}", "${x:-e}", "${x#e}"]) {
    assert.equal(mayVanish(marked(word)[0]!), true, word);
  }
});

Deno.test("runsApprovalCommand() reads quotes, spaces and patterns in a parameter's word", () => {
  assertRuns(
    [
      'thoth approvals ${x:+""} list',
      "thoth approvals ${x:+''} list",
      'thoth approvals ${x-""}${y-""} list',
      "thoth ${x:-appr}ovals list",
      "thoth appr${x}ovals list",
      "thoth ${x:-approvals list}",
      "${x:-thoth approvals list}",
      "thoth ${x:-thoth approvals list}",
      "thoth ${x:-appr*} list",
      "thoth approvals ${x:-app?ove abc}",
      "sh -c 'thoth ${x:-approvals list}'",
    ],
    true,
  );
  assertRuns(
    [
      "thoth approvals $$ list",
      "thoth approvals ${#x} list",
      "thoth approvals ${x:?unset} list",
      'thoth approvals "${x:-a b}" list',
      "echo ${x:-approvals list}",
    ],
    false,
  );
});

Deno.test("runsApprovalCommand() reads eval's words joined, and ssh after a word that may vanish", () => {
  assertRuns(
    [
      "eval thoth approvals \\$x list",
      "eval thoth \\${x:-approvals} list",
      "eval \\$x thoth approvals list",
      "eval 'thoth approvals' '$x' list",
      "command eval thoth approvals \\$x list",
      { command: "eval", args: ["thoth", "approvals", "$x", "list"] },
      "$x ssh host thoth approvals list",
      "$x sudo ssh host thoth approvals list",
      "$x mosh host thoth approvals list",
      "$x $y autossh host thoth approvals list",
    ],
    true,
  );
  assertRuns(["eval echo thoth approvals list", "$x ssh host ls approvals"], false);
});

Deno.test("runsApprovalCommand() reads a substitution before a name as a word of its own", () => {
  assertRuns([
    "thoth approvals `true`list",
    "thoth approvals $(true)list",
    "thoth `true`approvals list",
  ], true);
});

Deno.test("runsApprovalCommand() leaves a word before a backtick that closes a template or a span", () => {
  // An unclosed pair is no substitution; one across lines after a word's character closes a
  // template (`list\``) and opens nothing a shell would take away.
  const template = [
    "  # what waits for a person's approval",
    "  thothctl approvals list`,",
    "  );",
    "  // `audit verify` exits 3",
  ].join("\n");
  assertRuns([{ path: "src/cli/program.ts", content: template }], false);
  assertRuns(
    ["* approvals list` ", "thothctl approvals list`", "  thothctl approvals list`,"],
    false,
    {
      key: "content",
    },
  );
  // A pair on one line still may be empty, and so may one apart from the word.
  assertRuns(["thoth approvals list`true`", "thoth approvals list `\ntrue\n`"], true);
});
