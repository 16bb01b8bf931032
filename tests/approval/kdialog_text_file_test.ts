/**
 * kdialog takes its choice's text only on its command line, which every
 * user's `ps` lists, so thoth first shows the whole question (the command a
 * call runs, its paths) in kdialog's text window, which reads it from a file
 * in a new folder only this user can open, removed once the window closes;
 * then the choice, with a summary. A stand-in kdialog on PATH (see
 * `_kdialog_stand_in.ts`) records each run's argv, and what its text window
 * read.
 */
import assert from "node:assert/strict";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import type { ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import { DIALOG_TITLE } from "../../src/approval/dialog_command.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { argv, exists, SLEEP, standIn, STAT } from "./_kdialog_stand_in.ts";

const REQUEST = {
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

/** Asks the stand-in kdialog in `bin` about a call that runs a command. */
function ask(bin: string): Promise<ChannelAnswer> {
  const channel = dialogChannel({ env: { PATH: bin, DISPLAY: ":1" }, os: "linux", user: "t" });
  return channel.ask({
    question: approvalQuestion(REQUEST.call, REQUEST.verdict, "0".repeat(64)),
    request: REQUEST,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    allowSession: false,
  });
}

Deno.test("dialog channel: kdialog shows the command from a private file first, then a choice with a summary", async () => {
  const bin = await tempFolder("thoth-bin-");
  await standIn(bin, 0, "once");
  const answer = await ask(bin);
  assert.equal(answer.kind, "approve");
  // First the text window, reading the whole question from a file.
  const first = await argv(bin, 0);
  assert.deepEqual(first.slice(0, 3), ["--title", DIALOG_TITLE, "--textbox"]);
  const file = first[3]!;
  const read = await Deno.readTextFile(`${bin}/run.0.file`);
  assert.match(read, /grep -i diagnosis \/home\/ana\/patients\.csv/);
  assert.match(read, /cwd: "\/home\/ana\/clinic"/);
  assert.match(read, /Allow tool "run_command" on server "box"\?/);
  if (STAT !== undefined) {
    assert.deepEqual(
      (await Deno.readTextFile(`${bin}/run.0.mode`)).trim().split("\n"),
      ["600", "700"],
      "the file and its folder are this user's alone",
    );
  }
  assert.equal(await exists(file), false, "the file is removed once the window closed");
  assert.equal(await exists(file.slice(0, file.lastIndexOf("/"))), false, "and its folder");
  // Then the choice, whose argv every user can list: a summary, no argument and no value.
  const second = await argv(bin, 1);
  assert.ok(second.includes("--menu"));
  for (const run of [first, second]) {
    const all = run.join(" ");
    for (const value of ["diagnosis", "patients.csv", "/home/ana", "clinic", "cwd", "command:"]) {
      assert.ok(!all.includes(value), `${value} is not on the command line: ${all}`);
    }
  }
  assert.match(second[second.indexOf("--menu") + 1]!, /Arguments: shown in the window before/);
  assert.equal(await exists(`${bin}/run.2`), false, "two runs");
});

Deno.test("dialog channel: a kdialog text window that crashed fails the question, and no choice opens", async () => {
  const bin = await tempFolder("thoth-bin-");
  await standIn(bin, 134, "once");
  const answer = await ask(bin);
  assert.equal(answer.kind, "error");
  assert.match((answer as { message: string }).message, /kdialog dialog failed \(exit 134\)/);
  assert.equal(await exists(`${bin}/run.1`), false, "the choice never opened");
});

Deno.test("dialog channel: kdialog's choice says how long is left once the text window closed", async () => {
  const bin = await tempFolder("thoth-bin-");
  // The person reads the text window for 2.1 s of the 10 s there are.
  await standIn(bin, 0, "once", `'${SLEEP}' 2.1`);
  const answer = await ask(bin);
  assert.equal(answer.kind, "approve");
  const windowText = await Deno.readTextFile(`${bin}/run.0.file`);
  assert.match(windowText, /Answer within (9|10) s, or the call is denied\./);
  const choice = await argv(bin, 1);
  const menu = choice[choice.indexOf("--menu") + 1]!;
  const left = Number(/Answer within (\d+) s, or the call is denied\./.exec(menu)?.[1]);
  assert.ok(left >= 4 && left <= 7, `the choice says what is left, not 9 s or 10 s: ${menu}`);
  assert.equal(menu.match(/Answer within/g)?.length, 1, "said once");
});
