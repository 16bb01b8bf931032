import assert from "node:assert/strict";
import { heldFileStat } from "../../src/audit/held_file_stat.ts";

Deno.test("heldFileStat() sees the held file grow through another handle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-held-" });
  const path = `${dir}/f`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  try {
    assert.equal(heldFileStat(file, path).size, 0);
    Deno.writeTextFileSync(path, "abc", { append: true });
    assert.equal(heldFileStat(file, path).size, 3);
    Deno.writeTextFileSync(path, "defg", { append: true });
    const info = heldFileStat(file, path);
    assert.equal(info.size, 7);
    assert.ok(info.nlink !== 0);
  } finally {
    file.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("heldFileStat() says a held file removed from its path has no link", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-held-" });
  const path = `${dir}/f`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  try {
    heldFileStat(file, path);
    Deno.removeSync(path);
    assert.equal(heldFileStat(file, path).nlink, 0);
    // Another file made at the path is not the one held.
    Deno.writeTextFileSync(path, "other file");
    const info = heldFileStat(file, path);
    assert.equal(info.nlink, 0);
    assert.equal(info.size, 0);
  } finally {
    file.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("heldFileStat() gives the held file's facts when another file is put at its path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-held-" });
  const path = `${dir}/f`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  try {
    file.writeSync(new TextEncoder().encode("held"));
    heldFileStat(file, path);
    Deno.renameSync(path, `${dir}/moved`);
    Deno.writeTextFileSync(path, "a longer file put in its place");
    const info = heldFileStat(file, path);
    assert.equal(info.size, 4);
    assert.equal(info.nlink, 1);
  } finally {
    file.close();
    await Deno.remove(dir, { recursive: true });
  }
});
