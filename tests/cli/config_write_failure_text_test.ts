/**
 * What wrap-config says when the disk holding a config is full, and that no
 * message of the config commands (nor `audit verify`) shows a system error
 * with the `Error:` or class name (`FilesystemLoop:`) that `String(error)`
 * puts first. The full disk is real: a 64 KiB tmpfs (mounted by root, on
 * Linux; elsewhere those tests are skipped), filled up to the last 4 KiB page
 * or to the last byte.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const CONFIG = JSON.stringify({ mcpServers: { fs: { command: "node", args: ["x.js"] } } }) + "\n";
const WRAP = ["wrap-config", "--tenant-id", "acme", "--thoth-path", THOTH];

async function run(cmd: string, ...args: string[]): Promise<boolean> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()
    .catch(() => undefined);
  return out?.success === true;
}

/** Mounts a 64 KiB tmpfs (only root on Linux may), runs `fn` in it, unmounts it. */
async function withTmpfs(fn: (mnt: string) => Promise<void>): Promise<void> {
  const mnt = await Deno.makeTempDir({ prefix: "thoth_full_" });
  try {
    assert.ok(await run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mnt));
    try {
      await fn(mnt);
    } finally {
      await run("umount", mnt);
    }
  } finally {
    await Deno.remove(mnt, { recursive: true });
  }
}

/** Fills the file system holding `dir` in 4 KiB blocks, leaving `leave` of them free. */
async function fill(dir: string, leave: number): Promise<void> {
  const file = await Deno.open(`${dir}/fill`, { write: true, createNew: true });
  try {
    const block = new Uint8Array(4096);
    for (;;) await file.write(block);
  } catch (error) {
    assert.equal((error as { code?: string }).code, "ENOSPC");
  } finally {
    file.close();
  }
  const size = (await Deno.stat(`${dir}/fill`)).size;
  await Deno.truncate(`${dir}/fill`, Math.max(0, size - leave * 4096));
}

const canMount = Deno.build.os === "linux" && Deno.uid() === 0 &&
  await (async () => {
    try {
      await withTmpfs(() => Promise.resolve());
      return true;
    } catch {
      return false;
    }
  })();

const names = (dir: string) => [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();

Deno.test({
  name: "wrap-config on a full disk says to free space on it, not to make the file writable",
  ignore: !canMount,
  fn: () =>
    inTempDir((dir) =>
      withTmpfs(async (mnt) => {
        const folder = `${mnt}/clients`;
        await Deno.mkdir(folder);
        await Deno.writeTextFile(`${folder}/c.json`, CONFIG);
        await fill(mnt, 0);
        const wrap = await thoth([...WRAP, `${folder}/c.json`], { cwd: dir });
        assert.equal(wrap.code, 1, wrap.out + wrap.err);
        assert.match(
          wrap.err,
          /^thoth: error: cannot write ".*\/clients\/c\.json": No space left on device/m,
        );
        const hints = wrap.err.split("\n").filter((line) => line.startsWith("thoth: hint: "));
        assert.deepEqual(hints, [
          `thoth: hint: nothing was changed; free space on the disk holding "${folder}", then ` +
          "run the command again, or pass --output FILE on another disk",
        ]);
        assert.equal(await Deno.readTextFile(`${folder}/c.json`), CONFIG);
        assert.deepEqual(names(folder), ["c.json"]);
      })
    ),
});

Deno.test({
  name:
    "wrap-config whose backup finds the disk full says so without an Error: prefix, and to free space",
  ignore: !canMount,
  fn: () =>
    inTempDir((dir) =>
      withTmpfs(async (mnt) => {
        const folder = `${mnt}/clients`;
        await Deno.mkdir(folder);
        await Deno.writeTextFile(`${folder}/c.json`, CONFIG);
        // One page free: the new file is staged, its backup finds no room.
        await fill(mnt, 1);
        const wrap = await thoth([...WRAP, "--json", `${folder}/c.json`], { cwd: dir });
        assert.equal(wrap.code, 1, wrap.out + wrap.err);
        const error = `cannot write backup "${folder}/c.json.thoth-backup": No space left on ` +
          "device (os error 28)";
        assert.match(wrap.err, new RegExp(`^thoth: error: ${RegExp.escape(error)}$`, "m"));
        assert.doesNotMatch(wrap.err, /Error: No space/);
        const hint = `nothing was changed, and no backup was left; free space on the disk ` +
          `holding "${folder}", then run the command again, or pass --output FILE on another disk`;
        const doc = JSON.parse(wrap.out);
        assert.equal(doc.error.message, error);
        assert.deepEqual(doc.error.hints, [hint]);
        assert.equal(doc.files[0].outcome, "failed");
        assert.equal(await Deno.readTextFile(`${folder}/c.json`), CONFIG);
        assert.deepEqual(names(folder), ["c.json"]);
      })
    ),
});

Deno.test("wrap-config that cannot look at a backup path shows the system's words, no Error: prefix", () =>
  inTempDir(async (dir) => {
    // A name that fits, whose backup's name is one too long for the file system.
    const path = `${dir}/${"c".repeat(245)}.json`;
    await Deno.writeTextFile(path, CONFIG);
    const wrap = await thoth([...WRAP, path], { cwd: dir });
    assert.equal(wrap.code, 1, wrap.out + wrap.err);
    assert.match(
      wrap.err,
      /^thoth: error: cannot look at backup ".*\.json\.thoth-backup": File name too long/m,
    );
    assert.equal(await Deno.readTextFile(path), CONFIG);
  }));

Deno.test("wrap-config whose backup name is too long says to shorten the name, not to make the folder readable", () =>
  inTempDir(async (dir) => {
    // A name that fits, whose backup's name is one too long for the file system.
    const path = `${dir}/${"c".repeat(245)}.json`;
    await Deno.writeTextFile(path, CONFIG);
    const wrap = await thoth([...WRAP, "--json", path], { cwd: dir });
    assert.equal(wrap.code, 1, wrap.out + wrap.err);
    const hint = "nothing was changed; the backup's name, the config's with \".thoth-backup\" " +
      "added, is longer than the file system allows a name to be: give the config a shorter " +
      "name and run the command on it, or pass --output FILE with a shorter name";
    const hints = wrap.err.split("\n").filter((line) => line.startsWith("thoth: hint: "));
    assert.deepEqual(hints, [`thoth: hint: ${hint}`]);
    assert.deepEqual(JSON.parse(wrap.out).error.hints, [hint]);
    assert.doesNotMatch(wrap.err, /readable/);
    assert.deepEqual(names(dir), [`${"c".repeat(245)}.json`]);
    assert.equal(await Deno.readTextFile(path), CONFIG);
  }));

Deno.test("wrap-config and status on a config that is a loop of links name the loop, not FilesystemLoop:", () =>
  inTempDir(async (dir) => {
    await Deno.symlink(`${dir}/b.json`, `${dir}/a.json`);
    await Deno.symlink(`${dir}/a.json`, `${dir}/b.json`);
    for (const args of [[...WRAP, `${dir}/a.json`], ["status", "--config", `${dir}/a.json`]]) {
      const result = await thoth(args, { cwd: dir });
      assert.equal(result.code, 1, result.out + result.err);
      assert.match(
        result.err,
        /^thoth: error: cannot read config ".*\/a\.json": Too many levels of symbolic links/m,
      );
      assert.doesNotMatch(result.err, /FilesystemLoop/);
    }
  }));

Deno.test("thoth audit verify on an audit folder it cannot list names why, not the error's class", async () => {
  const home = await tempFolder("thoth-verify-loop-");
  const thothHome = `${home}/.thoth`;
  await Deno.mkdir(thothHome, { mode: 0o700 });
  await Deno.writeTextFile(`${thothHome}/intent_map.json`, "{}\n");
  await Deno.mkdir(`${thothHome}/sessions`, { mode: 0o700 });
  await Deno.symlink(`${thothHome}/loop`, `${thothHome}/audit`);
  await Deno.symlink(`${thothHome}/audit`, `${thothHome}/loop`);
  const verify = await runThoth(["audit", "verify"], {
    env: { HOME: home, THOTH_HOME: thothHome, NO_COLOR: "1" },
    cwd: home,
  });
  assert.equal(verify.code, 3, verify.out + verify.err);
  assert.match(
    verify.err,
    /^thoth: error: cannot read the audit log: Too many levels of symbolic links/m,
  );
  assert.doesNotMatch(verify.err, /FilesystemLoop/);
});
