/**
 * A channel that reaches no one hands the question to the next channel,
 * before the same deadline: a dialog that cannot open its display (a stale
 * DISPLAY over SSH, WSL) moves on to the approval queue. A real zenity when
 * this machine has one, else a stand-in that fails as zenity does.
 */
import assert from "node:assert/strict";
import { osUserName } from "../_os_user.ts";
import type { ApprovalChannel, ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import { localDialogRunner } from "../../src/approval/dialog_runner.ts";
import { findExecutable } from "../../src/platform/find_executable.ts";
import type { ApprovalOutcome } from "../../src/proxy/relay_session.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { approvalsCli, startRelay, stepUpRequest, tempHome } from "./_relay_harness.ts";

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

/** A display number no X server listens on here. */
async function deadDisplay(): Promise<string> {
  for (let n = 170; n < 230; n++) {
    const taken = await Promise.all(
      [`/tmp/.X11-unix/X${n}`, `/tmp/.X${n}-lock`].map((p) =>
        Deno.stat(p).then(() => true, () => false)
      ),
    );
    if (!taken.includes(true)) return `:${n}`;
  }
  throw new Error("no unused X display number");
}

/** The installed zenity, or a stand-in that exits as zenity does without a display. */
async function zenityWithoutDisplay(): Promise<string> {
  const real = Deno.build.os === "linux"
    ? await findExecutable("zenity", Deno.env.get("PATH") ?? "", "linux")
    : null;
  if (real !== null) return real;
  const dir = await tempFolder("thoth-bin-");
  const path = `${dir}/zenity`;
  await Deno.writeTextFile(
    path,
    "#!/bin/sh\nprintf '%s\\n' \"(zenity:1): Gtk-WARNING **: 12:00:00.000: cannot open display: $DISPLAY\" >&2\nexit 1\n",
    { mode: 0o755 },
  );
  return path;
}

const WRITE = { name: "write_file", arguments: { path: "/home/ana/notes.txt", content: "hi" } };

Deno.test({
  name: "a dialog that cannot open its display hands the question to the queue, same deadline",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, remove } = await tempHome();
    const zenity = await zenityWithoutDisplay();
    const queued: string[] = [];
    const outcomes: ApprovalOutcome[] = [];
    const timeoutMs = 20_000;
    const env = { USER: "tester", DISPLAY: await deadDisplay(), HOME: home };
    // The real runner, watched: when the dialog was asked for and how long it could wait.
    const dialogs: { at: number; seconds: number }[] = [];
    const run = localDialogRunner({ tool: "zenity", path: zenity }, env);
    const approver = createApprover({
      thothHome: home,
      env,
      os: "linux",
      timeoutMs,
      queuePollMs: 50,
      lookupExecutable: (name) => Promise.resolve(name === "zenity" ? zenity : null),
      dialogRunner: async (req, signal) => {
        dialogs.push({ at: Date.now(), seconds: req.seconds });
        // A dialog that takes a second to fail: the queue gets what is left.
        await new Promise((r) => setTimeout(r, 1000));
        return await run(req, signal);
      },
      note: (line) => queued.push(line),
    });
    const h = await startRelay({
      approver: async (r) => {
        const o = await approver(r);
        outcomes.push(o);
        return o;
      },
    });
    try {
      const call = h.client.callTool(WRITE) as Promise<ToolText>;
      call.catch(() => {}); // still awaited below; a failed check must not leave it dangling
      let id: string | undefined;
      for (let i = 0; i < 200 && id === undefined; i++) {
        id = queued.join("\n").match(/thoth approvals approve ([a-z0-9]{8})/)?.[1];
        if (id === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(id !== undefined, "the question reached the queue");
      const entry = JSON.parse(
        await Deno.readTextFile(`${home}/approvals/${id}.request.json`),
      ) as { createdAt: number; expiresAt: number };
      assert.equal(dialogs.length, 1, "the dialog was tried first");
      const dialogDeadline = dialogs[0]!.at + dialogs[0]!.seconds * 1000;
      assert.ok(
        Math.abs(entry.expiresAt - dialogDeadline) < 100,
        `the queue waits until the dialog's deadline (${entry.expiresAt} vs ${dialogDeadline})`,
      );
      assert.ok(entry.expiresAt - entry.createdAt <= timeoutMs, "no fresh timeout");
      const said = Number(queued.join("\n").match(/within ([\d.]+) s/)?.[1]);
      assert.ok(said <= (timeoutMs - 1000) / 1000, `the note gives the time left, not ${said} s`);
      const approved = await approvalsCli(home, ["approve", id]);
      assert.equal(approved.code, 0, approved.stderr);
      const result = await call;
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.equal(h.ran.length, 1);
      assert.equal(outcomes[0]?.channel, "queue");
      // The answer file's owner (this OS user); what the file says is at most a claim.
      assert.ok(outcomes[0]?.approver?.startsWith(osUserName()), outcomes[0]?.approver);
    } finally {
      await h.close();
      await remove();
    }
  },
});

/** A channel that records being asked and answers `answer`. */
function fixed(name: string, answer: ChannelAnswer, asked: string[]): ApprovalChannel {
  return {
    name,
    available: () => true,
    ask: () => {
      asked.push(name);
      return Promise.resolve(answer);
    },
  };
}

const request = () =>
  stepUpRequest(
    { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
    { path: "/srv/x" },
    "d-1",
    "w",
  );

Deno.test({
  name: "when no channel reaches anyone the call is denied, naming every channel tried and why",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const zenity = await zenityWithoutDisplay();
    const asked: string[] = [];
    const approver = createApprover({
      thothHome: "/nonexistent",
      env: { USER: "tester" },
      os: "linux",
      timeoutMs: 20_000,
      channels: [
        dialogChannel({
          env: { DISPLAY: await deadDisplay() },
          os: "linux",
          user: "tester",
          lookup: (name) => Promise.resolve(name === "zenity" ? zenity : null),
        }),
        fixed("remote", { kind: "unreachable", message: "the approval service is offline" }, asked),
      ],
    });
    const outcome = await approver(request());
    assert.equal(outcome.approved, false);
    assert.equal(outcome.kind, "error");
    assert.deepEqual(asked, ["remote"]);
    assert.match(
      outcome.why,
      /^no approval channel could reach a person: dialog \(the zenity dialog could not open the desktop display\); remote \(the approval service is offline\)$/,
    );
  },
});

Deno.test("only a channel that reached no one hands over: an answer, a timeout or an error is final", async () => {
  const finals: [ChannelAnswer, ApprovalOutcome["kind"]][] = [
    [{ kind: "deny", approver: "ana" }, "denied"],
    [{ kind: "cancel", approver: "ana" }, "dismissed"],
    [{ kind: "timeout" }, "timeout"],
    [{ kind: "error", message: "the answer could not be read" }, "error"],
  ];
  for (const [answer, kind] of finals) {
    const asked: string[] = [];
    const approver = createApprover({
      thothHome: "/nonexistent",
      env: { USER: "tester" },
      os: "linux",
      channels: [
        fixed("elicitation", { kind: "unreachable", message: "the client cannot elicit" }, asked),
        fixed("dialog", answer, asked),
        fixed("queue", { kind: "approve", scope: "once", approver: "x", digest: "" }, asked),
      ],
    });
    const outcome = await approver(request());
    assert.deepEqual(asked, ["elicitation", "dialog"], answer.kind);
    assert.equal(outcome.approved, false);
    assert.equal(outcome.kind, kind);
    assert.equal(outcome.channel, "dialog");
  }
});
