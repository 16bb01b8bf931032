/**
 * thoth.approval_command reads the commands of perl's `open` with a pipe
 * mode (`'-|'`, `'|-'`, or a string that starts or ends with `|`; the list
 * after the mode in strings, `qw(…)`, `q{…}`, `qq{…}` or barewords before
 * `=>`), ruby's `open("| …")` and `Kernel.open`, and perl's `system
 * qw(…)`; an `open` of a file, a method named `open`, and a `qw` list no
 * runner takes stay allowed.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { pipeOpenCommands } from "../../src/policy/pipe_open_commands.ts";
import { assertRuns } from "./_approval_runs.ts";

Deno.test("runsApprovalCommand() reads perl's and ruby's open with a pipe", () => {
  for (
    const code of [
      "open(my $fh, '-|', 'thoth', 'approvals', 'approve', $id) or die;",
      'open(my $fh, "-|", "thoth approvals approve $id 2>&1") or die;',
      "open my $fh, '|-', 'thoth', 'approvals', 'list';",
      'open($fh, "-|", "thoth approvals approve x");',
      'open(FH, "thoth approvals approve $id |") || die;',
      'open(my $out, "| thoth approvals approve x");',
      'io = open("|thoth approvals list")',
      "local *FH; open(*FH, '-|', 'thoth', 'approvals', 'list');",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads qw, qq, fat commas and Kernel.open in a piped open", () => {
  for (
    const code of [
      'Kernel.open("| thoth approvals approve x")',
      'out = Kernel.open("|thoth approvals list", &:read)',
      'open(my $fh, "|-", qw(thoth approvals approve x));',
      "open my $fh, '-|', qw{thoth approvals list} or die;",
      'open(my $fh, "-|", qq{thoth approvals approve $x});',
      "open(my $fh, '-|', q(thoth approvals list));",
      'open(my $fh, "-|", thoth => approvals => approve => $x);',
      'open(my $fh, "-|", thoth => "approvals", "approve", $ids[0]);',
      "open(my $fh, '-|',\n  'thoth',\n  'approvals',\n  'list',\n);",
      // No parentheses, one open after another: each list read.
      "open A, '-|', 'ls'; open B, '-|', 'thoth', 'approvals', 'list';",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const code of [
      "Foo::Kernel.open('| thoth approvals approve x')",
      'open(my $fh, "-|", qw(grep -rn approvals docs));',
      'open(my $fh, "<", qq{thoth approvals list.txt});',
      "my %h = (thoth => approvals => list => 1);",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() reads perl's system and exec of a qw list", () => {
  for (
    const code of [
      "system qw(thoth approvals approve k3f9x2qa);",
      "system(qw(thoth approvals list)) == 0 or die;",
      "exec qw{thoth approvals approve x};",
      "my $rc = system qw/thoth approvals approve x/;",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() passes open of a file, methods named open, and data qw lists", () => {
  for (
    const code of [
      "open(my $fh, '<', 'thoth approvals list.txt') or die;",
      "open(my $fh, '-|', 'grep', '-rn', 'thoth approvals list', 'docs') or die;",
      'File.open("thoth approvals approve x |")',
      "$sock->open('| thoth approvals approve x');",
      "with open('thoth approvals list|') as f: pass",
      "my @words = qw(thoth approvals approve ID);",
      "open(my $fh, '-|', 'ls', 'approvals') or die;",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("pipeOpenCommands() finds the lists and texts that a piped open runs", () => {
  assert.deepEqual(pipeOpenCommands("open(my $fh, '-|', 'thoth', 'approvals', 'list');"), {
    lists: [["thoth", "approvals", "list"]],
    texts: ["thoth"],
  });
  assert.deepEqual(pipeOpenCommands('open(FH, "ls approvals |");').texts, ["ls approvals "]);
  assert.deepEqual(pipeOpenCommands('open("| ls")').texts, [" ls"]);
  assert.deepEqual(pipeOpenCommands("open(my $fh, '<', 'a.txt')"), { lists: [], texts: [] });
  assert.deepEqual(pipeOpenCommands("no call here"), { lists: [], texts: [] });
  assert.deepEqual(pipeOpenCommands('open($f, "-|", qw(a b), q{c d}, e => $x)'), {
    lists: [["a", "b", "c d", "e", "$_"]],
    texts: [],
  });
  assert.deepEqual(pipeOpenCommands("Kernel.open('| ls')").texts, [" ls"]);
});

Deno.test("pipeOpenCommands() reads each list once, the next open after it", () => {
  // Without parentheses: a bareword not before `=>` (the next `open`) ends the list.
  assert.deepEqual(pipeOpenCommands("open h,'-|','a','b', open g,'-|','c','d'"), {
    lists: [["a", "b"], ["c", "d"]],
    texts: ["a", "c"],
  });
  assert.deepEqual(pipeOpenCommands("open h,'-|',".repeat(1000)), { lists: [], texts: [] });
  // A list read as far as a quoted `open` in it: that one is an item, not a call.
  assert.deepEqual(pipeOpenCommands("open h,'-|','x', \"open g,'-|','y'\", 'z'"), {
    lists: [["x", "open g,'-|','y'", "z"]],
    texts: ["x"],
  });
  // An unclosed quote-like takes the rest of the text, as perl reads it.
  assert.deepEqual(pipeOpenCommands("open(h, '-|', qq{thoth approvals list"), {
    lists: [],
    texts: ["thoth approvals list"],
  });
});

Deno.test("runsApprovalCommand() reads perl's piped open across lines, CORE::, layers and any handle", () => {
  for (
    const code of [
      "open(\n    my $fh, '-|', 'thoth', 'approvals', 'list'\n) or die;",
      "CORE::open(my $fh, '-|', 'thoth', 'approvals', 'list');",
      "CORE::GLOBAL::open(my $fh, '-|', 'thoth', 'approvals', 'list');",
      "open(my $fh, '-|:encoding(UTF-8)', 'thoth', 'approvals', 'list');",
      `open(my $fh, "-|:raw", 'thoth', 'approvals', 'approve', $id);`,
      "open($self->{fh}, '-|', 'thoth', 'approvals', 'list');",
      "open($fhs{'a,b'}, '-|', 'thoth', 'approvals', 'list');",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const code of [
      "open(my $fh, '<:encoding(UTF-8)', 'approvals list.txt');",
      "open($self->{fh}, '<', 'thoth approvals list');",
      "Foo::open(my $fh, '-|', 'thoth', 'approvals', 'list');",
      "opener(x, '-|', 'thoth', 'approvals', 'list')",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() reads perl's piped open on a handle in braces or a glob's reference", () => {
  assertRuns(
    [
      'open(${fh}, "|-", "thoth approvals list");',
      "open(${ $fh }, '-|', 'thoth', 'approvals', 'approve', $id);",
      "open(\\*FH, '-|', 'thoth', 'approvals', 'list') or die;",
      "open \\*FH, '-|', 'thoth', 'approvals', 'list';",
      // Two arguments: a pipe the program reads (`print FH …`) or writes.
      'open(${fh}, "| thoth approvals approve $id"); print ${fh} "y\\n";',
      'open(\\*FH, "thoth approvals list |"); print while <FH>;',
      // A block in braces, read to its close, and a reference's blanks.
      "open(*{\"FH\"}, '-|', 'thoth','approvals','list');",
      "open(\\*{\"main::FH\"}, '-|', 'thoth', 'approvals', 'list');",
      "open(${ $self->{fh} }, '-|', 'thoth', 'approvals', 'list');",
      "open(${\\ $fh}, '-|', 'thoth', 'approvals', 'list');",
      "open(${\n  fh\n}, '-|', 'thoth', 'approvals', 'list');",
      "open(\\ *FH, '-|', 'thoth', 'approvals', 'list');",
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "open(${fh}, '<', 'thoth approvals list');",
      "open(\\*FH, '>', 'approvals.txt'); print FH $list;",
      "open(${fh}, '<', 'thoth approvals list |');",
      "open(*{\"FH\"}, '<', 'thoth', 'approvals', 'list');",
      "open(${ $self->{fh} }, '>', 'approvals.txt');",
    ],
    false,
    { key: "code" },
  );
});
