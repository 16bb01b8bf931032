/**
 * thoth.approval_command reads a runner's list in code past what comes
 * before it: a first argument that is no string (Go's `ctx`, ruby's `env`
 * or `{"PATH" => …}` hash, Python's `os.P_WAIT`), the program named twice
 * (`os.execlp("thoth", "thoth", …)`, whose second is `argv[0]`), and
 * Python's string prefixes on the list's items (`f"thoth"`, `rb'…'`). A call
 * that takes data, or runs another program, stays allowed.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";

Deno.test("runsApprovalCommand() reads a runner's list after a first argument that is no string", () => {
  for (
    const code of [
      'cmd := exec.CommandContext(ctx, "thoth", "approvals", "approve", id)',
      'out, err := exec.CommandContext(context.Background(), "thoth", "approvals", "list").Output()',
      'system({"PATH" => "/usr/bin"}, "thoth", "approvals", "approve", id)',
      'system({ "PATH" => "/usr/bin", "X" => "}" }, "thoth", "approvals", "approve", id)',
      "pid = spawn(env, 'thoth', 'approvals', 'approve', id)",
      'system({PATH=>"/bin"}, "thoth", "approvals", "approve", $id);',
      "os.spawnlp(os.P_WAIT, 'thoth', 'thoth', 'approvals', 'approve', rid)",
      'Open3.capture2(ENV.to_h, "thoth", "approvals", "list")',
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads the program named again as argv[0]", () => {
  for (
    const code of [
      'os.execlp("thoth", "thoth", "approvals", "approve", rid)',
      'os.execl("/usr/local/bin/thoth", "thoth", "approvals", "list")',
      'execlp("thoth", "thoth", "approvals", "approve", id, NULL);',
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() reads thoth's list without its argv[0], whatever it says", () => {
  for (
    const code of [
      'os.execlp("thoth", "x", "approvals", "approve", id)',
      'execl("/usr/bin/thoth", "thoth.real", "approvals", "approve", id, NULL);',
      "os.spawnlp(os.P_NOWAIT, 'thoth', 'worker', 'approvals', 'list')",
      "exec { 'thoth' } 'x', 'approvals', 'approve', $id;",
      'system { "/usr/local/bin/thoth" } "helper", "approvals", "list";',
      "exec {'thoth'} 'x', 'approvals', 'approve', $id;",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const code of [
      // argv[0] skipped only when the program is thoth's.
      'os.execlp("echo", "x", "thoth", "approvals", "list")',
      "exec { 'ls' } 'x', 'approvals', 'list';",
      // After argv[0], a list that does not run an approval command.
      'os.execlp("thoth", "x", "approvals", "approve", "a", "b")',
      'os.execlp("thoth", "x", "status")',
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() reads Python's prefixed strings in a runner's list", () => {
  for (
    const code of [
      `subprocess.run([f"thoth", "approvals", f'approve', rid])`,
      `subprocess.run([f"thoth", f"approvals", f"approve", f"{rid}"], check=True)`,
      `subprocess.check_output([r"thoth", rb"approvals", "list"])`,
      // A string that holds the whole command, as one without the prefix is read.
      `subprocess.run([f"thoth approvals approve {rid}"], shell=True)`,
      `subprocess.run(args=f"thoth approvals approve {rid}", shell=True)`,
      `subprocess.run(\n  [\n    F"thoth",\n    u"approvals",\n    "approve",\n    rid,\n  ]\n)`,
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() passes such lists that run another program or are data", () => {
  for (
    const code of [
      'cmd := exec.CommandContext(ctx, "git", "log", "--grep", "approvals")',
      'system({"PATH" => "/bin"}, "echo", "thoth", "approvals", "list")',
      'log.Info(ctx, "thoth", "approvals", "list")',
      'os.execlp("echo", "echo", "thoth", "approvals", "list")',
      `print(f"thoth", "approvals", f"approve", rid)`,
      `logger.info(f"run thoth approvals list in a terminal")`,
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() reads a prefixed string's escapes in a runner's call", () => {
  const code = `os.system(f"thoth \\x61pprovals approve {rid}")`;
  assert.equal(runsApprovalCommand({ code }), true);
  assert.equal(runsApprovalCommand({ code: code.replace("thoth", "echo") }), false);
});

Deno.test("runsApprovalCommand() reads a two-item list whose second item is a command text", () => {
  for (
    const code of [
      "subprocess.run(['powershell', f'thoth approvals list'])",
      "subprocess.run(['powershell', 'thoth approvals list'])",
      "subprocess.run(['powershell.exe', u'thoth approvals list'])",
      "subprocess.run(['pwsh', rb'thoth approvals list'])",
      "subprocess.run(['pwsh', f'thoth approvals watch'])",
      "subprocess.run(['powershell', f'thoth approvals approve x'])",
      "subprocess.run(\n  ['powershell',\n   f'thoth approvals list'])",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const code of [
      "subprocess.run(['grep', 'thoth approvals list'])",
      "print('powershell', f'thoth approvals list')",
    ]
  ) assert.equal(runsApprovalCommand({ code }), false, code);
});

Deno.test("runsApprovalCommand() drops argv[0] only in calls whose list holds one", () => {
  for (
    const code of [
      'os.execv("/usr/bin/thoth", ["x", "approvals", "list"])',
      'os.execlp(\n  "thoth",\n  "x",\n  "approvals", "list")',
      '_spawnl(_P_WAIT, "thoth.exe", "x", "approvals", "list", NULL);',
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  for (
    const args of [
      { csv: `"thoth","mcp","approvals","list"` },
      { code: "keywords = ['thoth', 'mcp', 'approvals', 'approve']" },
      { data: '["thoth", "x", "approvals", "list"]' },
      { code: 'subprocess.run(["thoth", "x", "approvals", "list"])' },
      { code: 'execFileSync("thoth", ["x", "approvals", "list"])' },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
});
