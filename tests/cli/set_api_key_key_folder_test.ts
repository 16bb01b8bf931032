/**
 * `thoth set-api-key` saves no key into a folder another user can replace it
 * in, when `THOTH_API_KEY_FILE` names one: the rule `thoth doctor` applies to
 * that folder (not the user's or root's, or writable by others without the
 * sticky bit). Nothing is written, and the error names the folder, its mode
 * and the fix.
 */
import assert from "node:assert/strict";
import { replaceableFolderProblem } from "../../src/identity/write_api_key_file.ts";
import {
  AGENT_KEY as KEY,
  CAN_RUN_AS_NOBODY,
  exists,
  NOBODY,
  setApiKeyAsNobody,
  sharedRoot,
} from "./_thoth_as_nobody.ts";

Deno.test("replaceableFolderProblem() refuses what others may write to or own, not /tmp", () => {
  const dir = 0o40000;
  assert.equal(replaceableFolderProblem({ uid: 1000, mode: dir | 0o777 }, 1000), "is 0777");
  assert.equal(replaceableFolderProblem({ uid: 1000, mode: dir | 0o775 }, 1000), "is 0775");
  assert.equal(replaceableFolderProblem({ uid: 0, mode: dir | 0o1777 }, 1000), undefined);
  assert.equal(replaceableFolderProblem({ uid: 1000, mode: dir | 0o755 }, 1000), undefined);
  assert.equal(replaceableFolderProblem({ uid: 0, mode: dir | 0o755 }, 1000), undefined);
  assert.equal(
    replaceableFolderProblem({ uid: 1001, mode: dir | 0o700 }, 1000),
    "is owned by uid 1001, not you (uid 1000) or root",
  );
  assert.equal(replaceableFolderProblem({ uid: null, mode: null }, 1000), undefined);
});

/** A folder of `owner` with `mode` (set after it is made, so the umask has no say). */
async function folder(path: string, mode: number, owner = NOBODY.uid): Promise<string> {
  await Deno.mkdir(path);
  await Deno.chown(path, owner, owner === 0 ? 0 : NOBODY.gid);
  await Deno.chmod(path, mode);
  return path;
}

async function setKeyAsNobody(dir: string, keyFile: string) {
  const home = `${dir}/home`;
  if (!await exists(home)) await folder(home, 0o700);
  return await setApiKeyAsNobody({
    HOME: home,
    THOTH_HOME: `${home}/.thoth`,
    THOTH_API_KEY_FILE: keyFile,
  });
}

Deno.test({
  name: "set-api-key refuses a THOTH_API_KEY_FILE in a folder others may write to, writing nothing",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-key-folder-");
    const open = await folder(`${dir}/open`, 0o777);
    const keyFile = `${open}/key.json`;
    const run = await setKeyAsNobody(dir, keyFile);
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `thoth: error: not saving the API key: the folder of THOTH_API_KEY_FILE, "${open}", ` +
          "is 0777: other users can replace the file in it; nothing was written",
      ),
    );
    assert.ok(run.err.includes(`chmod go-w '${open}'`), run.err);
    assert.equal(run.out, "");
    assert.deepEqual([...Deno.readDirSync(open)], [], "nothing written in the folder");
    assert.equal(await exists(`${dir}/home/.thoth`), false, "no profile made");

    // The fix the error gives is enough.
    await Deno.chmod(open, 0o755);
    const fixed = await setKeyAsNobody(dir, keyFile);
    assert.equal(fixed.code, 0, fixed.err);
    assert.equal(JSON.parse(await Deno.readTextFile(keyFile)).api_key, KEY);
  },
});

Deno.test({
  name:
    "set-api-key refuses a THOTH_API_KEY_FILE folder another user owns, and one reached by a link",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-key-folder-");
    const theirs = await folder(`${dir}/theirs`, 0o777, 4242);
    const run = await setKeyAsNobody(dir, `${theirs}/key.json`);
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /"[^"]*\/theirs", is owned by uid 4242, not you \(uid 65534\) or root/);
    assert.match(run.err, /hint: set THOTH_API_KEY_FILE to a file in a folder only you/);
    assert.deepEqual([...Deno.readDirSync(theirs)], []);

    // A link of the user's own to an open folder: where the file really goes is judged.
    const open = await folder(`${dir}/open`, 0o777);
    const mine = await folder(`${dir}/mine`, 0o755);
    await Deno.symlink(open, `${mine}/via`);
    const linked = await setKeyAsNobody(dir, `${mine}/via/key.json`);
    assert.equal(linked.code, 1, linked.err);
    assert.match(linked.err, /is 0777: other users can replace the file in it/);
    assert.deepEqual([...Deno.readDirSync(open)], []);
  },
});

Deno.test({
  name: "set-api-key saves to a THOTH_API_KEY_FILE in a sticky folder such as /tmp",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-key-folder-");
    const sticky = await folder(`${dir}/sticky`, 0o1777, 0);
    const keyFile = `${sticky}/key.json`;
    const run = await setKeyAsNobody(dir, keyFile);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /saved API key .* \(mode 0600\)/);
    assert.equal(((await Deno.stat(keyFile)).mode ?? 0) & 0o777, 0o600);
  },
});
