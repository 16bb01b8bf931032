/**
 * Approval channel faults, as the person at the machine and the model hear
 * them: a dialog that crashed and an elicitation form that came back without
 * a decision each write one stderr line (the channel, the call, its
 * decision, the cause, `thoth doctor`); a dialog closed or escaped without a
 * choice is dismissed, with no approver, not a person's Deny; and a question
 * whose turn for the one dialog comes with too little time left is never
 * shown, and says so. Stand-in zenity and kdialog scripts on PATH.
 */
import assert from "node:assert/strict";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import type { ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import type { ApprovalOutcome } from "../../src/proxy/relay_session.ts";
import { tempFolder } from "../_temp_dirs.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  toolCall,
} from "./_governed_peer.ts";
import { startRelay, stepUpRequest, tempHome } from "./_relay_harness.ts";

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

const WRITE = { name: "write_file", arguments: { path: "/data/x" } };

/** Writes `body` as an executable `name` in `dir`; returns its path. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

/** The dialog starts a stand-in logged in `log`, one `start` line each. */
async function starts(log: string): Promise<number> {
  try {
    return (await Deno.readTextFile(log)).split("\n").filter((l) => l === "start").length;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

/**
 * Runs the in-process relay with a session approver whose only channels are
 * the dialog (the stand-in `tool` in a fresh folder, running `body`) and the
 * queue; makes `calls` write_file calls at once. The folder is all of PATH
 * unless `systemPath` (then first), so that no real dialog tool is found.
 */
async function viaStandIn(
  tool: "zenity" | "kdialog",
  body: string,
  options: { calls?: number; timeoutMs?: number; systemPath?: boolean } = {},
): Promise<{ results: ToolText[]; outcomes: ApprovalOutcome[]; notes: string[]; ran: number }> {
  const { home, remove } = await tempHome();
  const bin = await tempFolder("thoth-bin-");
  await script(bin, tool, body);
  const outcomes: ApprovalOutcome[] = [];
  const notes: string[] = [];
  const approver = createApprover({
    thothHome: home,
    env: {
      USER: "tester",
      PATH: options.systemPath ? `${bin}:${Deno.env.get("PATH") ?? ""}` : bin,
      DISPLAY: ":99",
    },
    os: "linux",
    timeoutMs: options.timeoutMs ?? 10_000,
    note: (message) => notes.push(message),
  });
  const h = await startRelay({
    approver: async (r) => {
      const o = await approver(r);
      outcomes.push(o);
      return o;
    },
  });
  try {
    const results = await Promise.all(
      Array.from(
        { length: options.calls ?? 1 },
        (_, n) => h.client.callTool({ ...WRITE, arguments: { n } }) as Promise<ToolText>,
      ),
    );
    return { results, outcomes, notes, ran: h.ran.length };
  } finally {
    await h.close();
    await remove();
  }
}

Deno.test({
  name:
    "thoth run: a dialog killed while up writes one stderr line naming the channel, the cause and thoth doctor",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-crash-");
    // The dialog dies as `kill -9` would leave it (exit 137), with nothing said.
    await script(dir, "zenity", `echo start >> '${dir}/log'\nkill -9 $$`);
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
      flags: blockFlags(30),
      capabilities: {},
      env: { DISPLAY: ":99", PATH: `${dir}:${Deno.env.get("PATH") ?? ""}` },
    });
    try {
      await peer.send(toolCall(1, "delete_everything", { path: "/srv" }));
      const answer = await peer.wait((m) => m.id === 1, 30_000);
      assert.equal(answer.result?.isError, true);
      const text: string = answer.result.content[0].text;
      assert.match(
        text,
        /the dialog approval channel failed \(the zenity dialog failed \(exit 137\)\)/,
      );
      assert.match(text, /thoth's messages in the MCP client's log say why/);
      const line = await peer.waitStderr(
        /thoth: the dialog approval channel failed for the call to tool "delete_everything" on server "[^"]+" \(decision (d-[0-9a-f]+)\): the zenity dialog failed \(exit 137\), so the call did not run; run "thoth doctor" to check the approval channels/,
      );
      assert.ok(text.includes(`Decision ${line[1]}.`), "the line names the model's decision");
      // A dialog that was up may have been seen: its failure is final, not put to the queue.
      assert.doesNotMatch(peer.stderr, /waits for approval/);
      assert.equal(await starts(`${dir}/log`), 1);
      assert.deepEqual(await peer.serverCalls(), []);
    } finally {
      await peer.finish();
    }
    const [approval] = await auditRecords(peer.home, "approval");
    assert.equal(approval?.outcome, "error");
    assert.equal(approval?.channel, "dialog");
  },
});

Deno.test("an elicitation form that came back without a decision writes one stderr line", async () => {
  const { home, remove } = await tempHome();
  const notes: string[] = [];
  const approver = createApprover({
    thothHome: home,
    env: { USER: "tester" },
    os: "linux",
    dialog: false,
    timeoutMs: 10_000,
    note: (message) => notes.push(message),
  });
  // The client accepts the form but sends no decision back.
  const h = await startRelay({ approver, elicit: () => Promise.resolve({ action: "accept" }) });
  try {
    const result = await h.client.callTool(WRITE) as ToolText;
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /the elicitation approval channel failed/);
    assert.equal(h.ran.length, 0);
    assert.equal(notes.length, 1, notes.join("\n"));
    assert.match(
      notes[0]!,
      /^the elicitation approval channel failed for the call to tool "write_file" on server "files" \(decision d-1\): the form came back without a decision, so the call did not run; the MCP client's approval form gave no decision thoth could read: update the client or report it to its makers/,
    );
    // thoth doctor checks the dialogs of this machine, not a client's form.
    assert.doesNotMatch(notes[0]!, /run "thoth doctor"/);
  } finally {
    await h.close();
    await remove();
  }
});

Deno.test({
  name:
    "a zenity window closed or escaped (nothing printed) is dismissed, with no approver; Deny denies",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    for (const code of [1, 0]) {
      const closed = await viaStandIn("zenity", `exit ${code}`);
      assert.equal(closed.ran, 0);
      assert.equal(closed.outcomes[0]?.kind, "dismissed", `exit ${code}`);
      assert.equal(closed.outcomes[0]?.channel, "dialog");
      assert.equal(closed.outcomes[0]?.approver, undefined, "no one chose");
      assert.equal(closed.results[0]?.isError, true);
      assert.match(
        closed.results[0]!.content[0]!.text,
        /the approval prompt was closed without a choice/,
      );
      assert.doesNotMatch(closed.results[0]!.content[0]!.text, /denied/);
    }
    const denied = await viaStandIn("zenity", "echo Deny\nexit 1");
    assert.equal(denied.outcomes[0]?.kind, "denied");
    assert.equal(denied.outcomes[0]?.approver, "tester");
  },
});

Deno.test({
  name:
    "a kdialog list cancelled or escaped (exit 1, nothing printed) is dismissed; its deny entry denies",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const cancelled = await viaStandIn("kdialog", "exit 1");
    assert.equal(cancelled.outcomes[0]?.kind, "dismissed");
    assert.equal(cancelled.outcomes[0]?.approver, undefined);
    assert.equal(cancelled.ran, 0);
    const denied = await viaStandIn("kdialog", "echo deny");
    assert.equal(denied.outcomes[0]?.kind, "denied");
  },
});

Deno.test({
  name:
    "dialog channel: a question whose turn comes with under three seconds left never opens a dialog",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-late-turn-");
    // Up until `go` exists, then "Allow once".
    const path = await script(
      dir,
      "zenity",
      `echo start >> '${dir}/log'\nwhile [ ! -e '${dir}/go' ]; do sleep 0.05; done\n` +
        "echo 'Allow once'\nexit 1",
    );
    const channel = dialogChannel({
      env: { DISPLAY: ":99", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
      os: "linux",
      user: "tester",
      lookup: (name) => Promise.resolve(name === "zenity" ? path : null),
    });
    const ask = (n: number, deadline: number): Promise<ChannelAnswer> => {
      const request = stepUpRequest(
        { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
        { n },
        `d-${n}`,
        "writes",
      );
      return channel.ask({
        question: {
          ...approvalQuestion(request.call, request.verdict, String(n).repeat(64), []),
          answerWithinMs: 60_000,
        },
        request,
        // Never aborted: only the time left when its turn comes keeps the dialog shut.
        signal: new AbortController().signal,
        deadline,
        allowSession: false,
      });
    };
    const first = ask(1, Date.now() + 60_000);
    // Enough time when asked (MIN_DIALOG_MS, 3 s), too little once the first is answered.
    const secondDeadline = Date.now() + 4_500;
    const second = ask(2, secondDeadline);
    try {
      while (await starts(`${dir}/log`) < 1) await new Promise((r) => setTimeout(r, 20));
      // The first dialog is answered once the second has less than three seconds left.
      while (Date.now() < secondDeadline - 2_000) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await Deno.writeTextFile(`${dir}/go`, "");
    }
    assert.equal((await first).kind, "approve");
    const late = await second;
    assert.equal(late.kind, "timeout");
    assert.match(
      (late as { unshown?: string }).unshown ?? "",
      /never shown: it waited for an earlier approval dialog until too little of its time was left/,
    );
    assert.equal(await starts(`${dir}/log`), 1, "no dialog opened for the second question");
  },
});

Deno.test({
  name: "concurrent STEP_UP calls behind a dialog no one answers: those never shown say so",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-hang-");
    const { results, outcomes, ran } = await viaStandIn(
      "zenity",
      `echo start >> '${dir}/log'\nexec sleep 300`,
      { calls: 3, timeoutMs: 3_000, systemPath: true },
    );
    assert.equal(ran, 0);
    assert.deepEqual(outcomes.map((o) => o.kind), ["timeout", "timeout", "timeout"]);
    const texts = results.map((r) => r.content[0]!.text);
    const unshown = texts.filter((t) =>
      /no one answered within 3 s, so the request timed out \(its dialog was never shown: it waited for an earlier approval dialog/
        .test(t)
    );
    assert.equal(unshown.length, 2, texts.join("\n"));
    assert.equal(await starts(`${dir}/log`), 1, "one dialog opened, for the first call only");
  },
});
