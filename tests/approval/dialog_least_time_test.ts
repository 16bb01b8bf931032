/**
 * The least time left for which an approval dialog still opens
 * (`MIN_DIALOG_MS`, 3 s): no one reads a question and answers it in less,
 * so a question with less left is not shown and times out as unshown. A
 * short wait (`--approval-timeout` under 6 s) still shows its dialog: half
 * the wait is its least. A stand-in zenity notes each dialog it opens.
 */
import assert from "node:assert/strict";
import { approvalQuestion } from "../../src/approval/approval_question.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import type { ChannelAnswer } from "../../src/approval/approval_channel.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { stepUpRequest } from "./_relay_harness.ts";

/** A channel whose zenity notes `start` in `dir/log` and answers "Allow once". */
async function noting(dir: string) {
  const path = `${dir}/zenity`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\necho start >> '${dir}/log'\necho "Allow once"\nexit 1\n`,
    { mode: 0o755 },
  );
  const channel = dialogChannel({
    env: { DISPLAY: ":99", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    os: "linux",
    user: "tester",
    lookup: (name) => Promise.resolve(name === "zenity" ? path : null),
  });
  const opened = async () => {
    try {
      return (await Deno.readTextFile(`${dir}/log`)).split("\n").filter((l) => l !== "").length;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return 0;
      throw error;
    }
  };
  return { channel, opened };
}

/** Asks `channel` with `leftMs` left of a wait of `waitMs`. */
function ask(
  channel: ReturnType<typeof dialogChannel>,
  leftMs: number,
  waitMs: number,
): Promise<ChannelAnswer> {
  const request = stepUpRequest(
    { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
    { n: 1 },
    "d-1",
    "writes",
  );
  const question = {
    ...approvalQuestion(request.call, request.verdict, "a".repeat(64), []),
    answerWithinMs: waitMs,
  };
  return channel.ask({
    question,
    request,
    signal: new AbortController().signal,
    deadline: Date.now() + leftMs,
    allowSession: false,
  });
}

Deno.test({
  name: "dialog channel: no dialog opens with 2 s left of a 60 s wait (the least is 3 s)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-least-");
    const { channel, opened } = await noting(dir);
    const answer = await ask(channel, 2000, 60_000);
    assert.equal(answer.kind, "timeout");
    assert.match(
      (answer as { unshown?: string }).unshown ?? "",
      /never shown: too little of its time was left/,
    );
    assert.equal(await opened(), 0, "no dialog for a question no one could answer in time");
  },
});

Deno.test({
  name:
    "dialog channel: a 4 s wait (--approval-timeout 4) still opens its dialog: half is the least",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-dialog-least-");
    const { channel, opened } = await noting(dir);
    const answer = await ask(channel, 4000, 4000);
    assert.equal(answer.kind, "approve");
    assert.equal(await opened(), 1);
  },
});
