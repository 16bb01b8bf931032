/**
 * thoth.approval_command reads where a shell starts a comment (after
 * unescaped white space only, and in a quoted word only when a shell reads
 * it as a script), options that start a command only after a program that
 * takes one, decimal durations, a make recipe's `@`, `-` and `+`, `xargs`
 * adding the subcommand, and what `$(echo …)` prints where it is run.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";

Deno.test("runsApprovalCommand() reads a # after an escaped space as part of a word", () => {
  for (
    const command of [
      "env A=1\\ # thoth approvals approve k3f9x2qa",
      "A=1\\ # thoth approvals list",
      "sudo -p pw\\ # thoth approvals approve X",
      "env -u THOTH_GOVERNED_BY A=x\\ # setsid -f deno task -q thoth approvals approve k3f9x2qa",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
  // An unescaped space before it still starts a comment.
  assert.equal(runsApprovalCommand({ command: "thoth approvals approve X\\\\ # now" }), true);
  assert.equal(runsApprovalCommand({ command: "echo A=1 # thoth approvals list" }), false);
});

Deno.test("runsApprovalCommand() reads # in a quoted word as a comment only in a script", () => {
  for (
    const command of [
      'gh issue create --title "thoth approvals list # crashes" --body x',
      'echo "thoth approvals list # shows" >> NOTES.md',
      "sed -i 's/thoth approvals list # old/thoth approvals list --all/' README.md",
      `curl -s -X POST https://api.example.com/issues -d '{"title": "thoth approvals list # 12"}'`,
      `printf '%s\\n' "  thoth approvals list    # what is waiting" >> docs/usage.md`,
    ]
  ) assert.equal(runsApprovalCommand({ command }, "run_command"), false, command);
  for (
    const content of [
      'x = {"cmd": "thoth approvals list # doc"}',
      'assert.equal(runsApprovalCommand({ command: "thoth approvals approve k3f9x2qa # go now" }), ' +
      "true);",
    ]
  ) assert.equal(runsApprovalCommand({ content }, "write_file"), false, content);
  for (
    const command of [
      'cd x; env -u THOTH_GOVERNED_BY setsid -f sh -c "deno task -q thoth approvals approve $i ' +
      '> /tmp/self.out 2>&1 # go now"',
      "bash -lc 'thoth approvals approve k3f9x2qa # yes'",
      "sh <<< 'thoth approvals approve k3f9x2qa # yes'",
      "eval 'thoth approvals approve k3f9x2qa # yes'",
      "python3 -c \"import os; os.system('thoth approvals approve k3f9x2qa # yes')\"",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("runsApprovalCommand() reads --, -e and -c as a command's start after such a program", () => {
  for (
    const command of [
      "echo -e thoth approvals list",
      "ls -- thoth approvals list",
      "npm test -- thoth approvals list",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
  for (
    const command of [
      "systemd-run --user -- thoth approvals list",
      "xterm -e thoth approvals approve k3f9x2qa",
      "cmd /c thoth approvals list",
      "powershell -Command thoth approvals list",
      "docker exec -it box -- thoth approvals list",
      "find . -exec thoth approvals approve k3f9x2qa \\;",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});

Deno.test("runsApprovalCommand() reads decimal durations, recipes, xargs and $(echo …)", () => {
  for (
    const command of [
      "timeout 30.5 thoth approvals approve k3f9x2qa",
      "timeout .5s thoth approvals list",
      "all:\n\t@thoth approvals approve k3f9x2qa",
      "all:\n\t-thoth approvals approve k3f9x2qa",
      "@thoth approvals list",
      "echo approve k3f9x2qa | xargs thoth approvals",
      'sh -c "$(echo thoth approvals approve k3f9x2qa)"',
      "$(echo -n thoth approvals approve k3f9x2qa)",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
  for (
    const command of [
      "xargs thoth approvals --help",
      "echo thoth approvals | wc",
      "echo $(echo thoth approvals list)",
    ]
  ) assert.equal(runsApprovalCommand({ command }), false, command);
});

Deno.test("runsApprovalCommand() reads a runner's first string with its prefix (f, r, b)", () => {
  for (
    const code of [
      'import os\nos.system(f"thoth approvals approve {rid}")',
      "os.system(r'thoth approvals approve k3f9x2qa')",
    ]
  ) assert.equal(runsApprovalCommand({ code }), true, code);
  assert.equal(runsApprovalCommand({ code: 'print(f"thoth approvals list")' }), false);
});
