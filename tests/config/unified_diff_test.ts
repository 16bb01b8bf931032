import assert from "node:assert/strict";
import { unifiedDiff } from "../../src/config/unified_diff.ts";

Deno.test("unifiedDiff() returns an empty string for equal texts", () => {
  assert.equal(unifiedDiff("a\n", "a\n", { from: "a", to: "b" }), "");
});

Deno.test("unifiedDiff() shows a replaced line with context", () => {
  const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  assert.equal(
    unifiedDiff(before, after, { from: "old", to: "new" }),
    "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
  );
});

Deno.test("unifiedDiff() splits distant changes into hunks and merges near ones", () => {
  const lines = Array.from({ length: 20 }, (_, i) => `${i + 1}`);
  const after = [...lines];
  after[1] = "two";
  after[3] = "four";
  after[17] = "eighteen";
  const diff = unifiedDiff(lines.join("\n") + "\n", after.join("\n") + "\n", {
    from: "a",
    to: "b",
  });
  assert.deepEqual(diff.split("\n").filter((l) => l.startsWith("@@")), [
    "@@ -1,7 +1,7 @@",
    "@@ -15,6 +15,6 @@",
  ]);
});

Deno.test("unifiedDiff() handles insertions at the start and a missing final newline", () => {
  assert.equal(
    unifiedDiff("b", "a\nb", { from: "x", to: "y" }),
    "--- x\n+++ y\n@@ -1 +1,2 @@\n+a\n b\n\\ No newline at end of file\n",
  );
  assert.equal(unifiedDiff("", "a\n", { from: "x", to: "y" }), "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
});

Deno.test("unifiedDiff() ignores CR in CRLF files", () => {
  assert.equal(
    unifiedDiff("a\r\nb\r\n", "a\r\nc\r\n", { from: "x", to: "y" }),
    "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
  );
});
