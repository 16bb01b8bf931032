/**
 * `thoth approvals watch` prunes the queue when it starts (and then every
 * minute): the files of requests that expired more than ten minutes ago and
 * whose outcome the audit log holds go, so a long-used queue does not slow
 * each look down; a request still waiting, one that expired a moment ago, and
 * a person's answer no thoth marked taken stay.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { filesLeft, requestsLeft, staleQueue } from "../approval/_stale_queue.ts";

Deno.test("approvals watch removes the files of requests long expired and recorded when it starts", async () => {
  const home = await tempFolder("thoth-watch-prune-");
  const ids = await staleQueue(home);
  // A terminal whose input ends at once (Ctrl-D): watch looks once and stops.
  const keys = new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const io = fakeCliIo(home, { USER: "cli-user" });
  const program = new Command("thoth").addCommand(approvalsCommand(io, () => keys));
  // The waiting request is asked about; the input ends before any answer.
  const code = await runProgram("thoth", program, ["approvals", "watch"], io);
  assert.equal(code, 0, io.stderr);
  assert.deepEqual(
    requestsLeft(home),
    [ids.untakenAnswer, ids.earlierReleaseAnswer, ids.recent, ids.pending].sort(),
  );
  for (const gone of [ids.closedByThoth, ids.takenAnswer, ids.unanswered]) {
    assert.equal(filesLeft(home).filter((name) => name.startsWith(gone)).length, 0, gone);
  }
  assert.ok(filesLeft(home).includes(`${ids.untakenAnswer}.answer.json`));
  assert.ok(filesLeft(home).includes(`${ids.earlierReleaseAnswer}.answer.json`));
  assert.ok(filesLeft(home).includes(`${ids.recent}.answer.json`));
});
