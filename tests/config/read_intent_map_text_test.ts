/**
 * `readIntentMapText`, the reader `thoth run`, `policy explain`, `status` and
 * `health` share: a profile's `intent_map.json` that is a symbolic link which
 * cannot be followed (to a file that is gone, into a folder that is gone, to
 * itself) is a map that cannot be read (`intent_map.unreadable`), never "no
 * map": read as none, it would let a server the map confines to an intent
 * call any tool. Only nothing at all there is no map.
 */
import assert from "node:assert/strict";
import { readIntentMapText } from "../../src/config/read_intent_map_text.ts";
import { missingIntentMapProblem } from "../../src/config/missing_intent_map.ts";
import { isAppError } from "../../src/errors.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";
import { tempFolder } from "../_temp_dirs.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test("readIntentMapText() is null only when nothing is at the path", async () => {
  const dir = await tempFolder("thoth-read-map-");
  assert.equal(readIntentMapText(`${dir}/intent_map.json`), null);
  assert.equal(missingIntentMapProblem(`${dir}/intent_map.json`), null);
  // A profile folder not made yet holds no map either.
  assert.equal(readIntentMapText(`${dir}/not-made/intent_map.json`), null);
  // A file made there after a read found none is read, not refused.
  await Deno.writeTextFile(`${dir}/intent_map.json`, "{}");
  assert.equal(missingIntentMapProblem(`${dir}/intent_map.json`), null);
  assert.equal(readIntentMapText(`${dir}/intent_map.json`), "{}");
});

Deno.test({
  name: "readIntentMapText() refuses a link to a file that is gone, naming link, target and fix",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-read-map-");
    const map = `${dir}/intent_map.json`;
    const target = `${dir}/managed/intent_map.json`;
    await Deno.mkdir(`${dir}/managed`);
    await Deno.writeTextFile(target, '{"probe": "cal"}');
    await Deno.symlink(target, map);
    assert.equal(readIntentMapText(map), '{"probe": "cal"}');

    // The managed volume is unmounted: the folder, and the file, are gone.
    await Deno.remove(`${dir}/managed`, { recursive: true });
    let thrown: unknown;
    try {
      readIntentMapText(map);
    } catch (error) {
      thrown = error;
    }
    assert.ok(isAppError(thrown, "intent_map.unreadable"), String(thrown));
    assert.equal(
      thrown.message,
      `cannot read intent map "${map}": it is a symbolic link that leads to no file ` +
        `(it points to "${target}")`,
    );
    assert.match(thrown.hints[0] ?? "", /^restore the file it points to/);
    assert.ok((thrown.hints[0] ?? "").includes(`rm ${shellQuote(map)}`), thrown.hints[0]);
    // Nothing was written through the link.
    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "readIntentMapText() refuses a relative link to a missing file in the same folder",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-read-map-");
    const map = `${dir}/intent_map.json`;
    await Deno.symlink("gone.json", map);
    assert.throws(
      () => readIntentMapText(map),
      (error: unknown) =>
        isAppError(error, "intent_map.unreadable") &&
        error.message.endsWith('leads to no file (it points to "gone.json")'),
    );
  },
});

Deno.test({
  name: "readIntentMapText() refuses a link it cannot follow: to a dangling link, to itself, " +
    "or under a file",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-read-map-");
    const unreadable = (e: unknown) => isAppError(e, "intent_map.unreadable");
    const chain = `${dir}/chain/intent_map.json`;
    await Deno.mkdir(`${dir}/chain`);
    await Deno.symlink(`${dir}/nowhere.json`, `${dir}/middle.json`);
    await Deno.symlink(`${dir}/middle.json`, chain);
    assert.throws(() => readIntentMapText(chain), unreadable);

    const loop = `${dir}/loop/intent_map.json`;
    await Deno.mkdir(`${dir}/loop`);
    await Deno.symlink(loop, loop);
    assert.throws(() => readIntentMapText(loop), unreadable);

    const under = `${dir}/under/intent_map.json`;
    await Deno.mkdir(`${dir}/under`);
    await Deno.writeTextFile(`${dir}/plain`, "");
    await Deno.symlink(`${dir}/plain/intent_map.json`, under);
    assert.throws(() => readIntentMapText(under), unreadable);
  },
});
