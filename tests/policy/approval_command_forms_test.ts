/**
 * thoth.approval_command reads the forms a shell or a runner in code gives a
 * command: a trailing comment, a redirection or `&` after `approve ID`,
 * find's `-exec`, `watch`, a here-string, bash's `$'\x61'` escapes and
 * those of code strings, `cmd /c`, `builtin`, `new Deno.Command(`,
 * `Process.Start(`, `Runtime.getRuntime().exec(` and a runner given another
 * name (`p = os.popen`); a markdown heading, a comment and prose stay text.
 */
import assert from "node:assert/strict";
import { APPROVAL_COMMAND_RULE, runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

Deno.test("runsApprovalCommand() reads a command that ends in a comment, a redirection or &", () => {
  for (
    const command of [
      "thoth approvals approve k3f9x2qa # go now",
      "sh -c 'thoth approvals list --json #'",
      "cd x; env -u THOTH_GOVERNED_BY setsid -f sh -c 'deno task -q thoth approvals list " +
      "--json > /tmp/list.json 2>&1 #'",
      'cd x; env -u THOTH_GOVERNED_BY setsid -f sh -c "deno task -q thoth approvals approve $i ' +
      '> /tmp/self.out 2>&1 # go now"',
      "thoth approvals approve k3f9x2qa>/dev/null 2>&1 &",
      // A `;` after `#`: interactive zsh and cmd.exe read no comment there.
      "echo #; thoth approvals approve k3f9x2qa",
      "ls # don't\nthoth approvals approve k3f9x2qa",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("runsApprovalCommand() reads where a command starts: -exec, watch, <<<, cmd /c, builtin", () => {
  for (
    const command of [
      "find . -exec thoth approvals approve k3f9x2qa \\;",
      "find /tmp -maxdepth 0 -execdir thoth approvals approve k3f9x2qa ';'",
      "find q -name '*.json' -exec thoth approvals approve {} +",
      "watch -n1 thoth approvals list",
      "watch -n 1 thoth approvals approve k3f9x2qa",
      "sh <<< 'thoth approvals approve k3f9x2qa'",
      'bash <<<"thoth approvals approve k3f9x2qa"',
      "cmd /c thoth approvals approve k3f9x2qa",
      "cmd.exe /C thoth approvals approve k3f9x2qa",
      "powershell -Command thoth approvals approve k3f9x2qa",
      "builtin command thoth approvals approve k3f9x2qa",
      "eval thoth approvals list",
      "xterm -e thoth approvals watch",
      "systemd-run --user -- thoth approvals list",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("runsApprovalCommand() reads bash's $'…' escapes and those of code strings", () => {
  for (
    const args of [
      { command: "thoth $'\\x61pprovals' approve k3f9x2qa" },
      { command: "thoth $'\\141pprovals' approve k3f9x2qa" },
      { command: "thoth $'\\u0061pprovals' approve k3f9x2qa" },
      { command: "thoth $'\\x61\\x70provals' list" },
      { code: "import os\nos.system('thoth \\x61pprovals approve k3f9x2qa')" },
      { code: "require('child_process').execSync('thoth \\u0061pprovals list')" },
      { input: '{"cmd": "thoth \\u0061pprovals approve k3f9x2qa"}' },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() reads runners' calls in Deno, .NET, Java and under another name", () => {
  for (
    const code of [
      'new Deno.Command("thoth",{args:["approvals","approve","k3f9x2qa"]}).outputSync()',
      'new Deno.Command("thoth", { args: ["approvals", "list"] }).spawn();',
      'Process.Start("thoth","approvals approve k3f9x2qa");',
      'var p = new ProcessStartInfo("thoth", "approvals approve k3f9x2qa");',
      'Runtime.getRuntime().exec(new String[]{"thoth","approvals","approve","k3f9x2qa"});',
      "import os\np=os.popen; p('thoth approvals approve k3f9x2qa')",
      "from subprocess import run as r\nr(['thoth','approvals','list'])",
      "subprocess.run(args=['thoth', 'approvals', 'approve', i])",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
});

Deno.test("runsApprovalCommand() passes headings, comments and data that name the commands", () => {
  for (
    const [args, tool] of [
      // A markdown heading in a single-line text key of a tool that types into no terminal.
      [{ text: "# thoth approvals approve k3f9x2qa" }, "search"],
      [{ title: "## How thoth approvals list works" }, "create_issue"],
      [{ body: "# thoth approvals approve k3f9x2qa" }, "send_email"],
      [{ title: "Fix #12: thoth approvals watch hangs" }, "create_issue"],
      [{ content: "# Using thoth approvals list\n\nSome prose about thoth approvals." }, ""],
      [{ command: "echo done # thoth approvals list" }, ""],
      [{ command: "make test # then thoth approvals approve k3f9x2qa" }, ""],
      [{ command: "grep -rn 'thoth approvals list' docs/ # find mentions" }, ""],
      [{ command: "git commit -m 'docs: thoth approvals approve ID # 12'" }, ""],
      [{ command: "find . -name '*approvals*' -exec grep -l list {} \\;" }, ""],
      [{ command: "watch -n1 'ls approvals'" }, ""],
      [{ sql: "INSERT INTO notes VALUES ('thoth approvals list') -- # note" }, ""],
      [{ code: "if (line.startsWith('thoth approvals list')) count++;" }, ""],
      [{ code: "p = print\np('thoth approvals list')" }, ""],
      [{ code: "console.log('thoth \\x61pprovals list')" }, ""],
      [{ url: "https://example.com/docs#thoth-approvals-list" }, ""],
    ] as const
  ) assert.equal(runsApprovalCommand(args, tool), false, JSON.stringify(args));
});

Deno.test("evaluate() blocks a command with a trailing comment under the default policy", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"), {
    home: "/home/ana",
    os: "linux",
    ownFolders: ["/home/ana/.thoth"],
  });
  const call = toolCall("r1", "code_execution", {
    command: 'setsid -f sh -c "thoth approvals approve k3f9x2qa > /tmp/o 2>&1 # go now"',
  });
  const e = evaluate(policy, call, {});
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, [APPROVAL_COMMAND_RULE]);
});
