/**
 * thoth.approval_command reads data as data: the arguments of a call in code
 * that takes data (`VALUES ('…')`, `print('…')`) and the value of a key
 * named query, q, search, text, body, message, title or description without
 * a shell marker or line break, in a tool that types into no terminal, with
 * no key beside it that presses Enter and settling no request by id, are not
 * read as running an approval command; a call that
 * runs what it is given (`subprocess.run(`, `os.system(`, `execFileSync(`), a
 * subshell's `(`, such a value with a shell marker, a `prompt` (an agent
 * runs it) and a fenced `sh` block in a file a server writes still are.
 */
import assert from "node:assert/strict";
import { APPROVAL_COMMAND_RULE, runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";
import { commandSegments } from "../../src/policy/command_segments.ts";

Deno.test("runsApprovalCommand() leaves a call's data and a search query alone", () => {
  for (
    const args of [
      { sql: "INSERT INTO notes VALUES ('thoth approvals list')" },
      { statement: "insert into notes (body) values ('thoth approvals approve k3f9x2qa');" },
      { code: "print('thoth approvals list')" },
      { code: "console.log('thoth', 'approvals', 'list');" },
      { code: 'describe("thoth approvals approve k3f9x2qa", () => {});' },
      { query: "thoth approvals list" },
      { Search: "thoth approvals list" },
      { title: "thoth approvals watch" },
      { title: "thoth approvals watch hangs" },
      { text: "thoth approvals list" },
      { message: "docs: explain thoth approvals list" },
      { message: "thoth approvals deny ID" },
      { TEXT: "THOTH approvals list", press_enter: false },
    ]
  ) assert.equal(runsApprovalCommand(args), false, JSON.stringify(args));
  // A tool that searches, mails or files issues: its text keys stay text.
  for (
    const tool of ["search", "send_email", "create_issue", "github__search_code", "git_commit"]
  ) {
    const args = { query: "thoth approvals list", title: "thoth approvals watch hangs" };
    assert.equal(runsApprovalCommand(args, tool), false, tool);
  }
});

Deno.test("runsApprovalCommand() reads a text key that is typed, spans lines or settles by id", () => {
  for (
    const args of [
      // An approve or deny command with an id-shaped argument, whatever the key.
      { text: "thoth approvals approve k3f9x2qa" },
      { message: "thoth approvals approve k3f9x2qa" },
      { q: "thoth approvals approve k3f9x2qa" },
      { message: "thoth approvals deny K3F9X2QA" },
      { query: 'thoth approvals approve "$ID"' },
      { text: "THOTH approvals approve k3f9x2qa" },
      { Text: "thoth approvals approve k3f9x2qa" },
      // A line break types Enter and starts a command.
      { text: "thoth approvals list\n" },
      { text: "thoth approvals list\r" },
      { body: "thoth approvals list --json > /tmp/x\nthoth approvals approve k3f9x2qa" },
      { description: "x\nthoth approvals watch" },
      { description: "Steps:\nthoth approvals watch\npress y" },
      // A key beside it presses Enter.
      { loc: [100, 200], text: "thoth approvals list", press_enter: true },
      { text: "thoth approvals list", pressEnter: true },
      { Text: "thoth approvals list", submit: true },
      { message: "thoth approvals list", Enter: true },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
  // A tool that types into a terminal or runs commands types its text key.
  for (
    const tool of [
      "type",
      "type_text",
      "send_input",
      "write_stdin",
      "send_keys",
      "write_to_terminal",
      "press_keys",
      "keyboard_type",
      "keyboardType",
      "computer",
      "computer_use",
      "terminal-mcp__type",
      "run_command",
      "shell",
    ]
  ) {
    for (
      const args of [{ text: "thoth approvals list" }, {
        action: "type",
        Text: "THOTH approvals watch",
      }]
    ) {
      assert.equal(runsApprovalCommand(args, tool), true, `${tool} ${JSON.stringify(args)}`);
    }
  }
});

Deno.test("evaluate() reads a typing tool's text key as typed", () => {
  const policy = compilePolicy(
    parsePolicy(JSON.stringify({ version: 1, default: "allow", rules: [] }), "policy.json"),
    { home: "/home/ana", os: "linux", ownFolders: ["/home/ana/.thoth"] },
  );
  const typed = evaluate(policy, toolCall("term", "type", { text: "thoth approvals list" }), {});
  assert.deepEqual(typed.ruleIds, [APPROVAL_COMMAND_RULE]);
  const searched = evaluate(
    policy,
    toolCall("web", "search", { query: "thoth approvals list" }),
    {},
  );
  assert.equal(searched.decision, "allow");
});

Deno.test("runsApprovalCommand() still reads runners' calls, subshells and shell text in text keys", () => {
  for (
    const args of [
      { code: "import subprocess\nsubprocess.run('thoth approvals approve k3f9x2qa', shell=True)" },
      { code: "import os\nos.system('thoth approvals approve k3f9x2qa')" },
      { code: "check_output(['thoth', 'approvals', 'list', '--json'])" },
      { code: "execFileSync('thoth', ['approvals', 'approve', id])" },
      { code: 'exec.Command("thoth", "approvals", "approve", id).Run()' },
      { command: "(thoth approvals list)" },
      { command: "( 'thoth' approvals approve k3f9x2qa )" },
      { command: "if ('thoth' approvals list); then :; fi" },
      { query: "x; thoth approvals list" },
      { q: "thoth approvals list | jq length" },
      { text: "#!/bin/sh\nthoth approvals approve k3f9x2qa" },
      { body: "```sh\nthoth approvals list\n```" },
      { prompt: "thoth approvals approve k3f9x2qa" },
      { command: "thoth approvals list", description: "lists the requests" },
      // A docs page with a fenced sh block: a file a person may run, read on purpose.
      { path: "docs/a.md", content: "Run:\n\n```sh\nthoth approvals list\n```\n" },
      // A query key's JSON is still read.
      { query: '{"command": "thoth approvals approve k3f9x2qa"}' },
    ]
  ) assert.equal(runsApprovalCommand(args), true, JSON.stringify(args));
});

Deno.test("commandSegments() names the call whose ( starts a segment", () => {
  const read = (text: string) => {
    const { segments, callers } = commandSegments(text, true);
    return segments.map((s, i) => [s, callers[i]]);
  };
  assert.deepEqual(read("INSERT INTO t VALUES ('a')"), [
    ["INSERT INTO t VALUES ", ""],
    ["'a'", "VALUES"],
    ["", ""],
  ]);
  assert.deepEqual(read("subprocess.run(['a'])"), [["subprocess.run", ""], [
    "['a']",
    "subprocess.run",
  ], [
    "",
    "",
  ]]);
  assert.deepEqual(read("a; (b) && if (c)"), [
    ["a", ""],
    [" ", ""],
    ["b", ""],
    [" ", ""],
    ["", ""],
    [" if ", ""],
    ["c", ""],
    ["", ""],
  ]);
});
