/**
 * One approval dialog at a time per session: many STEP_UP calls at once do
 * not pile dialogs on the desktop (approval fatigue). The next dialog opens
 * once the one before it is answered, closed or timed out; a question whose
 * wait ends while it is in line (withdrawn, or its own deadline) never opens
 * one. A stand-in zenity on PATH notes each dialog it opens, and whether
 * another was still open then, and stays up until the test lets it answer.
 */
import assert from "node:assert/strict";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import type { ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { stepUpRequest } from "./_relay_harness.ts";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  type Json,
  toolCall,
} from "./_governed_peer.ts";

/**
 * Writes a stand-in `zenity` into `dir`: it logs `start` (and `overlap` when
 * another dialog is still up), waits until `dir/go` exists, then answers
 * "Allow once".
 */
async function gatedZenity(
  dir: string,
): Promise<{ path: string; log: string; go: () => Promise<void> }> {
  const path = `${dir}/zenity`;
  const log = `${dir}/log`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
d='${dir}'
echo start >> "$d/log"
mkdir "$d/open" 2>/dev/null || echo overlap >> "$d/log"
while [ ! -e "$d/go" ]; do sleep 0.05; done
rmdir "$d/open" 2>/dev/null
echo "Allow once"
exit 1
`,
    { mode: 0o755 },
  );
  return { path, log, go: () => Deno.writeTextFile(`${dir}/go`, "") };
}

/** The lines the stand-in logged so far. */
async function logged(log: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Waits until the stand-in has opened `count` dialogs. */
async function opened(log: string, count: number): Promise<void> {
  while ((await logged(log)).filter((l) => l === "start").length < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test({
  name: "dialog channel: one dialog at a time; a question withdrawn while in line never opens one",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-turns-");
    const zenity = await gatedZenity(dir);
    const channel = dialogChannel({
      env: { DISPLAY: ":99", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
      os: "linux",
      user: "tester",
      lookup: (name) => Promise.resolve(name === "zenity" ? zenity.path : null),
    });
    const ask = (n: number, signal: AbortSignal): Promise<ChannelAnswer> => {
      const request = stepUpRequest(
        { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
        { n },
        `d-${n}`,
        "writes",
      );
      return channel.ask({
        question: approvalQuestion(request.call, request.verdict, String(n).repeat(64), []),
        request,
        signal,
        deadline: Date.now() + 60_000,
        allowSession: false,
      });
    };
    const first = ask(1, new AbortController().signal);
    const withdrawn = new AbortController();
    const second = ask(2, withdrawn.signal);
    const third = ask(3, new AbortController().signal);
    try {
      await opened(zenity.log, 1);
      // Its wait ends in line (withdrawn; a deadline ends it the same way): no dialog, ever.
      withdrawn.abort();
      const left = await second;
      assert.equal(left.kind, "timeout");
      assert.match(
        (left as { unshown?: string }).unshown ?? "",
        /never shown: it waited for an earlier approval dialog/,
      );
      assert.deepEqual(await logged(zenity.log), ["start"], "only the first dialog is up");
    } finally {
      // Every stand-in still up answers, and every question ends.
      await zenity.go();
      withdrawn.abort();
      await Promise.allSettled([first, second, third]);
    }
    assert.equal((await first).kind, "approve");
    assert.equal((await third).kind, "approve");
    assert.deepEqual(
      await logged(zenity.log),
      ["start", "start"],
      "no dialog for the withdrawn one",
    );
  },
});

Deno.test({
  name: "thoth run: concurrent STEP_UP calls open one system dialog at a time",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-turns-");
    const zenity = await gatedZenity(dir);
    const calls = 5;
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
      flags: blockFlags(60),
      capabilities: {},
      env: { DISPLAY: ":99", PATH: `${dir}:${Deno.env.get("PATH") ?? ""}` },
    });
    try {
      for (let id = 1; id <= calls; id++) {
        await peer.send(
          toolCall(id, "delete_everything", { n: id }, { _meta: { progressToken: id } }),
        );
      }
      // Every call is waiting in the dialog channel, and the first dialog is up.
      for (let id = 1; id <= calls; id++) {
        await peer.wait((m: Json) =>
          m.method === "notifications/progress" && m.params?.progressToken === id &&
          /in a system dialog/.test(m.params?.message)
        );
      }
      await opened(zenity.log, 1);
      await zenity.go();
      for (let id = 1; id <= calls; id++) {
        const answer = await peer.wait((m: Json) => m.id === id, 30_000);
        assert.notEqual(answer.result?.isError, true, JSON.stringify(answer));
      }
      const lines = await logged(zenity.log);
      assert.deepEqual(lines, Array(calls).fill("start"), "one dialog at a time: never two up");
      assert.equal((await peer.serverCalls()).length, calls);
    } finally {
      await zenity.go();
      await peer.finish();
    }
  },
});
