/**
 * thoth.approval_command reads the runners that code and remote shells give
 * a command: a runner's call written across lines, perl's and ruby's
 * `system LIST` without parentheses, backticks in code, perl's `qx{…}` and
 * ruby's `%x(…)`, and `ssh` (to this very machine, or any). Ordinary code
 * that mentions thoth in a string or a comment, or runs other programs,
 * stays allowed.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { assertRuns } from "./_approval_runs.ts";

Deno.test("runsApprovalCommand() reads a runner's call written across lines", () => {
  for (
    const code of [
      'import subprocess\nsubprocess.run(\n    ["thoth",\n     "approvals", "approve", rid]\n)',
      "subprocess.check_call(\n  [\n    'thoth',\n    'approvals',\n    'list',\n  ],\n)",
      'subprocess.run(\n    [\n        "thoth",  # the CLI\n        "approvals",\n' +
      '        "approve", str(rid),\n    ],\n    check=True,\n)',
      'os.system(\n"thoth approvals approve k3f9x2qa")',
      "const { execSync } = require('child_process');\nexecSync(\n  'thoth approvals approve x'\n);",
      'spawn("thoth",\n ["approvals","approve",id])',
      'execFileSync(\n  "thoth", // the CLI\n  ["approvals", "approve", id],\n);',
      'new Deno.Command("thoth", {\n  args: [\n    "approvals",\n    "list",\n  ],\n}).outputSync();',
      'exec.Command(\n\t"thoth",\n\t"approvals",\n\t"approve",\n\tid,\n).Run()',
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads perl's and ruby's system and exec without parentheses", () => {
  for (
    const code of [
      'system "thoth", "approvals", "approve", $id;',
      "exec 'thoth', 'approvals', 'approve', $id",
      "system 'thoth', 'approvals', 'approve', id",
      'my $rc = system "thoth", "approvals", "list";',
      "ok = Kernel.system 'thoth', 'approvals', 'approve', id",
      'CORE::system "thoth", "approvals", "approve", $id or die;',
      "pid = spawn 'thoth', 'approvals', 'approve', id",
      "task :go do\n  sh 'thoth', 'approvals', 'approve', ENV['ID']\nend",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads backticks, qx and %x in code", () => {
  for (
    const code of [
      "out = `thoth approvals approve #{id}`",
      "puts `thoth approvals approve #{id}`",
      "my $out = `thoth approvals approve $id`;",
      "print `thoth approvals list`;",
      "<?php $o = `thoth approvals approve x`; echo $o;",
      "<?php echo `thoth approvals list`;",
      "%x(thoth approvals approve x)",
      "r = %x{thoth approvals approve #{id}}",
      "r = %x[thoth approvals list]",
      "my $r = qx{thoth approvals approve x};",
      "my @lines = qx(thoth approvals list);",
      "my $r = qx/thoth approvals approve $id/;",
      "my $r = qx'thoth approvals list';",
      '<?php shell_exec("thoth approvals approve x");',
      "<?php passthru('thoth approvals approve ' . $id);",
      "def f\n  return `thoth approvals approve #{id}`\nend",
      "out, status = Open3.capture2('thoth', 'approvals', 'list')",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads what ssh runs, on this machine or another", () => {
  for (
    const command of [
      "ssh localhost thoth approvals approve x",
      "ssh 127.0.0.1 thoth approvals approve x",
      "ssh -o X=y user@localhost 'thoth approvals approve x'",
      "ssh -o StrictHostKeyChecking=no ana@localhost thoth approvals approve x",
      "ssh ::1 thoth approvals approve x",
      "ssh -p 2222 -i ~/.ssh/id localhost -- thoth approvals list",
      "ssh -tt -p2222 localhost env -u THOTH_GOVERNED_BY thoth approvals approve x",
      "/usr/bin/ssh localhost sh -c \"'thoth approvals approve x'\"",
      "ssh localhost -l ana thoth approvals list",
      // A host name may be this machine under another name (an alias in ~/.ssh/config).
      "ssh devbox thoth approvals approve x",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
  for (
    const args of [
      { code: "subprocess.run(['ssh', 'localhost', 'thoth', 'approvals', 'list'])" },
      { command: "ssh", args: ["localhost", "thoth", "approvals", "approve", "x"] },
      { command: "/usr/bin/ssh", args: ["-p", "22", "ana@::1", "thoth approvals list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
  // ssh's arguments without ssh named in the call are some other list.
  assert.equal(
    runsApprovalCommand({ command: "scp", args: ["localhost", "thoth", "approvals", "list"] }),
    false,
  );
});

Deno.test("runsApprovalCommand() passes code that mentions thoth or runs other programs", () => {
  for (
    const code of [
      'subprocess.run(\n    ["git",\n     "status"],\n    check=True,\n)',
      'subprocess.run(\n    ["thoth", "status"],\n)\n# then thoth approvals list in a terminal',
      "print(\n    'run thoth approvals list in a terminal'\n)",
      'log.info(\n  "thoth",\n  "approvals",\n  "list",\n)',
      'execSync(\n  "ls",\n  { cwd: "approvals" },\n);',
      'system "git", "commit", "-m", "thoth approvals list docs";',
      'print "thoth", "approvals", "list";',
      "system 'echo', 'approvals', 'approve'",
      "out = `git log --oneline`\nputs 'thoth approvals approve ID answers a request'",
      "my $r = qx{ls approvals};",
      'printf("%x\\n", 255); // thoth approvals list',
      "ok = system 'make', 'test' # thoth approvals list after",
      "const msg = `Run thoth approvals list in a terminal`;",
      "# thoth approvals approve ID\nsubprocess.run(['ls'])",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
  for (
    const command of [
      "ssh localhost ls approvals",
      "ssh devbox 'grep -rn \"thoth approvals list\" docs/'",
      "ssh -i approvals localhost uptime",
      "ssh localhost",
      "echo ssh localhost thoth approvals approve x >> notes.md",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
  for (
    const content of [
      "Run `thoth approvals list` in a terminal, then `thoth approvals approve ID`.",
      "Commands: `thoth approvals list`, `thoth approvals approve ID`.",
      "From ssh, `thoth approvals list` shows what waits.",
    ]
  ) assert.equal(runsApprovalCommand({ content }, "write_file"), false, content);
});

Deno.test("runsApprovalCommand() reads system LIST without parentheses across lines", () => {
  for (
    const code of [
      'system "thoth",\n  "approvals",\n  "approve", $id;',
      "system 'thoth',\n 'approvals', 'approve', id",
      "sh 'thoth',\n 'approvals',\n 'approve', ENV['ID']",
      'system "thoth", "approvals",\n  "approve", $id unless $dry;',
      "exec 'thoth',\n  '\\x61pprovals', 'approve', $id",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const code of [
      "system 'make',\n  'docs'\nputs 'then run thoth approvals list'",
      // A line break without a `,` before it ends ruby's statement, and the list.
      "system 'thoth'\n'approvals'\n'list'",
      'system "echo", "thoth",\n  "approvals", "list";',
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() reads a runner's alias called across lines", () => {
  const code = "r = subprocess.run\nr(\n  ['thoth',\n   'approvals', 'approve', rid])";
  assert.equal(runsApprovalCommand({ code }), true);
  assert.equal(runsApprovalCommand({ code: code.replace("subprocess.run", "print") }), false);
  // Nested in another call: the innermost call's text is read whole too.
  for (
    const nested of [
      "p = subprocess.check_output\nprint(p(\n  ['thoth',\n   'approvals', 'approve', rid]))",
      "p = subprocess.check_output\nout = str(p(\n  ['thoth',\n   'approvals', 'approve', rid]))",
      "p = subprocess.check_output\nd = json.loads(p(\n  ['thoth',\n   'approvals', 'approve', rid]))",
      "from subprocess import run as r\nprint(r(\n  ['thoth',\n   'approvals', 'approve', rid]))",
      "p = subprocess.check_output\nprint(p(\n  ['thoth',\n   'approvals', 'approve', str(rid)]))",
    ]
  ) assert.equal(runsApprovalCommand({ code: nested }), true, nested);
  assert.equal(
    runsApprovalCommand({
      code: "p = print\nlog(p(\n  ['thoth',\n   'approvals', 'approve', rid]))",
    }),
    false,
  );
});

Deno.test("runsApprovalCommand() reads ssh's argument list as one command text", () => {
  for (
    const args of [
      ["host", "thoth approvals", "approve x"],
      ["host", "thoth", "approvals approve x"],
      ["host", "true;", "thoth", "approvals", "approve", "x"],
      ["-t", "host", "--", "true", "&&", "thoth", "approvals", "list"],
    ]
  ) assert.equal(runsApprovalCommand({ command: "ssh", args }), true, args.join(" "));
  assert.equal(
    runsApprovalCommand({ program: "/usr/bin/ssh", argv: ["host", "thoth approvals", "list"] }),
    true,
  );
  for (
    const args of [
      ["host", "echo", "thoth", "approvals", "list"],
      ["host", "ls", "approvals"],
    ]
  ) assert.equal(runsApprovalCommand({ command: "ssh", args }), false, args.join(" "));
});

Deno.test("runsApprovalCommand() reads a list as ssh's only when ssh is the program", () => {
  for (
    const args of [
      { tags: ["ssh", "cli"], keywords: ["see", "thoth", "approvals", "list"] },
      { query: "ssh", terms: ["docs", "thoth", "approvals", "list"] },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() reads argv[0] given apart through an alias, getattr, a pair or posix_spawn", () => {
  assertRuns(
    [
      // A name given the runner, or the runner named by a string.
      "import os\ne = os.execvp\ne('thoth', ['x', 'approvals', 'list'])",
      "from os import execlp as run_it\nrun_it('thoth', 'x', 'approvals', 'approve', rid)",
      "getattr(os, 'execvp')('thoth', ['thoth', 'approvals', 'list'])",
      "getattr(os, 'execvp')('thoth', ['x', 'approvals', 'list'])",
      "e = getattr(os, \"execv\")\ne(\n  '/usr/bin/thoth',\n  ['x', 'approvals', 'list'],\n)",
      // Ruby's `[program, argv0]` pair.
      "exec(['thoth', 'argv0'], 'approvals', 'list')",
      "system(['thoth', 'x'], 'approvals', 'approve', id)",
      "system({'A' => '1'}, ['/usr/bin/thoth', 'thoth'], 'approvals', 'list')",
      "pid = spawn(['thoth', 'x'], 'approvals', 'list')",
      "exec ['thoth', 'argv0'], 'approvals', 'list'",
      "IO.popen([['thoth', 'x'], 'approvals', 'list']).read",
      // posix_spawn and Windows' wide-character calls.
      "os.posix_spawn('/usr/bin/thoth', ['x', 'approvals', 'list'], os.environ)",
      "os.posix_spawnp('thoth', ['thoth', 'approvals', 'approve', rid], {})",
      "os._wexecl('thoth', 'x', 'approvals', 'list')",
      "os._wexecv('thoth', ['x', 'approvals', 'list'])",
      '_wspawnl(_P_WAIT, L"thoth", L"x", L"approvals", L"list", NULL);',
      '_wexeclp(L"thoth.exe", L"thoth", L"approvals", L"approve", id, NULL);',
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "e = os.execvp\ne('ls', ['x', 'approvals', 'list'])",
      "getattr(os, 'execvp')('ls', ['ls', 'approvals', 'list'])",
      "getattr(logger, 'info')('thoth', 'x', 'approvals', 'list')",
      "exec(['ls', 'thoth'], 'approvals', 'list')",
      "system(['thoth', 'x'], 'status')",
      "os.posix_spawn('/bin/ls', ['ls', 'approvals', 'list'], os.environ)",
      "print(['thoth', 'x'], 'approvals', 'list')",
    ],
    false,
    { key: "code" },
  );
});

Deno.test("runsApprovalCommand() reads a runner's first string with white space as a shell's text whatever follows it", () => {
  assertRuns(
    [
      'FILE *f = _wpopen(L"thoth approvals list", L"r");',
      '_wpopen("thoth approvals list", L"r")',
      'L"thoth approvals list", L"r"',
      "os.popen('thoth approvals list', 'r')",
      'popen("thoth approvals list", "r")',
      "IO.popen('thoth approvals list', 'r+')",
      // An option's string after the list adds no word to the command.
      "system('thoth','approvals','list', chdir: '/')",
      "subprocess.run(['thoth', 'approvals', 'list'], cwd='/')",
      "spawn('thoth', ['approvals', 'list'], {cwd: '/'})",
      // A key may name the command's words too.
      'new ProcessStartInfo { FileName = "thoth", Arguments = "approvals list" }',
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "os.popen('ls approvals', 'r')",
      "print('thoth approvals list', 'r')",
      "system('thoth','approvals','status', chdir: '/')",
      "subprocess.run(['thoth', 'status'], cwd='approvals')",
    ],
    false,
    { key: "code" },
  );
});

Deno.test("runsApprovalCommand() reads getattr with a default, across lines or on a called module", () => {
  assertRuns(
    [
      "getattr(os, 'execvp', None)('thoth', ['x', 'approvals', 'list'])",
      "getattr(\n    os,\n    'execvp',\n)('thoth', ['x', 'approvals', 'list'])",
      "getattr(__import__('os'), 'execvp')('thoth', ['x', 'approvals', 'list'])",
      "getattr(sys.modules['os'], \"execvp\", None)('thoth', ['x', 'approvals', 'list'])",
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "getattr(__import__('os'), 'execvp')('ls', ['x', 'approvals', 'list'])",
      "getattr(logger, 'info', None)('thoth', 'x', 'approvals', 'list')",
    ],
    false,
    { key: "code" },
  );
});
