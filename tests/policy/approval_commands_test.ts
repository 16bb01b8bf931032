import assert from "node:assert/strict";
import { APPROVAL_COMMAND_RULE, runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { ENFORCEMENT_MODES } from "../../src/policy/enforcement_mode.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const ALLOW_ALL = compilePolicy(
  parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "allow-everything", match: { tool: "*" }, decision: "allow" }],
    }),
    "policy.json",
  ),
  { home: "/home/ana", os: "linux", ownFolders: ["/home/ana/.thoth"] },
);

Deno.test("runsApprovalCommand() reads thoth's approval commands in a shell command", () => {
  for (
    const command of [
      "thoth approvals approve k3f9x2qa",
      "thoth approvals deny k3f9x2qa --reason ok",
      "thoth approvals list --json",
      "thoth approvals list",
      "thoth approvals watch",
      "thoth approvals --json list",
      "thothctl approvals approve k3f9x2qa",
      "/usr/local/bin/thoth approvals approve k3f9x2qa",
      "~/.local/bin/thoth approvals approve k3f9x2qa",
      "THOTH_HOME=/tmp/p thoth approvals approve k3f9x2qa",
      "cd /tmp && thoth approvals approve k3f9x2qa",
      // The note a source run prints (approvalsCommandFor): its checkout's task.
      "THOTH_HOME='/srv/t' deno task --config '/src/my thoth/deno.json' thoth approvals approve k3f9x2qa",
      "id=$(thoth approvals list --json | jq -r '.[0].id'); thoth approvals approve $id",
      'th""oth approvals approve k3f9x2qa',
      "th\\oth approvals approve k3f9x2qa",
      "$'\\x74hoth' approvals approve k3f9x2qa",
      "'thoth' 'approvals' 'approve' k3f9x2qa",
      "sh -c 'thoth approvals approve k3f9x2qa'",
      `bash -lc "sh -c 'thoth approvals approve k3f9x2qa'"`,
      "npx thoth approvals approve k3f9x2qa",
      "deno task thoth approvals approve k3f9x2qa",
      "deno run -A mod.ts approvals approve k3f9x2qa",
      "deno run -A src/cli/thoth.ts approvals list",
      "T=thoth; $T approvals approve k3f9x2qa",
      '"$(command -v thoth)" approvals approve k3f9x2qa',
      "THOTH approvals list",
      "echo hi\nthoth approvals approve k3f9x2qa\n",
    ]
  ) {
    assert.equal(runsApprovalCommand({ command }), true, command);
  }
});

Deno.test("runsApprovalCommand() reads Windows paths and cmd's quoting", () => {
  for (
    const command of [
      "C:\\Tools\\thoth.exe approvals approve k3f9x2qa",
      '& "C:\\Program Files\\thoth\\thoth.exe" approvals approve k3f9x2qa',
      'cmd /c "thoth.cmd approvals approve k3f9x2qa"',
    ]
  ) {
    assert.equal(runsApprovalCommand({ command }), true, command);
  }
});

Deno.test("runsApprovalCommand() reads keys, nested values, JSON in a string and argv lists", () => {
  assert.equal(runsApprovalCommand({ steps: [{ run: "thoth approvals approve k3f9x2qa" }] }), true);
  assert.equal(runsApprovalCommand({ "thoth approvals list": 1 }), true);
  assert.equal(
    runsApprovalCommand({ input: JSON.stringify({ cmd: "thoth approvals approve k3f9x2qa" }) }),
    true,
  );
  assert.equal(
    runsApprovalCommand({ argv: ["thoth", "approvals", "approve", "k3f9x2qa"] }),
    true,
  );
  // The program in one argument, its arguments in another.
  assert.equal(
    runsApprovalCommand({ command: "thoth", args: ["approvals", "approve", "k3f9x2qa"] }),
    true,
  );
  assert.equal(
    runsApprovalCommand({ command: "/opt/bin/thoth", args: ["approvals", "list", "--json"] }),
    true,
  );
});

Deno.test("runsApprovalCommand() passes text that only mentions approvals", () => {
  for (
    const args of [
      { text: "the approvals list is long; please approve the budget" },
      { text: "Approvals: list them all, then deny the late ones" },
      { command: "grep approvals notes.txt" },
      { command: "grep -r 'approvals list' ~/notes" },
      { path: "~/projects/approvals/", content: "approve" },
      { command: "ls ~/projects/approvals/list" },
      { command: "cat /srv/thoth/approvals/list.txt" },
      { text: "thoth keeps approvals; list them in a terminal" },
      { text: "thoth approvals help" },
      { text: "thoth: approvals list" },
      { email: "Hi Ana,\nthe approvals are in. List attached.\nThoth" },
      { tags: ["approvals", "list"] },
      { argv: ["approvals", "approve", "k3f9x2qa"] },
      { command: "thoth approve k3f9x2qa" },
      { command: "thoth run -- approvals-server list" },
    ]
  ) {
    assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
  }
});

Deno.test("runsApprovalCommand() reads no further a string without the word approvals", () => {
  // A long argument without the word: not split into words at all (a shell's words would be).
  const long = "thoth appro vals approve k3f9x2qa ".repeat(10_000);
  assert.equal(runsApprovalCommand({ content: long }), false);
  // The command on a line of its own: where a command starts.
  assert.equal(runsApprovalCommand({ content: `${long}\nthoth approvals approve k3f9x2qa` }), true);
});

Deno.test("evaluate() blocks a call that runs an approval command, before the policy", () => {
  const e = evaluate(
    ALLOW_ALL,
    toolCall("shell", "run_command", { command: "thoth approvals approve k3f9x2qa" }),
    {},
  );
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, [APPROVAL_COMMAND_RULE]);
  assert.match(e.reasons[0]!, /terminal of their own/);
  // Prose that mentions approvals is decided by the policy as usual.
  const prose = evaluate(
    ALLOW_ALL,
    toolCall("mail", "send", { body: "the approvals list is long" }),
    {},
  );
  assert.equal(prose.decision, "allow");
});

Deno.test("explainCall() shows an approval command blocked in every mode", () => {
  const call = toolCall("shell", "run_command", { command: "thoth approvals list --json" });
  for (const mode of ENFORCEMENT_MODES) {
    const x = explainCall(ALLOW_ALL, call, { intent: undefined, mode });
    assert.equal(x.action.action, "block", mode);
    assert.match(x.lines[1]!, /blocked by thoth\.approval_command/, mode);
  }
});

Deno.test("runsApprovalCommand() passes prose, patterns and messages that name the commands", () => {
  for (
    const args of [
      {
        body: "Hi, when a request waits, run thoth approvals list in your terminal and approve it.",
      },
      { body: "Run `thoth approvals list` in a terminal." },
      { text: "can someone run thoth approvals approve k3f9x2qa for me?" },
      {
        summary: "thoth approvals watch hangs",
        description: "steps: thoth approvals watch; press y",
      },
      { query: "thoth approvals approve session flag" },
      { command: 'git commit -m "docs: explain thoth approvals list"' },
      { command: 'grep -rn "thoth approvals list" docs/' },
      { command: "rg 'thoth approvals approve' README.md" },
      { command: "deno test -A --filter 'thoth approvals list' tests/" },
      { command: "cat mod.ts approvals list" },
      { command: "thoth approvals approve --help" },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
});

Deno.test("runsApprovalCommand() reads commands where a command starts, and in code", () => {
  for (
    const command of [
      "env -u THOTH_GOVERNED_BY thothctl appr''ovals approve k3f9x2qa",
      "thoth ap$'p'rovals approve k3f9x2qa",
      "thoth approval\\s list",
      "python3 -c \"import subprocess;subprocess.run(['thoth','approvals','approve','abc'])\"",
      "node -e \"require('child_process').execFileSync('thoth',['approvals','approve','abc'])\"",
      "python3 -c \"import os;os.system('thoth approvals approve abc')\"",
      "sudo -u root timeout 5 nice -n 10 thoth approvals list --json",
      "thoth approvals list > /tmp/o.txt 2>&1",
      "x=`thoth approvals list`",
      "`echo thoth` approvals approve abc",
      "{ thoth approvals approve abc; }",
      "ls | xargs -I{} thoth approvals approve {}",
      "deno run -A mod.ts approvals list",
      "deno task thoth approvals approve abc",
      "```sh\nthoth approvals list\n```",
      "for f in *.json; do thoth approvals approve $(basename $f .json); done",
    ]
  ) assert.equal(runsApprovalCommand({ command }), true, command);
});
