/**
 * thoth.approval_command reads a brace as the words a shell expands it to
 * (`thoth {approvals,list}` is `thoth approvals list`, an empty alternative
 * and one that may expand to nothing vanish), a pattern character written as
 * a numeric escape that a runner's string or `$'…'` decodes (`ap\x2a`), an
 * extglob group it does not read as written (a quote, `\` or `$` in it) or
 * one past its bound as any name, and the words a shell's key or a shell's
 * arguments hold; a quoted here-document's body runs no backtick pair in a
 * double quote.
 */
import assert from "node:assert/strict";
import { gated } from "../../src/policy/approval_command_escapes.ts";
import { expandedWords } from "../../src/policy/approval_command_simple.ts";
import { braceExpansion, MAX_BRACE_WORDS } from "../../src/policy/brace_expansion.ts";
import { extglobEnd, MAX_EXTGLOB } from "../../src/policy/command_text_scans.ts";
import { PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { shellWords } from "../../src/policy/shell_words.ts";
import { assertRuns } from "./_approval_runs.ts";

/** The words of `text` with pattern marks, as the approval reading splits them. */
function marked(text: string): string[] {
  return shellWords(text, true, true).words;
}

Deno.test("braceExpansion() yields a word per alternative, empty ones left out", () => {
  const one = (text: string) => braceExpansion(marked(text)[0]!);
  assert.deepEqual(one("a{b,c}d{e,f}"), ["abde", "abdf", "acde", "acdf"]);
  assert.deepEqual(one("{approve,{,}}"), ["approve"]);
  assert.deepEqual(one("{x,{approvals}}"), ["x", `${PATTERN_MARK}{approvals${PATTERN_MARK}}`]);
  assert.deepEqual(one("{a,${x}}"), ["a", `${PATTERN_MARK}\${x${PATTERN_MARK}}`]);
  assert.deepEqual(one("{a,'b,c'}"), ["a", "b,c"]);
  assert.deepEqual(one("x{,}"), ["x", "x"]);
  assert.deepEqual(one("{,}"), []);
  // Past the bound: no expansion.
  assert.equal(one("{a,b}".repeat(7)), null);
  assert.equal(braceExpansion(marked("{a,b}".repeat(6))[0]!)?.length, MAX_BRACE_WORDS);
});

Deno.test("expandedWords() fails closed past the bound on a word that may supply the command", () => {
  const many = "{" + Array.from({ length: 100 }, (_, k) => `a${k}`).join(",");
  assert.equal(expandedWords(marked(`thoth ${many},approvals} list`)), null);
  assert.equal(expandedWords(marked(`${many},thoth} approvals list`)), null);
  assert.deepEqual(expandedWords(marked(`echo ${many}}`))?.length, 2);
  assertRuns([`thoth ${many},approvals} list`, `thoth approvals ${many},list}`], true);
  assertRuns([`echo ${many}} approvals list`], false);
});

Deno.test("runsApprovalCommand() reads a brace whose alternatives vanish or supply the next words", () => {
  assertRuns(
    [
      "thoth approvals {approve,$x} abc",
      "thoth approvals {approve,{,}} abc",
      "thoth approvals {approve,$(:)} abc",
      "thoth approvals {approve,`true`} abc",
      "thoth approvals {approve,$@} abc",
      "thoth approvals {approve,{,}{,}} abc",
      'thoth approvals {approve,"${x}"} abc',
      "thoth {approvals,approve} abc",
      "thoth {approvals,list}",
      "thoth {approvals,approve,abc}",
      "{thoth,approvals} approve abc",
      "{thoth,approvals,list}",
      "sudo {thoth,approvals,list} --json",
      "bash -c {'thoth approvals list',}",
    ],
    true,
  );
  assertRuns(
    [
      "thoth approvals {approve,x} abc",
      "thoth approvals {approve,'x'} abc",
      "thoth {approvals,x} list",
      "th{o,}th approvals list",
      "echo {thoth,approvals,list}",
    ],
    false,
  );
});

Deno.test("runsApprovalCommand() reads a pattern character written as a numeric escape", () => {
  assertRuns(
    [
      { code: 'os.system("thoth ap\\x2a list")' },
      { code: 'os.system("thoth ap\\52 list")' },
      { code: 'os.system("thoth ap\\u002a list")' },
      { code: 'os.system("thoth appro\\x3fals list")' },
      { code: 'os.system("thoth \\x7bappro\\x3fals,} list")' },
      { code: 'os.system("thoth ap\\x40\\x28provals) list")' },
      { code: 'execSync("thoth ap\\x2a list")' },
      "sh -c $'thoth ap\\x2a list'",
      "eval $'thoth ap\\x2a list'",
      "echo $'thoth ap\\x2a list' | sh",
    ],
    true,
  );
  assert.equal(gated("thoth ap\\x2a list"), true);
  assert.equal(gated("thoth ap\\x5bp]rovals list"), true);
  assert.equal(gated("C:\\x2a\\y list"), false);
});

Deno.test("runsApprovalCommand() reads an extglob group past its bound or with quotes as any name", () => {
  const x = "x".repeat(MAX_EXTGLOB + 44);
  const long = [
    `thoth @(approvals|${x}) list`,
    `@(thoth|${x}) approvals list`,
    `thoth approvals @(list|${x})`,
  ];
  assertRuns(
    [
      ...long,
      ...long.map((text) => "shopt -s extglob\n" + text),
      ...long.map((text) => `bash -O extglob -c '${text}'`),
      "thoth @(approvals|'x') list",
      'thoth @(appro"v"als) list',
      "thoth @(approvals|$y) list",
      "thoth ?(approvals|\\ ) list",
      "@(thoth|'x') approvals list",
      "thoth approvals @(approve|'x') abc",
    ],
    true,
  );
  assertRuns(["ls @(a|'b') approvals", "if (!(a)) { approvals }", `ls @(${x}) approvals`], false);
  assert.deepEqual(extglobEnd(`@(a|'b c') x`, 1), { end: 10, exact: false });
  assert.deepEqual(extglobEnd(`@(${x} y`, 1), { end: x.length + 2, exact: false });
  assert.equal(extglobEnd(`@('a`, 1).end, -1);
});

Deno.test("runsApprovalCommand() runs no backtick pair in a double quote of a quoted here-document", () => {
  const body = 'Use "`thoth approvals approve ID`" to approve.';
  assertRuns(
    [
      `cat > notes.md <<'EOF'\n${body}\nEOF`,
      `cat > notes.md <<"EOF"\n${body}\nEOF`,
      `cat > notes.md << \\EOF\n${body}\nEOF`,
      `cat <<-'EOF' > notes.md\n\t${body}\n\tEOF\n`,
      `tee notes.md <<'EOF' >copy.md\n${body}\nEOF`,
    ],
    false,
  );
  assertRuns(
    [
      `cat > notes.md <<EOF\n${body}\nEOF`,
      `cat <<'EOF'\n${body}\nEOF\necho "\`thoth approvals list\`"`,
      `cat <<'A' <<B\nx\nA\n${body}\nB`,
      `cat <<'EOF'\nthoth approvals list\nEOF`,
      // Printed, not written into a file: a `$(…)` or a pipe around the text may run it.
      `cat <<'EOF'\n${body}\nEOF`,
      `cat <<'EOF' > /dev/stdout\n${body}\nEOF`,
    ],
    true,
  );
  // A quoted delimiter stops expansion only while the body is read: what a shell is handed, it runs.
  const line = 'ls "`thoth approvals list`"';
  assertRuns(
    [
      `bash <<'EOF'\n${line}\nEOF`,
      `sh -s <<"EOF"\n${line}\nEOF`,
      `bash << \\EOF\n${line}\nEOF`,
      `ssh host <<'EOF'\n${line}\nEOF`,
      `cat <<'EOF' | sh\n${line}\nEOF`,
      `tee x.sh <<'EOF' | bash\n${line}\nEOF`,
      `source /dev/stdin <<'EOF'\n${line}\nEOF`,
      `eval "$(cat <<'EOF'\n${line}\nEOF\n)"`,
      `cat > "$f" <<'EOF'; bash "$f"\n${line}\nEOF`,
      { command: "bash", args: ["-c", `cat <<'EOF' | sh\n${line}\nEOF`] },
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads more shell keys, and a shell's arguments beside it", () => {
  const line = 'cat "`thoth approvals list`"';
  for (
    const key of ["script", "commands", "command_line", "commandLine", "cmdline", "shell_command"]
  ) {
    assertRuns([line], true, { key });
  }
  assertRuns([line], true, { key: "input", tool: "terminal_write" });
  assertRuns([line], false, { key: "input", tool: "summarize" });
  assertRuns(
    [
      { command: "bash", args: ["-c", 'git commit -m "note `thoth approvals approve abc`"'] },
      { cmd: "/bin/sh", arguments: ["-lc", line] },
    ],
    true,
  );
  assertRuns(
    [{ command: "git", args: ["commit", "-m", 'note "`thoth approvals approve abc`"'] }],
    false,
  );
});
