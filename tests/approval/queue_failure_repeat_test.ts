/**
 * A queue that cannot take requests is explained once per cause on stderr,
 * not at every STEP_UP: a real `thoth run` whose queue folder is broken
 * says the first failure in full (what, where, each hint), the same failure
 * again in one short line counting the calls refused so far, a new cause in
 * full again, and that the queue works again once it takes a request. Every
 * call is refused, and recorded, as before; what the model hears does not
 * change with the count (for a folder the system would not write in, only
 * that the queue could not be written: no path, no system error).
 */
import assert from "node:assert/strict";
import { AppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { QueueFailureNotes } from "../../src/approval/queue_failure_notes.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  queuedId,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";

const FLAGS = blockFlags(30);

/** The number of times `pattern` matches in `text`. */
function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, "g"))].length;
}

/** The text the model reads in the answer to `id`. */
async function answerText(peer: GovernedPeer, id: number): Promise<string> {
  const answer = await peer.wait((m) => m.id === id);
  return answer.result?.content?.[0]?.text ?? JSON.stringify(answer);
}

/** Sends a STEP_UP call `id` and waits for thoth's answer to it. */
async function stepUp(peer: GovernedPeer, id: number): Promise<string> {
  await peer.send(toolCall(id, "delete_everything", { x: id }));
  return await answerText(peer, id);
}

const FULL_FILE =
  /error: the approval queue cannot take the request: the approval queue "[^"]*" is a file, not a folder/;
const HINT_MOVE = /hint: move what is there aside, and thoth makes a new private queue folder/;
const SAME =
  /error: the approval queue still cannot take requests \(same cause as above\); (\d+) calls refused so far/;
const MODEL_UNWRITABLE =
  /the queue approval channel failed \(the approval queue could not be written; the person at the machine sees why in the client's log\)/;
const MODEL_FILE =
  /the queue approval channel failed \(the approval queue "…" is a file, not a folder, so no request can wait there\)/;

Deno.test("a queue folder that is a file is explained in full once, then counted; every call is still refused", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  await Deno.writeTextFile(`${peer.home}/approvals`, "not a folder");
  const texts: string[] = [];
  try {
    for (const id of [1, 2, 3]) texts.push(await stepUp(peer, id));
    await peer.waitStderr(/3 calls refused so far/);
  } finally {
    await peer.finish();
  }
  const stderr = peer.stderr;
  assert.equal(count(stderr, FULL_FILE), 1, stderr);
  assert.equal(count(stderr, HINT_MOVE), 1, stderr);
  assert.deepEqual(
    [...stderr.matchAll(new RegExp(SAME.source, "g"))].map((m) => m[1]),
    ["2", "3"],
    stderr,
  );
  // What the model hears is the full reason, at every call, as before.
  for (const text of texts) assert.match(text, MODEL_FILE);
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  const approvals = await auditRecords(peer.home, "approval");
  assert.equal(approvals.length, 3);
  for (const approval of approvals) {
    assert.equal(approval.outcome, approvals[0].outcome);
    assert.notEqual(approval.outcome, "approved");
    assert.match(approval.reason, /is a file, not a folder/);
  }
});

Deno.test("a new cause is explained in full again, and a queue that works again says so", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  const dir = `${peer.home}/approvals`;
  await Deno.writeTextFile(dir, "not a folder");
  try {
    assert.match(await stepUp(peer, 1), MODEL_FILE);
    assert.match(await stepUp(peer, 2), MODEL_FILE);
    // Another cause: a link to nowhere where the folder goes.
    await Deno.remove(dir);
    await Deno.symlink(`${peer.home}/nowhere`, dir);
    // A folder the system would not make: the model hears no path or system error.
    assert.match(await stepUp(peer, 3), MODEL_UNWRITABLE);
    assert.match(await stepUp(peer, 4), MODEL_UNWRITABLE);
    await peer.waitStderr(/4 calls refused so far/);
    // Mended: the next call waits in the queue, and stderr says the queue works again.
    await Deno.remove(dir);
    await peer.send(toolCall(5, "delete_everything", { x: 5 }));
    const id = await queuedId(peer);
    const denied = await thothCli(peer.home, ["approvals", "deny", id]);
    assert.equal(denied.code, 0, denied.stderr);
    assert.match(await answerText(peer, 5), /denied it/);
    // Broken again: explained in full again, the count starting over.
    await Deno.remove(dir, { recursive: true });
    await Deno.writeTextFile(dir, "not a folder");
    assert.match(await stepUp(peer, 6), MODEL_FILE);
    assert.match(await stepUp(peer, 7), MODEL_FILE);
    await peer.waitStderr(/takes requests again[^]*2 calls refused so far/);
  } finally {
    await peer.finish();
  }
  const stderr = peer.stderr;
  assert.equal(count(stderr, FULL_FILE), 2, stderr);
  assert.equal(
    count(
      stderr,
      /error: the approval queue cannot take the request, now for another reason: cannot create the approval queue folder/,
    ),
    1,
    stderr,
  );
  assert.deepEqual(
    [...stderr.matchAll(new RegExp(SAME.source, "g"))].map((m) => m[1]),
    ["2", "4", "2"],
    stderr,
  );
  assert.equal(
    count(
      stderr,
      /the approval queue takes requests again; 4 calls were refused while it could not/,
    ),
    1,
    stderr,
  );
  // The recovery is said before the note of the request that waits.
  assert.ok(stderr.indexOf("takes requests again") < stderr.indexOf("waits for approval"), stderr);
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  assert.equal((await auditRecords(peer.home, "approval")).length, 7);
});

/**
 * Makes `dir` a folder no file can be made in, even by root (an immutable
 * folder, where the system allows it); returns how to undo it, or undefined
 * when this machine allows neither.
 */
async function unwritable(dir: string): Promise<(() => Promise<void>) | undefined> {
  await Deno.mkdir(dir, { mode: 0o700 });
  if (Deno.uid() !== 0) {
    await Deno.chmod(dir, 0o500);
    return () => Deno.chmod(dir, 0o700);
  }
  const chattr = (flag: string) =>
    new Deno.Command("chattr", { args: [flag, dir], stdout: "null", stderr: "null" }).output()
      .then((out) => out.success, () => false);
  if (!(await chattr("+i"))) return undefined;
  return async () => {
    await chattr("-i");
  };
}

/** Whether this machine lets a test make a folder unwritable to its own user. */
async function canMakeUnwritable(): Promise<boolean> {
  const dir = `${await tempFolder("thoth-queue-lock-")}/probe`;
  const undo = await unwritable(dir);
  if (undo === undefined) return false;
  try {
    await Deno.writeTextFile(`${dir}/x`, "");
    return false;
  } catch {
    return true;
  } finally {
    await undo();
  }
}

Deno.test({
  name: "a queue folder no file can be made in is explained once with a remedy, then counted",
  ignore: !(await canMakeUnwritable()),
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
    const undo = (await unwritable(`${peer.home}/approvals`))!;
    const texts: string[] = [];
    try {
      for (const id of [1, 2, 3]) texts.push(await stepUp(peer, id));
      await peer.waitStderr(/3 calls refused so far/);
    } finally {
      await undo();
      await peer.finish();
    }
    const stderr = peer.stderr;
    assert.equal(count(stderr, /error: the approval queue cannot take the request: /), 1, stderr);
    if (Deno.uid() === 0) {
      // Immutable: chmod would not help, nor would moving it aside.
      assert.equal(
        count(stderr, /hint: the system refuses new files in "[^"]*approvals" whatever its mode/),
        1,
        stderr,
      );
      assert.equal(count(stderr, /chmod 700/), 0, stderr);
    } else {
      assert.equal(
        count(
          stderr,
          /hint: let the user thoth runs as write in the queue folder: chmod 700 "[^"]*approvals"/,
        ),
        1,
        stderr,
      );
      assert.equal(count(stderr, HINT_MOVE), 1, stderr);
    }
    assert.deepEqual(
      [...stderr.matchAll(new RegExp(SAME.source, "g"))].map((m) => m[1]),
      ["2", "3"],
      stderr,
    );
    for (const text of texts) assert.match(text, MODEL_UNWRITABLE);
    assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
    assert.equal((await auditRecords(peer.home, "approval")).length, 3);
  },
});

Deno.test("QueueFailureNotes counts failures that differ only in the request's own file names as one cause", () => {
  const said = new QueueFailureNotes();
  const denied = (suffix: string) =>
    new AppError(
      "approval.queue_unusable",
      `Permission denied (os error 13): open '/p/approvals/.tmp-${suffix}'`,
      { hints: ["chmod it"] },
    );
  assert.deepEqual(said.failed(denied("0a1b2c3d4e5f")), [
    "error: the approval queue cannot take the request: Permission denied (os error 13): " +
    "open '/p/approvals/.tmp-0a1b2c3d4e5f'",
    "hint: chmod it",
  ]);
  assert.deepEqual(said.failed(denied("ffffffffffff")), [
    "error: the approval queue still cannot take requests (same cause as above); 2 calls refused so far",
  ]);
  const link = (id: string) =>
    new AppError(
      "approval.queue_write_failed",
      `cannot write "/p/approvals/${id}.request.json": x`,
    );
  assert.deepEqual(said.failed(link("abcdefgh")), [
    'error: the approval queue cannot take the request, now for another reason: cannot write "' +
    '/p/approvals/abcdefgh.request.json": x',
  ]);
  assert.match(said.failed(link("zyxwvuts"))[0]!, /same cause as above\); 4 calls/);
  // A plain error is weighed by its name and words too.
  assert.match(said.failed(new Error("disk full"))[0]!, /now for another reason: disk full/);
  assert.deepEqual(said.queued(), [
    "the approval queue takes requests again; 5 calls were refused while it could not",
  ]);
  assert.deepEqual(said.queued(), [], "said once");
  assert.deepEqual(said.failed(new Error("disk full")), [
    "error: the approval queue cannot take the request: disk full",
  ]);
});
