/**
 * `thoth audit export` makes its bundle readable by others and changeable by
 * no one else, whatever the umask: folders 0755, files 0644. Each export runs
 * in a process of its own under the umask (`_under_umask.ts`): the umask is
 * the whole process's, and this one runs other test files beside this one.
 */
import assert from "node:assert/strict";
import { sampleLog } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const underUmaskScript = new URL("./_under_umask.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const decoder = new TextDecoder();

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

/** Runs `_under_umask.ts` with `umask` and `args` in a process of its own; returns its stdout. */
async function underUmask(umask: number, ...args: string[]): Promise<string> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      "-P=test",
      "--no-prompt",
      underUmaskScript,
      umask.toString(8),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, decoder.decode(run.stderr));
  return decoder.decode(run.stdout);
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
      const result = JSON.parse(await underUmask(umask, "export", home, out));
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
    await underUmask(0, "write-new-folder", out);
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
