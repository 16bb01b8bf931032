/**
 * bootstrapProfile() on a disk that says no: a full one (a real 64 KiB tmpfs)
 * must leave no empty intent map behind for every later run to trip on, and
 * each reason (no space, read-only, permission) gets its own hint.
 */
import assert from "node:assert/strict";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { profileSetupHint, profileSetupProblem } from "../../src/identity/profile_setup_hint.ts";
import { isAppError } from "../../src/errors.ts";

async function run(cmd: string, ...args: string[]): Promise<boolean> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()
    .catch(() => undefined);
  return out?.success === true;
}

/** Mounts a small tmpfs (only root on Linux may), runs `fn` in it, unmounts it. */
async function withTmpfs(options: string, fn: (mnt: string) => Promise<void>): Promise<void> {
  const mnt = await Deno.makeTempDir({ prefix: "thoth_tmpfs_" });
  try {
    assert.ok(await run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mnt), "mount tmpfs");
    try {
      await fn(mnt);
    } finally {
      await run("umount", mnt);
    }
  } finally {
    await Deno.remove(mnt, { recursive: true });
  }
}

/** Fills the file system holding `dir` up to the last byte. */
async function fill(dir: string): Promise<void> {
  const file = await Deno.open(`${dir}/fill`, { write: true, createNew: true });
  try {
    const block = new Uint8Array(4096);
    for (;;) await file.write(block);
  } catch (error) {
    assert.equal((error as { code?: string }).code, "ENOSPC");
  } finally {
    file.close();
  }
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

const canMount = Deno.build.os === "linux" && Deno.uid() === 0 &&
  await (async () => {
    try {
      await withTmpfs("size=64k,mode=0700", () => Promise.resolve());
      return true;
    } catch {
      return false;
    }
  })();

Deno.test({
  name:
    "bootstrapProfile() on a full disk leaves no intent map, says to free space, and works once there is some",
  ignore: !canMount,
  fn: () =>
    withTmpfs("size=64k,mode=0700", async (mnt) => {
      const home = `${mnt}/home`;
      await Deno.mkdir(home, { mode: 0o700 });
      await fill(mnt);
      const error = await bootstrapProfile(home, Deno.build.os).then(() => undefined, (e) => e);
      // No empty intent map, and no temp file beside where it would go.
      assert.deepEqual(names(home), ["sessions"]);
      assert.ok(isAppError(error, "io.profile"), String(error));
      assert.match(error.message, /intent_map\.json"\): No space left on device/);
      assert.deepEqual(error.hints, [
        `free space on the disk that holds the profile "${home}", or move the profile ` +
        "elsewhere with THOTH_HOME, then run again",
      ]);

      // Space freed: the next run sets the profile up.
      await Deno.remove(`${mnt}/fill`);
      const { created } = await bootstrapProfile(home, Deno.build.os);
      assert.deepEqual(created, [`${home}/intent_map.json`]);
      assert.equal(await Deno.readTextFile(`${home}/intent_map.json`), "{}\n");
      assert.equal((await Deno.stat(`${home}/intent_map.json`)).mode! & 0o777, 0o600);
      assert.deepEqual(names(home), ["intent_map.json", "sessions"]);

      // A profile already set up needs no space: a full disk does not stop it.
      await fill(mnt);
      assert.deepEqual(await bootstrapProfile(home, Deno.build.os), { created: [], notices: [] });
      assert.equal(await Deno.readTextFile(`${home}/intent_map.json`), "{}\n");
    }),
});

Deno.test({
  name: "bootstrapProfile() on a read-only file system says to move the profile, not to own it",
  ignore: !canMount,
  fn: () =>
    withTmpfs("size=64k,mode=0700", async (mnt) => {
      const home = `${mnt}/home`;
      await Deno.mkdir(home, { mode: 0o700 });
      assert.ok(await run("mount", "-o", "remount,ro", mnt), "remount read-only");
      const readOnly = `the profile "${home}" is on a read-only file system: move it with ` +
        "THOTH_HOME to a folder you own on a disk thoth can write to, then run again";
      await assert.rejects(bootstrapProfile(home, Deno.build.os), (e) => {
        assert.ok(isAppError(e, "io.profile"));
        assert.match(e.message, /\(at ".*\/sessions"\): Read-only file system/);
        assert.deepEqual(e.hints, [readOnly]);
        return true;
      });
      // The profile folder itself cannot be made there either: the same hint.
      await assert.rejects(bootstrapProfile(`${mnt}/other`, Deno.build.os), (e) => {
        assert.ok(isAppError(e, "io.profile"));
        assert.deepEqual(e.hints, [readOnly.replace(home, `${mnt}/other`)]);
        return true;
      });
      assert.deepEqual(names(mnt), ["home"]);
      assert.deepEqual(names(home), []);
    }),
});

Deno.test("profileSetupHint() follows the reason the file system gave", () => {
  const home = "/home/ana/.thoth";
  const at = `${home}/intent_map.json`;
  const osError = (code: string, text: string) => Object.assign(new Error(text), { code });
  const cases: [unknown, string][] = [
    [
      osError("ENOSPC", "No space left on device (os error 28)"),
      `free space on the disk that holds the profile "${home}", or move the profile ` +
      "elsewhere with THOTH_HOME, then run again",
    ],
    [
      osError("EDQUOT", "Disk quota exceeded (os error 122)"),
      `free space on the disk that holds the profile "${home}", or move the profile ` +
      "elsewhere with THOTH_HOME, then run again",
    ],
    [
      osError("EROFS", "Read-only file system (os error 30)"),
      `the profile "${home}" is on a read-only file system: move it with THOTH_HOME ` +
      "to a folder you own on a disk thoth can write to, then run again",
    ],
    [
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
      `make "${at}" yours (or remove it if you did not put it there), then run again`,
    ],
    [
      osError("EPERM", "Operation not permitted (os error 1)"),
      `make "${at}" yours (or remove it if you did not put it there), then run again`,
    ],
  ];
  for (const [error, hint] of cases) {
    assert.equal(profileSetupHint(profileSetupProblem(error), home, at), hint, String(error));
  }
  assert.equal(
    profileSetupHint(profileSetupProblem(new Deno.errors.PermissionDenied("no")), home, home),
    "set THOTH_HOME to a directory you own, or fix the permissions of this one",
  );
  assert.equal(profileSetupProblem(new Error("something else")), "other");
});
