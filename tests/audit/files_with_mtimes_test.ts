/**
 * `filesWithMtimes()`, the folder loop the spool and refused-file counts
 * share: what it lists, stats and leaves out.
 */
import assert from "node:assert/strict";
import { filesWithMtimes } from "../../src/audit/files_with_mtimes.ts";

Deno.test("filesWithMtimes() lists the entries picked with their mtime, a link by lstat when asked", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/a.jsonl`, "x");
    const then = new Date(1_700_000_000_000);
    Deno.utimeSync(`${dir}/a.jsonl`, then, then);
    Deno.mkdirSync(`${dir}/folder`);
    Deno.symlinkSync(`${dir}/gone`, `${dir}/dangling`);
    const files = [...filesWithMtimes(dir, (entry) => entry.isFile)];
    assert.deepEqual(files, [{ name: "a.jsonl", path: `${dir}/a.jsonl`, mtimeMs: then.getTime() }]);
    // Followed, a dangling link cannot be stat'ed: left out. Not followed, it is listed.
    const all = (entry: Deno.DirEntry) => !entry.isDirectory;
    assert.deepEqual([...filesWithMtimes(dir, all)].map((f) => f.name), ["a.jsonl"]);
    assert.deepEqual(
      [...filesWithMtimes(dir, all, { follow: false })].map((f) => f.name).sort(),
      ["a.jsonl", "dangling"],
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("filesWithMtimes() leaves out a file removed after the listing, and lists nothing of a missing folder", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/taken.jsonl`, "x");
    Deno.writeTextFileSync(`${dir}/kept.jsonl`, "x");
    const pickAndTake = (entry: Deno.DirEntry) => {
      if (entry.name === "taken.jsonl") Deno.removeSync(`${dir}/${entry.name}`);
      return true;
    };
    assert.deepEqual([...filesWithMtimes(dir, pickAndTake)].map((f) => f.name), ["kept.jsonl"]);
    assert.deepEqual([...filesWithMtimes(`${dir}/none`, () => true)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
