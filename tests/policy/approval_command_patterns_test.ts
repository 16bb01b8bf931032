/**
 * thoth.approval_command reads the words a shell expands before it runs
 * them: an unquoted glob (`th?th`, `/usr/bin/th*h`, `t[h]oth`), a brace
 * (`{thoth,}`, `th{o,}th`), a sequence and an extglob group, in the program's
 * place and in the subcommand's words, may name thoth; a quoted one, or one
 * in a list no shell reads (`subprocess.run(['th?th', …])`), means itself.
 * A backtick pair in a double-quoted word that starts a command, an
 * assignment's value or a printed word runs as `$(…)` there, and a comment
 * in `$(…)` ends at its line.
 */
import assert from "node:assert/strict";
import { closingParen } from "../../src/policy/command_text_scans.ts";
import { patternGated } from "../../src/policy/approval_command_escapes.ts";
import { getattrRead } from "../../src/policy/runner_names.ts";
import { MAX_NESTING } from "../../src/policy/pattern_group_pairs.ts";
import { mayExpandTo } from "../../src/policy/shell_word_patterns.ts";
import { MARK_STAND_IN, PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { shellWords } from "../../src/policy/shell_words.ts";
import { THOTH_NAME, THOTH_NAMES } from "../../src/policy/approval_command_words.ts";
import { assertRuns } from "./_approval_runs.ts";

Deno.test("runsApprovalCommand() reads a glob that may name thoth or its subcommands", () => {
  assertRuns(
    [
      "th?th approvals approve abc",
      "t?oth approvals approve abc",
      "thot? approvals approve abc",
      "/usr/bin/th*h approvals approve abc",
      "t[h]oth approvals approve abc",
      "th[a-z]th approvals list",
      "~/.deno/bin/th?th approvals approve abc",
      "THOTH.EX? approvals list",
      "C:\\Tools\\th?th.exe approvals list",
      "thoth approvals appro?e abc",
      "thoth app* approve abc",
      "thoth a[p]provals approve abc",
      "thoth approvals appro?e $ID",
      // A glob may expand to nothing (`nullglob`): it is no argument too many.
      "thoth approvals list *",
      // After prefixes, in a script, on another machine, where a shell reads a runner's string.
      "env th?th approvals approve abc",
      "sudo -u root /usr/bin/th*h approvals list",
      "exec t[h]oth approvals approve abc",
      "find . -exec th?th approvals list \\;",
      "bash -c 'th?th approvals approve abc'",
      'sh -c "thoth app* approve abc"',
      "ssh localhost 'th?th approvals approve abc'",
      "ssh localhost th?th approvals approve abc",
      { code: "os.system('th?th approvals approve abc')" },
      { code: "subprocess.run('thoth app* approve abc', shell=True)" },
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads braces, sequences and extglob groups that may name thoth", () => {
  assertRuns(
    [
      "{thoth,} approvals approve abc",
      "thoth {approvals,} approve abc",
      "{thoth,{,}} approvals approve abc",
      "thoth {approvals,{,}} approve abc",
      "env -u X {thoth,} approvals list",
      "{/usr/bin/thoth,} approvals list",
      "thot{g..i} approvals approve abc",
      "@(thoth|x) approvals approve abc",
      "th@(o|x)th approvals approve abc",
      "+(thoth) approvals list",
      "th?(o)th approvals list",
      "thoth @(approvals) list",
      "thoth approvals @(approve|deny) abc",
      // Nested past the bound: any name.
      "{".repeat(MAX_NESTING + 1) + "x,y" + "}".repeat(MAX_NESTING + 1) + " approvals list",
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads quoted glob characters, argument lists and ordinary globs as they are", () => {
  assertRuns(
    [
      "'th?th' approvals approve abc",
      '"th*h" approvals list',
      "th\\?th approvals approve abc",
      "thoth 'app*' approve abc",
      "thoth approvals 'appro?e' abc",
      "th[x]th approvals list",
      "th{x,y}th approvals list",
      // A brace yields a word per alternative: `thoth thth approvals …` runs no approval command.
      "th{o,}th approvals approve abc",
      "thoth ap{p,}rovals approve abc",
      "{/usr/bin/th,x}oth approvals list",
      { code: "subprocess.run(['th?th', 'approvals', 'approve', 'abc'])" },
      { command: "th?th", args: ["approvals", "approve", "abc"] },
      ["th?th", "approvals", "approve", "abc"],
      "ls *.txt",
      "rm -f build/*",
      "echo {a,b}",
      "find . -name '*.ts'",
      "ls -la approvals/*.json",
      "* approvals are pending review",
      "git add 'src/*.ts' && git commit -m \"approvals list\"",
    ],
    false,
  );
});

Deno.test("runsApprovalCommand() reads a backtick pair in a double-quoted word that runs", () => {
  assertRuns(
    [
      'echo "x`thoth approvals approve abc`"',
      '"`thoth approvals approve abc`"',
      'x="`thoth approvals approve abc`"',
      'true; echo "`thoth approvals list`"',
    ],
    true,
  );
  // Prose's quotes and a string in code show it.
  assertRuns(
    [
      'Run "`thoth approvals list`" in a terminal',
      'He said "run `thoth approvals list` now"',
      'const a = "`thoth approvals list`";',
    ],
    false,
    { key: "content" },
  );
});

Deno.test("runsApprovalCommand() ends a comment in $(…) at its line", () => {
  assertRuns(
    [
      "x=$(: # getattr(os, 'x'\n) thoth approvals approve abc",
      "x=$(: # getattr(\n  os, 'x'\n) thoth approvals approve abc",
    ],
    true,
  );
  assert.equal(closingParen("$(: # it's (\n) rest", 2), 13);
  assert.equal(closingParen("$(echo a#b) rest", 2), 10);
});

Deno.test("getattrRead() keeps the line breaks a getattr spans", () => {
  assert.equal(getattrRead("# getattr(os, 'x'\n) next"), "# os.x\n next");
  assert.equal(
    getattrRead("getattr(\n  os,\n  'execvp',\n)('thoth')"),
    "\n\n\nos.execvp('thoth')",
  );
  assert.equal(getattrRead("getattr(os, 'execvp')('thoth')"), "os.execvp('thoth')");
});

Deno.test("mayExpandTo() matches a marked word against names without expanding it", () => {
  const m = PATTERN_MARK;
  assert.equal(mayExpandTo(`th${m}?th`, ["thoth"]), true);
  assert.equal(mayExpandTo("th?th", ["thoth"]), false);
  assert.equal(mayExpandTo(`${m}{thoth${m},${m}}`, ["thoth"]), true);
  assert.equal(mayExpandTo(`${m}{a${m},b${m}}`, ["thoth"]), false);
  assert.equal(mayExpandTo(`t${m}[!h${m}]oth`, ["thoth"]), false);
  assert.equal(mayExpandTo(`/usr/bin/th${m}*`, ["thoth"], true), true);
  assert.equal(mayExpandTo(`/usr/b${m}*`, ["thoth"], true), false);
  // Linear: a long run of groups and stars.
  const long = `${m}{a${m},`.repeat(20) + `${m}*`.repeat(50_000) + `${m}}`.repeat(20);
  assert.equal(mayExpandTo(long, ["approvals"]), true);
});

Deno.test("shellWords() marks unquoted pattern characters of a word with a pattern only", () => {
  const m = PATTERN_MARK;
  assert.deepEqual(shellWords("th?th 'a?' a,b '${x}' {a,b}", true, true).words, [
    `th${m}?th`,
    "a?",
    "a,b",
    "${x}",
    `${m}{a${m},b${m}}`,
  ]);
  // An unquoted expansion: its `$` and the `}` of its braces marked.
  assert.deepEqual(shellWords("${x} a${y}b $z", true, true).words, [
    `${m}\${x${m}}`,
    `a${m}\${y${m}}b`,
    `${m}$z`,
  ]);
  // A mark in the text is an ordinary character, as a shell reads it.
  assert.deepEqual(shellWords(`@(a|b) x${m}y`, true, true).words, [
    `${m}@${m}(a${m}|b${m})`,
    `x${MARK_STAND_IN}y`,
  ]);
  assert.deepEqual(shellWords("th?th", true).words, ["th?th"]);
});

Deno.test("patternGated() passes a text one of whose words may expand to approvals", () => {
  for (
    const text of ["thoth app* a", "a?provals", "ap[p]rovals", "{x,app}rovals", "@(approvals)"]
  ) {
    assert.equal(patternGated(text), true, text);
  }
  for (const text of ["ls *.txt", "echo {a,b}", "x=app* y", "what? a", "[approval]"]) {
    assert.equal(patternGated(text), false, text);
  }
});

Deno.test("THOTH_NAMES are the names THOTH_NAME matches, no more and no fewer", () => {
  const bases = ["thoth", "thothctl", "thot", "thothx", "xthoth", "mod"];
  const extensions = ["", ".exe", ".cmd", ".bat", ".ps1", ".js", ".mjs", ".ts", ".sh", ".tsx", "."];
  let named = 0;
  for (const base of bases) {
    for (const extension of extensions) {
      for (const name of [base + extension, (base + extension).toUpperCase()]) {
        const listed = THOTH_NAMES.includes(name.toLowerCase());
        assert.equal(THOTH_NAME.test(name), listed, name);
        if (listed) named++;
      }
    }
  }
  // Every listed name was among those asked, in both cases.
  assert.equal(named, 2 * THOTH_NAMES.length);
});
