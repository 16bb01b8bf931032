/**
 * A thoth killed while a kdialog text window was open leaves that window's
 * question (the command, its paths) in the temp folder. The first text
 * window a dialog runner opens removes such folders: only this user's
 * `thoth-approval-*` folders that hold only a question, older than the
 * longest approval timeout.
 */
import assert from "node:assert/strict";
import { localDialogRunner } from "../../src/approval/dialog_runner.ts";
import {
  removeStaleQuestionFolders,
  STALE_QUESTION_MS,
} from "../../src/approval/stale_question_folders.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { exists, standIn } from "./_kdialog_stand_in.ts";

/** Makes folder `name` in `temp` holding a question, last changed `ageMs` ago. */
async function leftBehind(temp: string, name: string, ageMs: number): Promise<string> {
  const path = `${temp}/${name}`;
  await Deno.mkdir(path, { mode: 0o700 });
  await Deno.writeTextFile(`${path}/question.txt`, "command: rm -rf ~/secret-project");
  const when = new Date(Date.now() - ageMs);
  await Deno.utime(path, when, when);
  return path;
}

const REQUEST = { text: "command: ls", summary: "a summary", seconds: 60, allowSession: false };

Deno.test("the first kdialog text window removes this user's stale question folders, and only those", async () => {
  const bin = await tempFolder("thoth-bin-");
  const temp = await tempFolder("thoth-temp-");
  await standIn(bin, 0, "once");
  const hour = 3_600_000;
  const past = new Date(Date.now() - 2 * hour);
  const stale = await leftBehind(temp, "thoth-approval-a1b2", STALE_QUESTION_MS + 60_000);
  const recent = await leftBehind(temp, "thoth-approval-c3d4", STALE_QUESTION_MS - 60_000);
  const other = await leftBehind(temp, "other-e5f6", 2 * hour);
  // A folder of something else that shares the prefix (a test's profile, say): kept.
  const unlike = await leftBehind(temp, "thoth-approval-home", 2 * hour);
  await Deno.writeTextFile(`${unlike}/policy.jsonc`, "{}");
  await Deno.utime(unlike, past, past);
  await Deno.writeTextFile(`${temp}/thoth-approval-file`, "not a folder");
  await Deno.utime(`${temp}/thoth-approval-file`, past, past);
  await Deno.symlink(other, `${temp}/thoth-approval-link`);
  const run = localDialogRunner({ tool: "kdialog", path: `${bin}/kdialog` }, { PATH: bin }, {
    tempDir: temp,
  });
  const shown = await run(REQUEST, new AbortController().signal);
  assert.deepEqual(shown, { kind: "answered", reading: "approve", code: 0 });
  assert.equal(await exists(stale), false, "left behind past the longest timeout: removed");
  assert.equal(await exists(recent), true, "may still be open in another thoth: kept");
  assert.equal(await exists(`${other}/question.txt`), true, "not thoth's: kept");
  assert.equal(await exists(`${temp}/thoth-approval-file`), true, "not a folder: kept");
  assert.equal(await exists(`${unlike}/policy.jsonc`), true, "not a question's folder: kept");
  assert.equal((await Deno.lstat(`${temp}/thoth-approval-link`)).isSymlink, true, "a link: kept");
  // Once per runner: a later window does not list the temp folder again.
  const later = await leftBehind(temp, "thoth-approval-g7h8", STALE_QUESTION_MS + 60_000);
  await run(REQUEST, new AbortController().signal);
  assert.equal(await exists(later), true);
  assert.equal(await removeStaleQuestionFolders(`${temp}/thoth-approval-own`, Date.now()), 0);
  await Deno.mkdir(`${temp}/thoth-approval-own`);
  assert.equal(await removeStaleQuestionFolders(`${temp}/thoth-approval-own`, Date.now()), 1);
  assert.equal(await exists(later), false);
});
