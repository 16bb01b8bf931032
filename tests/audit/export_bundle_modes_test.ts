/**
 * `thoth audit export` makes its bundle readable by others and changeable by
 * no one else, whatever the umask: folders 0755, files 0644.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";
import { writeNewFolder } from "../../src/audit/write_new_folder.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Every path under `root` (itself included) with its permission bits. */
async function modes(root: string): Promise<Map<string, { mode: number; folder: boolean }>> {
  const found = new Map<string, { mode: number; folder: boolean }>();
  const walk = async (path: string, name: string) => {
    const info = await Deno.lstat(path);
    found.set(name, { mode: (info.mode ?? 0) & 0o7777, folder: info.isDirectory });
    if (!info.isDirectory) return;
    for await (const entry of Deno.readDir(path)) {
      await walk(`${path}/${entry.name}`, name === "" ? entry.name : `${name}/${entry.name}`);
    }
  };
  await walk(root, "");
  return found;
}

/** Runs `body` with `umask`, then puts the umask back. */
async function underUmask<T>(umask: number, body: () => Promise<T>): Promise<T> {
  const before = Deno.umask(umask);
  try {
    return await body();
  } finally {
    Deno.umask(before);
  }
}

function assertModes(found: Map<string, { mode: number; folder: boolean }>): void {
  assert.ok(found.size > 2, "the bundle holds files");
  for (const [name, { mode, folder }] of found) {
    assert.equal(
      mode.toString(8),
      (folder ? 0o755 : 0o644).toString(8),
      `"${name || "."}" (${folder ? "folder" : "file"})`,
    );
  }
}

for (const umask of [0o000, 0o002, 0o077]) {
  Deno.test({
    name: `thoth audit export under umask 0${
      umask.toString(8).padStart(3, "0")
    }: folders 0755, files 0644`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const home = await sampleLog(3, 6);
      const out = `${home}/bundle`;
      const result = await underUmask(umask, () => thothAudit(home, "export", "--output", out));
      assert.equal(result.code, 0, result.err);
      assertModes(await modes(out));
    },
  });
}

Deno.test({
  name: "writeNewFolder() under umask 000 makes nested folders 0755 and files 0644",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-bundle-modes-");
    const out = `${dir}/made/q3`;
    const bytes = new TextEncoder().encode("x\n");
    await underUmask(
      0,
      () =>
        writeNewFolder(out, [{ path: "records/deep/a.jsonl", bytes }, { path: "m.json", bytes }], {
          flag: "--output",
          folders: ["empty"],
        }),
    );
    const found = await modes(out);
    assert.deepEqual([...found.keys()].sort(), [
      "",
      "empty",
      "m.json",
      "records",
      "records/deep",
      "records/deep/a.jsonl",
    ]);
    assertModes(found);
    const made = (await Deno.stat(`${dir}/made`)).mode! & 0o777;
    assert.equal(made.toString(8), "755", "a folder made on the way to it is 0755 at most");
  },
});
