/**
 * A real `thoth run` whose approval queue folder takes no file: on a
 * read-only mount, or refused whatever its mode (an immutable folder, for
 * root) or by its mode (for another user). stderr names the folder, the
 * system's words and the remedy that fits (move the profile with THOTH_HOME
 * for a read-only file system, not `chmod`); the model hears only that the
 * approval queue could not be written: no path of this machine's profile,
 * no system error.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  toolCall,
} from "./_governed_peer.ts";
import { canLockFolders, lockFolder } from "./_unwritable_folder.ts";
import { tempFolder } from "../_temp_dirs.ts";

const MODEL_WORDS =
  "the approval queue could not be written; the person at the machine sees why in the client's log";

/** Runs `mount` (or `umount`) with `args`; whether it worked. */
function mount(command: "mount" | "umount", args: string[]): Promise<boolean> {
  return new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output()
    .then((out) => out.success, () => false);
}

/**
 * Makes `dir` a read-only bind mount of itself; returns how to undo it, or
 * undefined when this machine does not let the test mount (not root, no
 * `mount`, a container without the right).
 */
async function readOnlyMount(dir: string): Promise<(() => Promise<void>) | undefined> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return undefined;
  if (!(await mount("mount", ["--bind", dir, dir]))) return undefined;
  const undo = async () => {
    await mount("umount", [dir]);
  };
  if (!(await mount("mount", ["-o", "remount,bind,ro", dir]))) {
    await undo();
    return undefined;
  }
  return undo;
}

/** Whether {@linkcode readOnlyMount} works here and stops a write (a probe in a temp folder). */
async function canMountReadOnly(): Promise<boolean> {
  const dir = `${await tempFolder("thoth-ro-probe-")}/probe`;
  await Deno.mkdir(dir);
  const undo = await readOnlyMount(dir);
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

/** The text the model reads in thoth's answer to a STEP_UP call `id`. */
async function stepUp(peer: GovernedPeer, id: number): Promise<string> {
  await peer.send(toolCall(id, "delete_everything", { x: id }));
  const answer = await peer.wait((m) => m.id === id, 30_000);
  assert.equal(answer.result?.isError, true, JSON.stringify(answer));
  return answer.result.content[0].text;
}

/** Asserts what the model heard names no path and no system error, only the generic words. */
function assertModelWords(text: string, home: string): void {
  assert.ok(text.includes(MODEL_WORDS), text);
  assert.ok(!text.includes(home), `no profile path for the model: ${text}`);
  assert.doesNotMatch(text, /os error|approvals\/|\.tmp-|Read-only|not permitted|denied \(/i);
}

Deno.test({
  name:
    "a queue folder on a read-only mount: stderr says to move THOTH_HOME, the model hears no path",
  ignore: !(await canMountReadOnly()),
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(30) });
    const dir = `${peer.home}/approvals`;
    await Deno.mkdir(dir, { mode: 0o700 });
    const undo = await readOnlyMount(dir);
    assert.ok(undo !== undefined);
    let text: string;
    try {
      text = await stepUp(peer, 1);
    } finally {
      await undo();
      await peer.finish();
    }
    assertModelWords(text, peer.home);
    const stderr = peer.stderr;
    assert.match(
      stderr,
      /error: the approval queue cannot take the request: cannot make a file in the approval queue folder "[^"]*approvals": Read-only file system \(os error 30\)/,
    );
    assert.match(
      stderr,
      /hint: the profile "[^"]*" is on a read-only file system: move it with THOTH_HOME to a folder you own/,
    );
    assert.doesNotMatch(stderr, /chmod/, "no chmod for a read-only file system");
    assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
    const [approval] = await auditRecords(peer.home, "approval");
    assert.notEqual(approval?.outcome, "approved");
    assert.ok(!JSON.stringify(approval).includes(peer.home), "the record names no path either");
  },
});

Deno.test({
  name:
    "a queue folder the system refuses files in: the remedy fits the cause, the model hears no path",
  ignore: Deno.build.os !== "linux" || !(await canLockFolders()),
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(30) });
    const dir = `${peer.home}/approvals`;
    await Deno.mkdir(dir, { mode: 0o700 });
    // Root: an immutable folder (EPERM, whatever the mode); another user: mode 0500 (EACCES).
    const undo = await lockFolder(dir);
    assert.ok(undo !== undefined);
    let text: string;
    try {
      text = await stepUp(peer, 1);
    } finally {
      await undo();
      await peer.finish();
    }
    assertModelWords(text, peer.home);
    const stderr = peer.stderr;
    assert.match(
      stderr,
      /error: the approval queue cannot take the request: cannot make a file in the approval queue folder "[^"]*approvals": /,
    );
    if (Deno.uid() === 0) {
      assert.match(stderr, /Operation not permitted \(os error 1\)/);
      assert.match(
        stderr,
        /hint: the system refuses new files in "[^"]*approvals" whatever its mode \(an immutable folder/,
      );
      assert.doesNotMatch(stderr, /chmod 700/, "chmod does not lift an immutable folder");
    } else {
      assert.match(stderr, /hint: let the user thoth runs as write in the queue folder: chmod 700/);
    }
    assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  },
});
