/**
 * On stop, thoth ends the dialogs open for the core and exits right after:
 * the dialog host waits (boundedly) for each to finish ending, so that a
 * kdialog text window's question file, removed once the window is gone, is
 * not left in the temp folder. A stand-in kdialog (see
 * `../approval/_kdialog_stand_in.ts`) keeps its text window open.
 */
import assert from "node:assert/strict";
import { localDialogRunner } from "../../src/approval/dialog_runner.ts";
import { dialogHost } from "../../src/proxy/dialog_host.ts";
import type { WorkerInbound } from "../../src/proxy/proxy_worker.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { argv, exists, SLEEP, standIn, waitFor } from "../approval/_kdialog_stand_in.ts";

const REQUEST = {
  text: "command: rm -rf ~/secret-project",
  summary: "a summary",
  seconds: 60,
  allowSession: false,
};

Deno.test("dialogHost().cancelAll() returns once an open text window's question file is removed", async () => {
  const bin = await tempFolder("thoth-bin-");
  const temp = await tempFolder("thoth-temp-");
  await standIn(bin, 0, "once", `exec '${SLEEP}' 30`);
  const runner = localDialogRunner(
    { tool: "kdialog", path: `${bin}/kdialog` },
    { PATH: bin },
    { tempDir: temp },
  );
  const answers: WorkerInbound[] = [];
  const host = dialogHost(runner, (message) => answers.push(message));
  host.show(1, REQUEST);
  await waitFor(`${bin}/run.0.open`);
  const file = (await argv(bin, 0))[3]!;
  assert.ok(file.startsWith(`${temp}/thoth-approval-`), file);
  assert.equal(await exists(file), true, "the window is open, reading its file");
  await host.cancelAll();
  assert.equal(await exists(file.slice(0, file.lastIndexOf("/"))), false, "the folder is gone");
  assert.deepEqual([...Deno.readDirSync(temp)], []);
  assert.deepEqual(answers, [{ type: "dialog-shown", id: 1, shown: { kind: "aborted" } }]);
  await host.cancelAll();
});

Deno.test("dialogHost().cancelAll() waits no longer than its bound for a dialog that never ends", async () => {
  let aborted = false;
  const host = dialogHost((_request, signal) => {
    signal.addEventListener("abort", () => aborted = true);
    return new Promise(() => {});
  }, () => {});
  host.show(1, REQUEST);
  const started = Date.now();
  await host.cancelAll(150);
  const waited = Date.now() - started;
  assert.ok(aborted, "it was ended");
  assert.ok(waited >= 100 && waited < 2000, `waited ${waited} ms`);
});

Deno.test("dialogHost() without a dialog tool answers each request with an error at once", async () => {
  const answers: WorkerInbound[] = [];
  const host = dialogHost(undefined, (message) => answers.push(message));
  host.show(4, REQUEST);
  assert.deepEqual(answers, [{
    type: "dialog-shown",
    id: 4,
    shown: { kind: "error", message: "no dialog tool" },
  }]);
  await host.cancelAll();
});
