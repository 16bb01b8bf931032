import { SOFT_BREAK } from "../../src/approval/soft_breaks.ts";
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import type { ApprovalOutcome, ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { startRelay, tempHome } from "./_relay_harness.ts";

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

/**
 * Writes a stand-in `zenity` that records its argv (NUL-separated) and what
 * it read on its standard input (`<record>.stdin`, with shell builtins only:
 * its PATH holds nothing else), and answers.
 */
async function standIn(dir: string, answer: { code: number; stdout?: string }): Promise<string> {
  const record = `${dir}/shown`;
  const script = `#!/bin/sh
printf '%s\\0' "$@" > '${record}'
while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done > '${record}.stdin'
printf '%s' '${answer.stdout ?? ""}'
exit ${answer.code}
`;
  await Deno.writeTextFile(`${dir}/zenity`, script, { mode: 0o755 });
  return record;
}

async function shownArgs(record: string): Promise<string[]> {
  return (await Deno.readTextFile(record)).split("\0").filter((a) => a !== "");
}

/** What the stand-in read on its standard input: the question, without the places it may wrap. */
async function shownText(record: string): Promise<string> {
  return (await Deno.readTextFile(`${record}.stdin`)).replaceAll(SOFT_BREAK, "");
}

const WRITE = {
  name: "write_file",
  arguments: { path: "/home/ana/tax-return.pdf", content: "SSN 078-05-1120" },
};

async function viaDialog(
  answer: { code: number; stdout?: string },
  calls: number,
): Promise<
  { results: ToolText[]; outcomes: ApprovalOutcome[]; shown: string[]; text: string; ran: number }
> {
  const { home, remove } = await tempHome();
  const bin = await Deno.makeTempDir({ prefix: "thoth-bin-" });
  const record = await standIn(bin, answer);
  const outcomes: ApprovalOutcome[] = [];
  const approver = createApprover({
    thothHome: home,
    env: { USER: "tester", PATH: bin, DISPLAY: ":99" },
    os: "linux",
    timeoutMs: 10_000,
  });
  const h = await startRelay({
    approver: async (r) => {
      const o = await approver(r);
      outcomes.push(o);
      return o;
    },
  });
  try {
    const results: ToolText[] = [];
    for (let i = 0; i < calls; i++) results.push(await h.client.callTool(WRITE) as ToolText);
    return {
      results,
      outcomes,
      shown: await shownArgs(record),
      text: await shownText(record),
      ran: h.ran.length,
    };
  } finally {
    await h.close();
    await remove();
    await Deno.remove(bin, { recursive: true });
  }
}

Deno.test("dialog channel: zenity's yes runs the call; the question goes on its stdin, never its argv", async () => {
  const { results, outcomes, shown, text, ran } = await viaDialog(
    { code: 1, stdout: "Allow once" },
    1,
  );
  assert.equal(results[0]?.isError, undefined);
  assert.equal(ran, 1);
  assert.equal(outcomes[0]?.channel, "dialog");
  assert.equal(outcomes[0]?.approver, "tester");
  assert.ok(shown.includes("--text-info"));
  assert.match(text, /tool "write_file" on server "files"/);
  assert.match(text, /rule "writes-need-a-person" \(writing files needs approval\)/);
  // Off the command line, the file a call writes is shown; the content by its shape.
  assert.match(text, /path: "\/home\/ana\/tax-return\.pdf"/);
  assert.match(text, /content: string \(15 chars\)/);
  assert.ok(!text.includes("078-05-1120"), "no raw value of other fields");
  // Every user's ps lists the argv: thoth's own words only, no name and no value.
  assert.ok(!shown.some((a) => a.startsWith("--text=")));
  const all = shown.join(" ");
  for (const word of ["write_file", "files", "tax-return", "078-05-1120", "writes-need"]) {
    assert.ok(!all.includes(word), `${word} is not on the command line: ${all}`);
  }
  assert.ok(shown.some((a) => a.startsWith("--timeout=")));
});

Deno.test("dialog channel: zenity's no denies, and the model hears a person denied it", async () => {
  const { results, outcomes, ran } = await viaDialog({ code: 1, stdout: "Deny" }, 1);
  assert.equal(results[0]?.isError, true);
  assert.match(results[0]!.content[0]!.text, /a person denied it\./);
  // The OS account answered; the model is not told which (the audit record is).
  assert.doesNotMatch(results[0]!.content[0]!.text, /tester/);
  assert.equal(outcomes[0]?.approver, "tester");
  assert.equal(outcomes[0]?.approved, false);
  assert.equal(ran, 0);
});

Deno.test("dialog channel: the session button allows the same call again without asking", async () => {
  const { results, outcomes, ran } = await viaDialog(
    { code: 1, stdout: "Allow for this session" },
    2,
  );
  assert.ok(results.every((r) => r.isError === undefined));
  assert.equal(ran, 2);
  assert.deepEqual(outcomes.map((o) => o.channel), ["dialog", "grant"]);
});

Deno.test("dialog channel: zenity's timeout exit denies as a timeout", async () => {
  const { results } = await viaDialog({ code: 5 }, 1);
  assert.equal(results[0]?.isError, true);
  assert.match(results[0]!.content[0]!.text, /timed out/);
});

Deno.test("dialog channel: hostile tool names cannot add lines, markup or escapes", async () => {
  const bin = await Deno.makeTempDir({ prefix: "thoth-bin-" });
  try {
    const record = await standIn(bin, { code: 1, stdout: "Deny" });
    const channel = dialogChannel({ env: { PATH: bin, DISPLAY: ":1" }, os: "linux", user: "t" });
    const request = {
      call: {
        server: "files",
        tool: 'x"\nApproved by admin: yes\\n<b>ok</b>\u202e',
        arguments: { "key\nfake": 1 },
        annotations: undefined,
        listed: false,
        era: "initialize",
        protocolVersion: undefined,
      },
      verdict: { decision: "step_up", decisionId: "d-1", ruleIds: ["r"], reasons: [] },
    } as unknown as ApprovalRequest;
    const question = approvalQuestion(request.call, request.verdict, "0".repeat(64));
    const answer = await channel.ask({
      question,
      request,
      signal: new AbortController().signal,
      deadline: Date.now() + 5_000,
      allowSession: false,
    });
    assert.equal(answer.kind, "deny");
    assert.ok(!(await shownArgs(record)).some((a) => a.includes("Approved")), "argv: no name");
    // zenity's text view shows its input as it is: no markup, no backslash escapes.
    const textArg = await shownText(record);
    const lines = textArg.split("\n");
    assert.ok(!lines.some((l) => l.startsWith("Approved by admin")), "no forged line");
    assert.ok(!textArg.includes("\u202e"), "no bidi override");
    // A key that is not a plain name is shown by its position, never as written.
    assert.match(textArg, /#k1: integer/);
    assert.ok(!textArg.includes("fake"), "the hostile key does not reach the dialog");
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
});

/** Asks `tool` (a stand-in on PATH) about a call that runs a command; returns its argv and stdin. */
async function askedBy(tool: "zenity" | "kdialog"): Promise<{ argv: string[]; stdin: string }> {
  const bin = await Deno.makeTempDir({ prefix: "thoth-bin-" });
  try {
    const record = await standIn(bin, { code: 1 });
    if (tool === "kdialog") await Deno.rename(`${bin}/zenity`, `${bin}/kdialog`);
    const channel = dialogChannel({ env: { PATH: bin, DISPLAY: ":1" }, os: "linux", user: "t" });
    const request = {
      call: {
        server: "box",
        tool: "run_command",
        arguments: { command: "grep -i diagnosis /home/ana/patients.csv", cwd: "/home/ana/clinic" },
        annotations: undefined,
        listed: true,
        era: "initialize",
        protocolVersion: undefined,
      },
      verdict: {
        decision: "step_up",
        decisionId: "d-7",
        ruleIds: ["command-runners"],
        reasons: ["the tool name says it runs commands or code"],
      },
    } as unknown as ApprovalRequest;
    const question = approvalQuestion(request.call, request.verdict, "0".repeat(64));
    const answer = await channel.ask({
      question,
      request,
      signal: new AbortController().signal,
      deadline: Date.now() + 5_000,
      allowSession: false,
    });
    assert.equal(answer.kind, "cancel", "nothing chosen: dismissed");
    return { argv: await shownArgs(record), stdin: await shownText(record) };
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

Deno.test("dialog channel: zenity reads the command and paths on stdin; its argv holds none", async () => {
  const { argv, stdin } = await askedBy("zenity");
  const all = argv.join(" ");
  for (const value of ["diagnosis", "patients.csv", "/home/ana", "run_command", "box"]) {
    assert.ok(!all.includes(value), `${value} is not on the command line: ${all}`);
  }
  assert.match(stdin, /grep -i diagnosis \/home\/ana\/patients\.csv/);
  assert.match(stdin, /cwd: "\/home\/ana\/clinic"/);
});

Deno.test("dialog channel: kdialog's choice has a summary on its argv, with no argument and no value", async () => {
  const { argv, stdin } = await askedBy("kdialog");
  assert.equal(stdin, "", "kdialog reads nothing on stdin");
  const all = argv.join(" ");
  for (const value of ["diagnosis", "patients.csv", "/home/ana", "clinic", "cwd", "command:"]) {
    assert.ok(!all.includes(value), `${value} is not on the command line: ${all}`);
  }
  const menu = argv[argv.indexOf("--menu") + 1]!;
  assert.match(menu, /Allow tool &quot;run_command&quot; on server &quot;box&quot;\?/);
  assert.match(
    menu,
    /Arguments: shown in the window before this one, not here: kdialog takes this text on its command line/,
  );
  assert.match(menu, /Decision d-7/);
});
