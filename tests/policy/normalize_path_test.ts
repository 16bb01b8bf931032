import assert from "node:assert/strict";
import { normalizePath } from "../../src/policy/normalize_path.ts";

const cases: [string, string][] = [
  // Absolute paths: collapse "//", drop ".", resolve "..", stop at the root.
  ["/tmp/../etc/shadow", "/etc/shadow"],
  ["/etc/x/../passwd", "/etc/passwd"],
  ["//etc/passwd", "/etc/passwd"],
  ["/./etc/passwd", "/etc/passwd"],
  ["/root/../root/.ssh/id_rsa", "/root/.ssh/id_rsa"],
  ["/data/x/../y", "/data/y"],
  ["/..", "/"],
  ["/../../etc", "/etc"],
  ["/", "/"],
  ["//", "/"],
  ["/a/b/..", "/a"],
  ["/a/b/../", "/a/"],
  ["/a/./", "/a/"],
  ["/a/.", "/a"],
  ["/data/.env", "/data/.env"],
  ["/data/..x/y", "/data/..x/y"],
  // Other strings: keep "//", drop ".", resolve ".." only against a named segment.
  ["https://host/a/../b", "https://host/b"],
  ["https://host/./a", "https://host/a"],
  ["https://host//a", "https://host//a"],
  ["https://host/..", "https://host/.."],
  ["a//b/../c", "a//b/../c"],
  ["data/../x", "x"],
  ["./a/b", "a/b"],
  ["a/b/../", "a/"],
  ["a/..", "."],
  [".", "."],
  ["../x", "../x"],
  ["a/../../x", "../x"],
  ["..", ".."],
  ["C:\\data\\..\\x", "C:\\data\\..\\x"],
  // A home folder's parent is unknown: `..` right after a leading `~` stays.
  ["~/../etc/passwd", "~/../etc/passwd"],
  ["~root/../x", "~root/../x"],
  ["~/a/../b", "~/b"],
  ["x/~/../y", "x/y"],
];

for (const [input, want] of cases) {
  Deno.test(`normalizePath() turns ${JSON.stringify(input)} into ${JSON.stringify(want)}`, () => {
    assert.equal(normalizePath(input), want);
  });
}
