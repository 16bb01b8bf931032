import assert from "node:assert/strict";
import { hasEscapedNul } from "../../src/protocol/escaped_nul.ts";

Deno.test("hasEscapedNul finds a NUL written into a key or a value", () => {
  assert.equal(hasEscapedNul('{"method\\u0000":"tools/call"}'), true);
  assert.equal(hasEscapedNul('{"path":"/etc/shadow\\u0000.txt"}'), true);
  assert.equal(hasEscapedNul('["\\\\\\u0000"]'), true, "an escaped backslash, then a NUL");
  assert.equal(hasEscapedNul('{"a":"x","b":"\\u0000"}'), true);
});

Deno.test("hasEscapedNul leaves other text alone", () => {
  assert.equal(hasEscapedNul('{"text":"\\\\u0000"}'), false, "a backslash, then the letters u0000");
  assert.equal(hasEscapedNul('{"text":"\\\\\\\\u0000"}'), false);
  assert.equal(hasEscapedNul('{"text":"u0000"}'), false);
  assert.equal(hasEscapedNul('{"a":"\\u0001","b":"\\u0100"}'), false);
  assert.equal(hasEscapedNul("{}"), false);
});
