import assert from "node:assert/strict";
import { setModeNoFollow } from "../../src/platform/handle_mode.ts";
import { atomicWrite } from "../../src/platform/atomic_write.ts";
import { isAppError } from "../../src/errors.ts";
import { withTempDir } from "../doctor/_helpers.ts";

const posix = Deno.build.os !== "windows";
const root = posix && Deno.uid() === 0;
const mode = async (path: string) => ((await Deno.lstat(path)).mode ?? 0) & 0o7777;

Deno.test({
  name: "setModeNoFollow() sets the mode of a file and of a directory",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/f`, "x", { mode: 0o644 });
      await Deno.chmod(`${dir}/f`, 0o644);
      await setModeNoFollow(`${dir}/f`, { kind: "file", mode: 0o600 });
      assert.equal(await mode(`${dir}/f`), 0o600);
      await Deno.mkdir(`${dir}/d`, { mode: 0o755 });
      await Deno.chmod(`${dir}/d`, 0o755);
      await setModeNoFollow(`${dir}/d`, { kind: "directory", mode: 0o700 });
      assert.equal(await mode(`${dir}/d`), 0o700);
    }),
});

Deno.test({
  name:
    "setModeNoFollow() refuses a link, a hard link, a FIFO or the wrong kind, and changes nothing",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const victim = `${dir}/victim`;
      await Deno.writeTextFile(victim, "not yours");
      await Deno.chmod(victim, 0o644);
      await Deno.symlink(victim, `${dir}/link`);
      await Deno.link(victim, `${dir}/hard`);
      await Deno.mkdir(`${dir}/d`);
      const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).output();
      assert.ok(fifo.success, "mkfifo");
      for (
        const [path, kind] of [
          [`${dir}/link`, "file"],
          [`${dir}/hard`, "file"],
          [`${dir}/d`, "file"],
          [victim, "directory"],
          [`${dir}/fifo`, "file"],
        ] as const
      ) {
        await assert.rejects(
          setModeNoFollow(path, { kind, mode: 0o600 }),
          (e) => isAppError(e) && e.code === "io.unsafe_path" && e.message.includes(path),
          path,
        );
      }
      assert.equal(await mode(victim), 0o644);
    }),
});

Deno.test({
  name: "a file root creates in a folder a user owns becomes that user's (atomicWrite)",
  ignore: !root,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/home`;
      await Deno.mkdir(home, { mode: 0o700 });
      await Deno.chown(home, 65534, 65534);
      const path = await atomicWrite(`${home}/new.json`, new TextEncoder().encode("{}\n"), {
        mode: 0o600,
      });
      const info = await Deno.lstat(path);
      assert.deepEqual([info.uid, info.gid, info.mode! & 0o777], [65534, 65534, 0o600]);
      // In root's own folder, root's file stays root's.
      await atomicWrite(`${dir}/mine.json`, new TextEncoder().encode("{}\n"), { mode: 0o600 });
      assert.equal((await Deno.lstat(`${dir}/mine.json`)).uid, 0);
    }),
});

Deno.test({
  name: "setModeNoFollow() gives a file away only as root asks",
  ignore: !root,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/f`, "x");
      await setModeNoFollow(`${dir}/f`, { kind: "file", owner: { uid: 65534, gid: 65534 } });
      const info = await Deno.lstat(`${dir}/f`);
      assert.deepEqual([info.uid, info.gid], [65534, 65534]);
    }),
});
