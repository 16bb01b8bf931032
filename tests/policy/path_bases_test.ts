import assert from "node:assert/strict";
import {
  commandLineFolders,
  composeBases,
  MAX_BASES,
  rootFolder,
  rootsOf,
} from "../../src/policy/path_bases.ts";

Deno.test("commandLineFolders() finds the paths among a server's arguments", () => {
  assert.deepEqual(
    commandLineFolders(
      [
        "-y",
        "@scope/server",
        "/data",
        "--root=~/docs",
        "--db=/var/db.sqlite",
        "--mount:/mnt/x",
        "-d/opt/d",
        "--roots=/a,/b",
        "/c:/d",
        "~",
        "file:///srv/My%20Files",
        "-v",
      ],
      "/home/ana",
      "linux",
      "/srv/cwd",
    ),
    [
      "/srv/cwd/@scope/server",
      "/data",
      "/home/ana/docs",
      "/var/db.sqlite",
      "/mnt/x",
      "/opt/d",
      "/a,/b",
      "/a",
      "/b",
      "/c:/d",
      "/c",
      "/d",
      "/home/ana",
      "/srv/My Files",
    ],
  );
  assert.deepEqual(
    commandLineFolders(["data", "~/docs", "~bob"], undefined, "linux", "/srv/cwd"),
    ["/srv/cwd/data", "/srv/cwd/~/docs", "/srv/cwd/~bob"],
    "relative to the working folder; no home known",
  );
  assert.deepEqual(
    commandLineFolders(
      ["C:\\data", "D:/x", "\\\\host\\share", "rel"],
      undefined,
      "windows",
      "C:\\w",
    ),
    ["C:\\data", "D:/x", "\\\\host\\share", "C:\\w\\rel"],
  );
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

Deno.test("composeBases() keeps the groups' order, each folder once, up to its cap", () => {
  assert.deepEqual(composeBases(["/b", "/a"], ["/a", "", "/c"], []), ["/b", "/a", "/c"]);
  const many = Array.from({ length: MAX_BASES + 10 }, (_, i) => `/f${i}`);
  const bases = composeBases(["/first"], many, ["/last"]);
  assert.equal(bases.length, MAX_BASES);
  assert.equal(bases[0], "/first");
  assert.equal(bases.at(-1), `/f${MAX_BASES - 2}`);
});
