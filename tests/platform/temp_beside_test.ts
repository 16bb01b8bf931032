import assert from "node:assert/strict";
import { isTempOf, removeStaleTemps, tempBeside } from "../../src/platform/temp_beside.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("tempBeside() names a hidden temp file in the file's folder that isTempOf() knows", () => {
  const { dir, temp } = tempBeside("/home/ana/.claude.json");
  assert.equal(dir, "/home/ana/");
  assert.match(temp, /^\/home\/ana\/\.\.claude\.json\.[0-9a-f]{12}\.tmp$/);
  assert.ok(isTempOf(temp.slice(dir.length), ".claude.json"));
  assert.ok(!isTempOf(temp.slice(dir.length), "claude.json"));
  assert.ok(!isTempOf("..claude.json.backup.tmp", ".claude.json"));
  assert.ok(!isTempOf("..claude.json.0123456789AB.tmp", ".claude.json"));
  assert.ok(!isTempOf("..claude.json.0123456789ab.tmp.x", ".claude.json"));
});

Deno.test("removeStaleTemps() removes the old temp files of one file only, never a link", async () => {
  const dir = await tempFolder("thoth-temps-");
  const path = `${dir}/c.json`;
  const now = Date.now();
  const old = new Date(now - 11 * 60 * 1000);
  const names = {
    stale: ".c.json.0123456789ab.tmp",
    fresh: ".c.json.ba9876543210.tmp",
    other: ".d.json.0123456789ab.tmp",
    odd: ".c.json.backup.tmp",
    link: ".c.json.aaaaaaaaaaaa.tmp",
  };
  for (const name of [names.stale, names.fresh, names.other, names.odd]) {
    await Deno.writeTextFile(`${dir}/${name}`, '{"env": {"TOKEN": "secret"}}');
  }
  await Deno.writeTextFile(`${dir}/target`, "kept");
  if (Deno.build.os !== "windows") await Deno.symlink(`${dir}/target`, `${dir}/${names.link}`);
  for (const name of [names.stale, names.other, names.odd, "target"]) {
    await Deno.utime(`${dir}/${name}`, old, old);
  }
  const removed = await removeStaleTemps(path, { now });
  assert.deepEqual(removed, [`${dir}/${names.stale}`]);
  const left = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  assert.deepEqual(
    left,
    [
      names.fresh,
      names.other,
      names.odd,
      "target",
      ...(Deno.build.os === "windows" ? [] : [names.link]),
    ]
      .sort(),
  );
  assert.equal(await Deno.readTextFile(`${dir}/target`), "kept");
});
