import assert from "node:assert/strict";
import { folderOf, syncFolder, writeFileSynced } from "../../src/platform/durable_file.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("writeFileSynced creates a file with its mode and replaces an older one whole", async () => {
  const dir = await tempFolder("thoth-durable-");
  const path = `${dir}/key`;
  await writeFileSynced(path, new TextEncoder().encode("a much longer first text\n"), 0o600);
  await writeFileSynced(path, new TextEncoder().encode("second\n"), 0o600);
  assert.equal(await Deno.readTextFile(path), "second\n");
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
});

Deno.test("syncFolder syncs a folder and shrugs at one that cannot be opened", async () => {
  const dir = await tempFolder("thoth-durable-");
  syncFolder(dir);
  syncFolder(`${dir}/not-there`);
  await Deno.writeTextFile(`${dir}/file`, "x");
  syncFolder(`${dir}/file/`);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["file"]);
});

Deno.test("folderOf names the folder part of a path", () => {
  assert.equal(folderOf("/home/ana/.thoth/keys/k"), "/home/ana/.thoth/keys");
  assert.equal(folderOf("/k"), "/");
  assert.equal(folderOf("k"), ".");
  assert.equal(folderOf("C:\\Users\\ana\\k"), "C:\\Users\\ana");
});
