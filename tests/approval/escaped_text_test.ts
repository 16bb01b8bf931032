/**
 * `escapedText`: what `displayText` would replace with `?` is written as a
 * `\uXXXX` escape instead (each `\` then as `\\`, so no escape is faked),
 * and a cut never splits an escape. Pure.
 */
import assert from "node:assert/strict";
import { displayText, escapedText } from "../../src/approval/display_text.ts";

Deno.test("escapedText: a displayable text is shown as displayText shows it", () => {
  assert.equal(
    escapedText("writes in C:\\data need a person", 200),
    "writes in C:\\data need a person",
  );
  assert.equal(escapedText("x".repeat(10), 5), displayText("x".repeat(10), 5));
});

Deno.test("escapedText: hidden and control characters are escaped, astral ones per UTF-16 unit, backslashes doubled", () => {
  assert.equal(escapedText("a\u0007b\\c\u200dd", 200), "a\\u0007b\\\\c\\u200dd");
  assert.equal(escapedText("tag\u{e0041}", 200), "tag\\udb40\\udc41");
  assert.equal(escapedText("\u26a0\ufe0f", 200), "\u26a0\\ufe0f");
});

Deno.test("escapedText: a cut keeps to the limit and never splits an escape", () => {
  const shown = escapedText("abc\u0007def", 8);
  assert.equal(shown, "abc…");
  assert.equal(escapedText("abc\u0007d", 10), "abc\\u0007d");
  assert.ok(Array.from(escapedText("\u0007".repeat(50), 20)).length <= 20);
});
