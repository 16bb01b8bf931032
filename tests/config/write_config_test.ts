import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
import { readConfigFile } from "../../src/config/read_config_file.ts";
import { BACKUP_SUFFIX, writeConfig } from "../../src/config/write_config.ts";
import { commitConfigPlan } from "../../src/config/commit_config_plan.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { isAppError } from "../../src/errors.ts";
import { fixture, GOLDEN_OPTIONS } from "./_golden.ts";

const posix = Deno.build.os !== "windows";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-config-" });
  try {
    await fn(dir);
  } finally {
    await Deno.chmod(dir, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

async function wrapFile(path: string) {
  const file = await readConfigFile(path);
  return { file, text: planWrap(file.text, GOLDEN_OPTIONS).text };
}

Deno.test("writeConfig() backs up the original once and keeps the file mode", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/claude_desktop_config.json`;
    const original = fixture("claude-desktop.input.json");
    await Deno.writeTextFile(path, original, { mode: 0o640 });
    if (posix) await Deno.chmod(path, 0o640);
    const { file, text } = await wrapFile(path);
    const result = await writeConfig(path, text, { original: file });
    assert.equal(result.backupCreated, path + BACKUP_SUFFIX);
    assert.equal(await Deno.readTextFile(path), fixture("claude-desktop.expected.json"));
    assert.equal(await Deno.readTextFile(path + BACKUP_SUFFIX), original);
    if (posix) {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o640);
      assert.equal((await Deno.stat(path + BACKUP_SUFFIX)).mode! & 0o777, 0o640);
    }
    const again = await readConfigFile(path);
    const second = await writeConfig(path, "{}\n", { original: again });
    assert.equal(second.backupCreated, undefined);
    assert.equal(second.backupKept, path + BACKUP_SUFFIX);
    assert.equal(await Deno.readTextFile(path + BACKUP_SUFFIX), original);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "claude_desktop_config.json",
      "claude_desktop_config.json.thoth-backup",
    ]);
  });
});

Deno.test({
  name: "writeConfig() run as root keeps the user's ownership of the config and its backup",
  ignore: !posix || Deno.uid() !== 0,
  fn: async () => {
    await withDir(async (dir) => {
      const path = `${dir}/claude_desktop_config.json`;
      await Deno.writeTextFile(path, fixture("claude-desktop.input.json"), { mode: 0o600 });
      // An MDM tool runs wrap-config as root over a user's config.
      await Deno.chown(path, 65534, 65534);
      const { file, text } = await wrapFile(path);
      await writeConfig(path, text, { original: file });
      for (const written of [path, path + BACKUP_SUFFIX]) {
        const info = await Deno.stat(written);
        assert.deepEqual([info.uid, info.gid, info.mode! & 0o777], [65534, 65534, 0o600], written);
      }
    });
  },
});

Deno.test("writeConfig() writes through a symlinked config and keeps the link", {
  ignore: !posix,
}, async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/dotfiles`);
    const target = `${dir}/dotfiles/mcp.json`;
    const link = `${dir}/mcp.json`;
    await Deno.writeTextFile(target, fixture("cursor.input.json"));
    await Deno.symlink(target, link);
    const { file, text } = await wrapFile(link);
    const result = await writeConfig(link, text, { original: file });
    assert.equal(result.written, await Deno.realPath(target));
    assert.ok((await Deno.lstat(link)).isSymlink);
    assert.equal(await Deno.readTextFile(target), fixture("cursor.expected.json"));
    assert.equal(result.backupCreated, (await Deno.realPath(target)) + BACKUP_SUFFIX);
  });
});

Deno.test("writeConfig() run as root does not follow another user's link", {
  ignore: !posix || Deno.uid() !== 0,
}, async () => {
  await withDir(async (dir) => {
    // A system-managed config root may write, and a user's link to it in their folder.
    await Deno.mkdir(`${dir}/etc`);
    const target = `${dir}/etc/managed.json`;
    const link = `${dir}/mcp.json`;
    await Deno.writeTextFile(target, fixture("cursor.input.json"));
    await Deno.symlink(target, link);
    lchownSync(link, 65534, 65534);
    const { file, text } = await wrapFile(link);
    await assert.rejects(
      writeConfig(link, text, { original: file }),
      (e) =>
        isAppError(e, "io.unsafe_for_root") && e.message.includes("belongs to uid 65534") &&
        e.hints.some((h) => h.includes("sudo -u '#65534'")),
    );
    assert.equal(await Deno.readTextFile(target), fixture("cursor.input.json"));
    await assert.rejects(Deno.lstat(target + BACKUP_SUFFIX), Deno.errors.NotFound);
    // A user's link to a folder on the way, and a link of root's that leads to a user's link.
    await Deno.symlink(`${dir}/etc`, `${dir}/cfgdir`);
    lchownSync(`${dir}/cfgdir`, 65534, 65534);
    await Deno.symlink(link, `${dir}/roots.json`);
    for (const path of [`${dir}/cfgdir/managed.json`, `${dir}/roots.json`]) {
      const { file: via, text: wrapped } = await wrapFile(path);
      await assert.rejects(
        writeConfig(path, wrapped, { original: via }),
        (e) => isAppError(e, "io.unsafe_for_root") && e.message.includes("belongs to uid 65534"),
        path,
      );
    }
    assert.equal(await Deno.readTextFile(target), fixture("cursor.input.json"));
    // Root's own links are followed as before.
    await Deno.symlink(`${dir}/etc`, `${dir}/rootdir`);
    const { file: own, text: ownText } = await wrapFile(`${dir}/rootdir/managed.json`);
    await writeConfig(`${dir}/rootdir/managed.json`, ownText, { original: own });
    assert.equal(await Deno.readTextFile(target), fixture("cursor.expected.json"));
  });
});

Deno.test("writeConfig() refuses when the config changed on disk mid-write", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/mcp.json`;
    await Deno.writeTextFile(path, fixture("vscode.input.json"));
    const { file, text } = await wrapFile(path);
    const edited = fixture("vscode.input.json").replace("uvx", "uv");
    await assert.rejects(
      writeConfig(path, text, {
        original: file,
        beforeCommit: () => Deno.writeTextFile(path, edited),
      }),
      (error) =>
        isAppError(error, "config.changed_on_disk") && /nothing was written/.test(error.message),
    );
    assert.equal(await Deno.readTextFile(path), edited);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["mcp.json"]);
  });
});

Deno.test("writeConfig() refuses when a new output file appeared mid-write", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/out.json`;
    await assert.rejects(
      writeConfig(path, "{}\n", {
        original: null,
        beforeCommit: () => Deno.writeTextFile(path, "x"),
      }),
      (error) => isAppError(error, "config.changed_on_disk"),
    );
    assert.equal(await Deno.readTextFile(path), "x");
  });
});

Deno.test("writeConfig() explains an unwritable output", async () => {
  await withDir(async (dir) => {
    await assert.rejects(
      writeConfig(`${dir}/missing/dir/c.json`, "{}\n", { original: null }),
      (error) =>
        isAppError(error, "io.write_failed") &&
        /the directory does not exist/.test(error.message) &&
        error.hints.some((h) =>
          h.includes("--output") && h.includes(`"${dir}/missing/dir" does not exist`)
        ) && !error.hints.some((h) => h.includes("make the file writable")),
    );
  });
});

Deno.test("writeConfig() explains an output under a file", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/file`, "");
    await assert.rejects(
      writeConfig(`${dir}/file/c.json`, "{}\n", { original: null }),
      (error) => isAppError(error, "io.write_failed") && /not a directory/.test(error.message),
    );
  });
});

Deno.test("writeConfig() reports permission denied in a read-only directory", {
  ignore: !posix || Deno.uid() === 0,
}, async () => {
  await withDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, "{}\n");
    const file = await readConfigFile(path);
    await Deno.chmod(dir, 0o500);
    await assert.rejects(
      writeConfig(path, '{"a": 1}\n', { original: file }),
      (error) =>
        isAppError(error, "io.write_failed") && /permission denied/.test(error.message) &&
        error.hints.some((h) => h.includes(`the directory "${dir}" must be writable`)),
    );
    assert.equal(await Deno.readTextFile(path), "{}\n");
  });
});

Deno.test("readConfigFile() sets a byte order mark aside and writeConfig() restores it", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, "\uFEFF" + fixture("windsurf.input.json"));
    const file = await readConfigFile(path);
    assert.equal(file.bom, true);
    assert.equal(file.text, fixture("windsurf.input.json"));
    await writeConfig(path, planWrap(file.text, GOLDEN_OPTIONS).text, {
      original: file,
      bom: true,
    });
    const bytes = await Deno.readFile(path);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(new TextDecoder().decode(bytes.subarray(3)), fixture("windsurf.expected.json"));
  });
});

Deno.test("readConfigFile() names a missing config and points at --client", async () => {
  await withDir(async (dir) => {
    await assert.rejects(
      readConfigFile(`${dir}/none.json`),
      (error) =>
        isAppError(error, "config.not_found") && error.hints.some((h) => h.includes("--client")),
    );
  });
});

Deno.test("commitConfigPlan() writes a new --output with the input's mode and no backup", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/base.json`;
    await Deno.writeTextFile(input, fixture("claude-desktop.input.json"), { mode: 0o600 });
    const { file, text } = await wrapFile(input);
    const result = await commitConfigPlan(file, `${dir}/governed.json`, text, {});
    assert.equal(result?.backupCreated, undefined);
    assert.equal(
      await Deno.readTextFile(`${dir}/governed.json`),
      fixture("claude-desktop.expected.json"),
    );
    assert.equal(await Deno.readTextFile(input), fixture("claude-desktop.input.json"));
    if (posix) assert.equal((await Deno.stat(`${dir}/governed.json`)).mode! & 0o777, 0o600);
    assert.equal(await commitConfigPlan(file, `${dir}/governed.json`, text, {}), null);
  });
});

Deno.test("writeConfig() refuses a read-only config unless told to replace it", {
  ignore: !posix,
}, async () => {
  await withDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, "{}\n", { mode: 0o444 });
    await Deno.chmod(path, 0o444);
    const file = await readConfigFile(path);
    await assert.rejects(
      writeConfig(path, '{"a": 1}\n', { original: file }),
      (error) =>
        isAppError(error, "config.read_only") && /read-only \(mode 0444\)/.test(error.message) &&
        error.hints.some((h) => h.includes("--replace-read-only")),
    );
    assert.equal(await Deno.readTextFile(path), "{}\n");
    assert.equal([...Deno.readDirSync(dir)].length, 1, "no backup, no temp file");
    await writeConfig(path, '{"a": 1}\n', { original: file, replaceReadOnly: true });
    assert.equal(await Deno.readTextFile(path), '{"a": 1}\n');
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o444);
  });
});
