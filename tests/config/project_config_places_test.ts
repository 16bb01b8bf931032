/**
 * The project folders of `~/.claude.json`, from its parsed tree (the file is
 * parsed once per command: it keeps every project's history and grows to
 * tens of MiB), every one of them, and which of them are gone.
 */
import assert from "node:assert/strict";
import {
  projectConfigPlaces,
  projectConfigPlacesOf,
} from "../../src/config/project_config_places.ts";
import { parseConfig } from "../../src/config/parse_config.ts";
import { goneFolders } from "../../src/config/gone_folders.ts";

Deno.test("projectConfigPlacesOf() reads the folders from a parsed ~/.claude.json, as projectConfigPlaces() from its text", () => {
  const text = JSON.stringify({
    projects: { "/w/web": { history: [{ display: "x" }] }, "relative": {}, "/w/api/": {} },
  });
  const root = parseConfig(text, "/home/ana/.claude.json", true);
  assert.deepEqual(projectConfigPlacesOf(root, "linux"), projectConfigPlaces(text, "linux"));
  assert.deepEqual(projectConfigPlacesOf(root, "linux", "cursor").places, [
    { client: "cursor", folder: "/w/web", path: "/w/web/.cursor/mcp.json" },
    { client: "cursor", folder: "/w/api/", path: "/w/api/.cursor/mcp.json" },
  ]);
  assert.deepEqual(projectConfigPlacesOf(undefined, "linux"), { places: [] });
});

Deno.test("projectConfigPlaces() lists every folder ~/.claude.json lists, the 5,000th too, in order", () => {
  const folders = Array.from({ length: 5000 }, (_, i) => `/w/p${i + 1}`);
  const text = JSON.stringify({ projects: Object.fromEntries(folders.map((f) => [f, {}])) });
  const { places } = projectConfigPlaces(text, "linux", "claude-code");
  assert.equal(places.length, 5000);
  assert.deepEqual(places.at(-1), {
    client: "claude-code",
    folder: "/w/p5000",
    path: "/w/p5000/.mcp.json",
  });
});

Deno.test({
  name:
    "goneFolders() names the folders with nothing at their path (a dangling link too), each once",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth-gone-folders-" });
    try {
      await Deno.mkdir(`${dir}/there`);
      await Deno.writeTextFile(`${dir}/file`, "");
      await Deno.symlink(`${dir}/nowhere`, `${dir}/dangling`);
      const gone = await goneFolders([
        `${dir}/there`,
        `${dir}/gone`,
        `${dir}/gone`,
        `${dir}/file`,
        `${dir}/dangling`,
        // Not gone as far as can be told: its configs are looked at, and what is wrong said there.
        `${dir}/file/inside`,
      ]);
      assert.deepEqual([...gone].sort(), [`${dir}/dangling`, `${dir}/gone`]);
      assert.deepEqual(await goneFolders([]), new Set());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
