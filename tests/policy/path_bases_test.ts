import assert from "node:assert/strict";
import {
  addBases,
  commandLineFolders,
  MAX_BASES,
  rootFolder,
  rootsOf,
} from "../../src/policy/path_bases.ts";

Deno.test("commandLineFolders() finds absolute paths among a server's arguments", () => {
  assert.deepEqual(
    commandLineFolders(
      [
        "-y",
        "@modelcontextprotocol/server-filesystem",
        "/data",
        "relative/dir",
        "--root=~/docs",
        "--db=/var/db.sqlite",
        "--name=x",
        "~",
        "~bob/x",
        "file:///srv/My%20Files",
        "a=/not-an-option",
      ],
      "/home/ana",
      "linux",
    ),
    ["/data", "/home/ana/docs", "/var/db.sqlite", "/home/ana", "/srv/My Files"],
  );
  assert.deepEqual(commandLineFolders(["~/docs"], undefined, "linux"), [], "no home known");
  assert.deepEqual(
    commandLineFolders(["C:\\data", "D:/x", "\\\\host\\share", "C:rel"], undefined, "windows"),
    ["C:\\data", "D:/x", "\\\\host\\share"],
  );
  assert.deepEqual(commandLineFolders(["C:\\data"], undefined, "linux"), []);
});

Deno.test("rootFolder() reads local file URIs only", () => {
  assert.equal(rootFolder("file:///home/ana/My%20Projects", "linux"), "/home/ana/My Projects");
  assert.equal(rootFolder("file://localhost/srv", "linux"), "/srv");
  assert.equal(rootFolder("file:///C:/Users/me", "windows"), "C:/Users/me");
  assert.equal(rootFolder("file:///C:/Users/me", "linux"), "/C:/Users/me");
  assert.equal(rootFolder("file://server/share", "linux"), undefined, "a remote host");
  assert.equal(rootFolder("https://example.com/x", "linux"), undefined);
  assert.equal(rootFolder("not a uri", "linux"), undefined);
  assert.equal(rootFolder("file:///a/%E0%A4%A", "linux"), undefined, "a broken escape");
  assert.equal(rootFolder("file:///a/%00/b", "linux"), undefined, "a NUL");
  assert.equal(rootFolder("file:///a/../b/./c", "linux"), "/b/c");
});

Deno.test("rootsOf() takes the file roots of a roots/list result and ignores the rest", () => {
  assert.deepEqual(
    rootsOf({
      roots: [
        { uri: "file:///a" },
        { uri: "https://x/y" },
        { uri: 5 },
        null,
        "file:///b",
        { uri: "file:///c", name: "c" },
      ],
    }, "linux"),
    ["/a", "/c"],
  );
  for (const result of [null, 1, "x", {}, { roots: "file:///a" }, []]) {
    assert.deepEqual(rootsOf(result, "linux"), []);
  }
});

Deno.test("addBases() appends new folders once, up to its cap", () => {
  const bases = ["/a"];
  assert.equal(addBases(bases, ["/b", "/a", "", "/b", "/c"]), 2);
  assert.deepEqual(bases, ["/a", "/b", "/c"]);
  const many = Array.from({ length: MAX_BASES + 10 }, (_, i) => `/f${i}`);
  addBases(bases, many);
  assert.equal(bases.length, MAX_BASES);
  assert.equal(bases.at(-1), `/f${MAX_BASES - 4}`);
});
