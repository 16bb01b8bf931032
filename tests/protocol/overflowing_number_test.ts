import assert from "node:assert/strict";
import { hasOverflowingNumber } from "../../src/protocol/overflowing_number.ts";

const check = (text: string) => hasOverflowingNumber(text, JSON.parse(text));

Deno.test("hasOverflowingNumber finds a number that reads as infinity, at any depth", () => {
  assert.equal(check('{"a":1e400}'), true);
  assert.equal(check('{"a":[{"b":-1E+309}]}'), true);
  assert.equal(check(`[${"9".repeat(309)}]`), true);
});

Deno.test("hasOverflowingNumber passes large finite numbers and such text in strings", () => {
  assert.equal(check('{"a":1e308,"b":1.7976931348623157e308}'), false);
  assert.equal(check('{"a":"1e400","b":1e-400}'), false);
  assert.equal(check(`["${"9".repeat(400)}"]`), false);
  assert.equal(check('{"a":1}'), false);
});
