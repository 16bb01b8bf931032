/**
 * thoth.approval_command reads a backtick pair in code as a command (ruby,
 * perl, PHP, zx's `` $`…` ``), but not one that only shows or builds the
 * command: markdown prose and tables, JavaScript templates after `const`,
 * `let` or `var`, and comments of code that are certain (a line's own `#` or
 * `//`, a `/* … *\/` that opens its line and closes on it). When unsure, the
 * pair is read as code.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { backtickInCode } from "../../src/policy/backtick_in_code.ts";
import { assertRuns } from "./_approval_runs.ts";

Deno.test("runsApprovalCommand() passes markdown prose and tables that show the command", () => {
  for (
    const content of [
      "The hook will print `thoth approvals approve ID` for you to run.",
      "The helper scripts echo `thoth approvals approve ID` at the end.",
      "Both commands return `thoth approvals approve ID` output as JSON.",
      "Docs say `thoth approvals approve ID` is the way.",
      "We warn `thoth approvals approve ID` is for humans.",
      "Processes die `thoth approvals approve ID` stops.",
      "See p `thoth approvals approve ID`.",
      "| setting | value |\n|---|---|\n| cmd = `thoth approvals approve ID` | x |",
      "Set `X` = `thoth approvals approve ID` in your env.",
      "x = `thoth approvals list` is the command",
    ]
  ) assert.equal(runsApprovalCommand({ path: "README.md", content }, "write_file"), false, content);
});

Deno.test("runsApprovalCommand() passes JavaScript templates, which build a string", () => {
  for (
    const content of [
      "const hint = `thoth approvals approve ${id}`;\nconsole.log(hint);\n",
      "function f(cmd = `thoth approvals list`) { return cmd; }",
      "let hint = `thoth approvals list`;",
      "export const HELP = `thoth approvals list   show what waits\nthoth approvals approve ID`;",
    ]
  ) assert.equal(runsApprovalCommand({ path: "a.ts", content }, "write_file"), false, content);
});

Deno.test("runsApprovalCommand() passes backticks in comments of code", () => {
  for (
    const code of [
      "# out = `thoth approvals approve x` would answer it, so do not\nputs 'hi'",
      "// const x = `thoth approvals list`;\nfoo();",
      "/* return `thoth approvals list` */\nfoo();",
      "  # out = `thoth approvals list`",
      "x = 1  # same as print `thoth approvals list`",
      "\t// out = `thoth approvals list`",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() still reads backticks in code, after a comment too", () => {
  for (
    const code of [
      "x = `thoth approvals approve #{id}`",
      "my $o = `thoth approvals approve $id`;",
      "puts `thoth approvals list`",
      "def f\n  return `thoth approvals approve x`\nend",
      "a, b = `thoth approvals list`, 1",
      "chomp(my $o = `thoth approvals approve $id`);",
      "my $o = `thoth approvals approve $id` || die;",
      "# note\nmy $o = `thoth approvals approve $id`;",
      "// note\nout = `thoth approvals approve x`",
      "/* note */ out = `thoth approvals approve x`",
      "=pod\n\nx\n\n=cut\nmy $o = `thoth approvals approve $id`;",
      "=begin\nx\n=end\nout = `thoth approvals approve x`",
      "puts `thoth approvals list` if ok",
      // zx, Bun's shell and execa run a tagged template as a command.
      "import { $ } from 'zx';\nawait $`thoth approvals approve ${id}`;",
      "await Bun.$`thoth approvals approve ${id}`",
      "await execa`thoth approvals approve ${id}`;",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const command of ["x=`thoth approvals list`", "out=`thoth approvals approve ${ID}`"]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("backtickInCode() reads what stands before and after the pair", () => {
  const at = (text: string): boolean => {
    const open = text.indexOf("`");
    return backtickInCode(text, open, text.indexOf("`", open + 1));
  };
  assert.equal(at("out = `ls`"), true);
  assert.equal(at("puts `ls`"), true);
  assert.equal(at("<?php echo `ls`;"), true);
  assert.equal(at("await $`ls ${d}`"), true);
  assert.equal(at("Run `ls` now"), false);
  assert.equal(at("They print `ls` here"), false);
  assert.equal(at("const s = `ls`;"), false);
  assert.equal(at("let s = `ls ${d}`;"), false);
  assert.equal(at("s = `ls ${d}`;"), true);
  assert.equal(at("my $s = `ls ${d}`;"), true);
  assert.equal(at("const $s = `ls ${d}`;"), true);
  assert.equal(at("print `ls ${d}`;"), true);
  assert.equal(at("my $o = `ls` x 2;"), true);
  assert.equal(at("out = `ls` is it"), false);
  assert.equal(at("f(cmd = `ls`)"), false);
});

Deno.test("runsApprovalCommand() reads a backtick pair as code unless a comment is certain", () => {
  for (
    const code of [
      // Perl's `//` operator, a shell's `/*` glob, a `#` in a string, a regular expression or
      // a list: no comment, so the pair after it runs.
      "my $id = shift // 'x'; my $o = `thoth approvals approve $id`;",
      "my $id = shift // die; print `thoth approvals approve $id`;",
      "my $s = q( #); my $o = `thoth approvals approve $id`;",
      "my $ok = $x =~ / #/; my $o = `thoth approvals approve $id`;",
      "pat = / #/; out = `thoth approvals approve #{id}`",
      "tags = %w[a #b]; out = `thoth approvals approve #{id}`",
      "my @f = </*>; my $o = `thoth approvals approve $id`;",
      // A heredoc's line that looks like POD or ruby's `=begin`.
      "doc = <<~EOS\n=begin\nEOS\nputs `thoth approvals approve #{id}`\n",
      "print <<EOT;\n=head1 x\nEOT\nprint `thoth approvals approve $id`;\n",
      // A `/* … */` that spans lines, code after one that closes, POD.
      "/* a */ out = `thoth approvals approve x` /* b */",
      "/*\n * out = `thoth approvals approve x`\n */\nfoo();",
      "=head1 USAGE\n\n  my $out = `thoth approvals list`;\n\n=cut\n",
      // `${` alone is perl's, PHP's and ruby's too; only a JavaScript declaration builds a string.
      "out = `thoth approvals approve ${ID}`",
      "my $o = `thoth approvals approve ${id}`;",
      "<?php $o = `thoth approvals approve ${id}`;",
      "print `thoth approvals approve ${id}`;",
      "function hint(id) {\n  return `thoth approvals approve ${id}`;\n}\n",
      // Perl's word operators after the pair are code, not prose.
      "my $o = `thoth approvals approve $id` x 2;",
      "print `thoth approvals approve $id` eq '' ? 1 : 0;",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const command of [
      "ls /*; echo `thoth approvals approve x`",
      "ls -d /*\necho `thoth approvals approve x`",
      "cat <<EOF\n=x\nEOF\necho `thoth approvals approve x`",
      "echo `thoth approvals approve ${ID}`",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("runsApprovalCommand() reads a running tag called with options or apart from its template", () => {
  for (
    const code of [
      "await $ `thoth approvals approve ${id}`;",
      "const out = await $ `thoth approvals list`;",
      "const run = () => $ `thoth approvals approve ${id}`;",
      "await $({ stdio: 'inherit' })`thoth approvals approve ${id}`;",
      "await $({ cwd: f(x) })`thoth approvals list`;",
      "await execa({ shell: true })`thoth approvals approve ${id}`;",
      "const r = await execa({ env: { A: '1' } }) `thoth approvals approve ${id}`;",
      "r = execaSync({ shell: true })`thoth approvals list`",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads ruby's method default that runs a backtick pair", () => {
  for (
    const code of [
      "def answer(out = `thoth approvals approve #{id}`)\n  out\nend",
      "def self.answer(out = `thoth approvals list`)\nend",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() passes a prompt or a word before a code span in prose", () => {
  for (
    const content of [
      "$ `thoth approvals approve ID`",
      "In a terminal: $ `thoth approvals approve ID`",
      "Type $ `thoth approvals approve ID` in a terminal.",
      "Pay $ `thoth approvals list`",
      "function f(cmd = `thoth approvals approve ${id}`) { return cmd; }",
      "undef(cmd = `thoth approvals list`)",
      // A prompt after `(`, `[`, `,`, `;`, `=` or `NAME =>` in prose: only `await`, `return`,
      // `yield` and `) =>` leave no doubt that an expression follows.
      "- list => $ `thoth approvals list`",
      "Shortcut => $ `thoth approvals list`",
      "Result = $ `thoth approvals list`",
      // Ruby's `def` and perl's `open` in prose, not code.
      "In ruby: def f(x = `thoth approvals list`) runs it",
      'In perl, `open(FH, "thoth approvals list |")` runs the command.',
      "See [$ `thoth approvals list`](docs/approvals.md) for details.",
      "Run it in a terminal (e.g., $ `thoth approvals list`).",
      "Steps: open a terminal, $ `thoth approvals approve ID`, done.",
      "Two ways; $ `thoth approvals list` or the dialog.",
      "Either (a) && $ `thoth approvals list`, or (b).",
      "Is it ready? $ `thoth approvals list` tells.",
      "If a == $ `thoth approvals list` then stop.",
    ]
  ) assert.equal(runsApprovalCommand({ path: "a.md", content }, "write_file"), false, content);
});

Deno.test("backtickInCode() reads a tag's options and the blanks before a pair", () => {
  const at = (text: string): boolean => {
    const open = text.lastIndexOf("`", text.lastIndexOf("`") - 1);
    return backtickInCode(text, open, text.lastIndexOf("`"));
  };
  assert.equal(at("await $ `ls`"), true);
  assert.equal(at("x = $ `ls`"), false);
  assert.equal(at("x = $ `ls`;"), true);
  assert.equal(at("import 'zx/globals'\nx = $ `ls`"), true);
  assert.equal(at("Result = $ `ls`;"), false);
  assert.equal(at("x += $ `ls`"), false);
  assert.equal(at("a == $ `ls`"), false);
  assert.equal(at("f = () => $ `ls`"), true);
  assert.equal(at("f = (a) =>  $ `ls`"), true);
  assert.equal(at("f = a => $ `ls`"), true);
  assert.equal(at("xs.map(a => $ `ls`)"), true);
  assert.equal(at("(a => $ `ls`)"), false);
  assert.equal(at("await f();\n(a => $ `ls`)"), true);
  assert.equal(at("a => $ `ls`"), false);
  assert.equal(at("x, a => $ `ls`"), false);
  assert.equal(at("function* g() { yield $ `ls` }"), true);
  assert.equal(at("$ `ls`"), false);
  assert.equal(at("(e.g., $ `ls`)"), false);
  assert.equal(at("[$ `ls`](x.md)"), false);
  assert.equal(at("a; $ `ls`"), false);
  assert.equal(at("a == $ `ls`"), false);
  assert.equal(at("await x$ `ls`"), false);
  assert.equal(at("await $((a)(b))`ls`"), true);
  assert.equal(at("await f(x)`ls`"), false);
  assert.equal(at("`a` b)`ls`"), false);
  assert.equal(at("def f(cmd = `ls`)"), true);
  assert.equal(at("x; def f(cmd = `ls`)"), true);
  assert.equal(at("  private def f(cmd = `ls`)"), true);
  assert.equal(at("module_function def f(cmd = `ls`)"), true);
  assert.equal(at("private memoize def f(cmd = `ls`)"), false);
  assert.equal(at("In ruby: def f(cmd = `ls`)"), false);
  assert.equal(at("undef(cmd = `ls`)"), false);
});

Deno.test("runsApprovalCommand() reads zx's tag apart from its template after an assignment or an arrow", () => {
  assertRuns(
    [
      "const out = $ `thoth approvals approve ${id}`;",
      "let out; out = $ `thoth approvals list`;",
      "  this.out = $ `thoth approvals list`;",
      // A lower-case name's `=` or a `(NAME =>` in a text with other signs of code.
      "#!/usr/bin/env zx\nout = $ `thoth approvals list`",
      "import { $ } from 'zx'\nout = $ `thoth approvals list`",
      "await $ `date`\nout = $ `thoth approvals list`",
      "import 'zx/globals'\nconst run = (x => $ `thoth approvals list`)",
      "export const run = id => $ `thoth approvals approve ${id}`;",
      "ids.map(id => $ `thoth approvals approve ${id}`)",
      "const f = async id => $ `thoth approvals approve ${id}`;",
    ],
    true,
    { key: "code" },
  );
  // Markdown's prompts and prose stay prose (and see the prose list above).
  assertRuns(
    [
      "echo $ `date`",
      "Output = $ `thoth approvals list`",
      "so x == $ `thoth approvals list`",
      "x += $ `thoth approvals list`",
      "Shortcut => $ `thoth approvals list`",
      "Two ways, list => $ `thoth approvals list`",
    ],
    false,
    { key: "content", tool: "write_file" },
  );
});

Deno.test("runsApprovalCommand() passes prose that shows zx's tag apart after a name's = or (NAME =>", () => {
  // Prose writes a lower-case name's `=` and a `(NAME =>` too: without other signs of code in the
  // text (`const`, `import`, `await`, a line's `;`, `#!`), they are read as prose.
  assertRuns(
    [
      "Tip: (x => $ `thoth approvals list`) — see zx docs.",
      "The zx docs say:\n\nout = $ `thoth approvals list`\n\nthen print it.",
      "cost = $ `thoth approvals list`.",
      "x = $ `thoth approvals list`",
      // The word "await" in a sentence is no sign of code.
      "Pending requests await a decision.\n\nTip: (x => $ `thoth approvals list`) — see zx docs.",
      "Requests await approval.\ncost = $ `thoth approvals list`.",
    ],
    false,
    { key: "content", tool: "write_file" },
  );
  assertRuns(
    [
      "i.e. (x => $ `thoth approvals list`)",
      "x = $ `thoth approvals list`",
      "cost = $ `thoth approvals list`.",
    ],
    false,
    { key: "message" },
  );
  assertRuns(
    ["a (x => $ `thoth approvals list`)", "x = $ `thoth approvals list`"],
    false,
    { key: "query", tool: "search" },
  );
});

Deno.test("runsApprovalCommand() reads ruby's def after module_function and the like", () => {
  assertRuns(
    [
      "module_function def run(out = `thoth approvals list`)\n  out\nend",
      "private_class_method def self.run(out = `thoth approvals approve #{id}`); end",
      "  public_class_method def self.run(out = `thoth approvals list`)\n  end",
      "private module_function def run(out = `thoth approvals list`); end",
      // Read before too: the call in the method's body.
      'module_function def run; system("thoth approvals list"); end',
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "Use module_function: def run(out = `thoth approvals list`) runs it.",
      "Say def run(out = `thoth approvals list`) in ruby.",
    ],
    false,
    { key: "content", tool: "write_file" },
  );
});
