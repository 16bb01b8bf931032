/**
 * The remedy for a queue folder the system would not write in is chosen by
 * why it said no, and the model hears none of it: a read-only file system
 * or a full disk needs the profile moved (or space), a write refused
 * whatever the mode (`EPERM`) needs that lifted, and only a refused
 * permission (`EACCES`) is mended with chmod. Errors as Deno throws them
 * (the class and the `code`), no disk touched.
 */
import assert from "node:assert/strict";
import {
  QUEUE_UNWRITABLE_FOR_MODEL,
  queueUnwritable,
  queueWriteError,
} from "../../src/approval/queue_write_problem.ts";
import { AppError } from "../../src/errors.ts";

const DIR = "/p/.thoth/approvals";

/** A Deno file error of class `kind`, with the system's `code` and words. */
function osError(kind: new (message: string) => Error, code: string, words: string): Error {
  return Object.assign(new kind(`${words}: open '${DIR}/.tmp-0a1b2c3d4e5f'`), { code });
}

const READ_ONLY = osError(Error, "EROFS", "Read-only file system (os error 30)");
const NOT_PERMITTED = osError(
  Deno.errors.PermissionDenied,
  "EPERM",
  "Operation not permitted (os error 1)",
);
const DENIED = osError(Deno.errors.PermissionDenied, "EACCES", "Permission denied (os error 13)");
const FULL = osError(Error, "ENOSPC", "No space left on device (os error 28)");

Deno.test("queueWriteError() on a read-only file system says to move the profile with THOTH_HOME, not chmod", () => {
  const error = queueWriteError(READ_ONLY, DIR, "cannot make a file in");
  assert.equal(error.code, "approval.queue_unusable");
  assert.equal(
    error.message,
    `cannot make a file in the approval queue folder "${DIR}": Read-only file system ` +
      `(os error 30): open '${DIR}/.tmp-0a1b2c3d4e5f'`,
  );
  assert.deepEqual(error.hints, [
    'the profile "/p/.thoth" is on a read-only file system: move it with THOTH_HOME to a ' +
    "folder you own on a disk thoth can write to, then run again",
  ]);
});

Deno.test("queueWriteError() on a write refused whatever the mode (EPERM) says to lift that, not chmod", () => {
  const { hints } = queueWriteError(NOT_PERMITTED, DIR, "cannot make a file in");
  assert.equal(hints.length, 1);
  assert.match(hints[0]!, /refuses new files in "\/p\/\.thoth\/approvals" whatever its mode/);
  assert.match(hints[0]!, /lsattr -d "\/p\/\.thoth\/approvals"/);
  assert.match(hints[0]!, /move the profile "\/p\/\.thoth" elsewhere with THOTH_HOME/);
  assert.doesNotMatch(hints.join("\n"), /chmod/);
});

Deno.test("queueWriteError() on a refused permission (EACCES) keeps chmod and the move-aside remedy", () => {
  assert.deepEqual(queueWriteError(DENIED, DIR, "cannot make a file in").hints, [
    `let the user thoth runs as write in the queue folder: chmod 700 "${DIR}"`,
    `move what is there aside, and thoth makes a new private queue folder on its next ` +
    `request: mv "${DIR}" "${DIR}.broken"`,
  ]);
});

Deno.test("queueWriteError() on a full disk says to free space or move the profile", () => {
  const error = queueWriteError(FULL, DIR, "cannot write a file in", {
    code: "approval.queue_write_failed",
  });
  assert.equal(error.code, "approval.queue_write_failed");
  assert.deepEqual(error.hints, [
    'free space on the disk that holds the profile "/p/.thoth", or move the profile ' +
    "elsewhere with THOTH_HOME, then run again",
  ]);
});

Deno.test("queueUnwritable(): a write the system refused gets the model's generic words, which name no path", () => {
  for (const cause of [READ_ONLY, NOT_PERMITTED, DENIED, FULL]) {
    assert.equal(queueUnwritable(queueWriteError(cause, DIR, "cannot make a file in")), true);
    assert.equal(queueUnwritable(cause), true, "a system error no one worded");
  }
  // A folder that is a file, an unsafe folder, a missing key: worded for the model already.
  for (const code of ["approval.queue_not_folder", "approval.queue_unsafe"] as const) {
    assert.equal(queueUnwritable(new AppError(code, "x")), false);
  }
  assert.doesNotMatch(QUEUE_UNWRITABLE_FOR_MODEL, /\/|os error/);
  assert.equal(
    QUEUE_UNWRITABLE_FOR_MODEL,
    "the approval queue could not be written; the person at the machine sees why in the " +
      "client's log",
  );
});
