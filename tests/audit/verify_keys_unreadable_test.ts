/**
 * `thoth audit verify` names why it could not read the signing keys list:
 * permission denied (with the chmod that gives its owner access back, or
 * run as that owner), a file that is not there, one that is not a regular
 * file, and only for a file it read and could not parse "not valid JSON".
 */
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { readListedKeys } from "../../src/audit/listed_keys.ts";
import { isAppError } from "../../src/errors.ts";
import { sampleLog } from "./_log_helpers.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "../cli/_thoth_as_nobody.ts";

const POSIX = Deno.build.os !== "windows";
const ROOT = POSIX && Deno.uid() === 0;

const keysFile = (home: string) => `${home}/keys/audit-signing-keys.json`;

async function keysError(path: string): Promise<{ message: string; hint: string }> {
  try {
    await readListedKeys(path);
  } catch (error) {
    assert.ok(isAppError(error, "audit.bad_keys"), String(error));
    return { message: error.message, hint: error.hints[0] ?? "" };
  }
  throw new Error(`reading "${path}" did not fail`);
}

Deno.test("a keys file that does not parse is not valid JSON", async () => {
  const home = await sampleLog(1, 2);
  await Deno.writeTextFile(keysFile(home), "garbage\n");
  const error = await keysError(keysFile(home));
  assert.match(error.message, /: it is not valid JSON$/);
  assert.match(error.hint, /restore the keys file from a backup/);
});

Deno.test("a keys path under a file is missing, not invalid JSON", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(`${home}/keys`, { recursive: true });
  await Deno.writeTextFile(`${home}/keys`, "not a folder\n");
  const error = await keysError(keysFile(home));
  assert.doesNotMatch(error.message, /not valid JSON/);
});

Deno.test("a folder in place of the keys file is named as one, not as invalid JSON", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(keysFile(home));
  await Deno.mkdir(keysFile(home));
  const error = await keysError(keysFile(home));
  assert.doesNotMatch(error.message, /not valid JSON/);
});

Deno.test({
  name: "a keys file this user may not read is permission denied, with the chmod",
  // Root reads a mode-000 file: the case runs as another user below.
  ignore: !POSIX || ROOT,
  fn: async () => {
    const home = await sampleLog(1, 2);
    await Deno.chmod(keysFile(home), 0o000);
    try {
      const error = await keysError(keysFile(home));
      assert.match(error.message, /: permission denied$/);
      assert.match(error.hint, /run the command as the user who owns the profile/);
      assert.match(error.hint, new RegExp(`chmod u\\+rw '${keysFile(home)}'`));
      await assert.rejects(() => verifyLocalLog(home), /permission denied/);
    } finally {
      await Deno.chmod(keysFile(home), 0o600);
    }
  },
});

Deno.test({
  name:
    "thoth audit verify, as the profile's owner, says permission denied for a keys file of 0000",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const home = await sampleLog(1, 2);
    await Deno.mkdir(`${home}/hm`);
    const chown = await new Deno.Command("chown", {
      args: ["-R", `${NOBODY.uid}:${NOBODY.gid}`, home],
    }).output();
    assert.ok(chown.success, new TextDecoder().decode(chown.stderr));
    await Deno.chmod(keysFile(home), 0o000);
    const run = await thothAsNobody(["audit", "verify"], {
      env: { HOME: `${home}/hm`, THOTH_HOME: home },
    });
    assert.notEqual(run.code, 0, run.out);
    assert.match(
      run.err,
      new RegExp(`cannot read the signing keys "${keysFile(home)}": permission denied\\n`),
    );
    assert.doesNotMatch(run.err, /not valid JSON/);
    assert.match(run.err, new RegExp(`hint: .*chmod u\\+rw '${keysFile(home)}'`));
  },
});
