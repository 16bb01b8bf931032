import assert from "node:assert/strict";
import { keyNamed } from "../../../src/policy/detectors/key_names.ts";

Deno.test("keyNamed() answers as its test does, and runs it once per remembered key", () => {
  const asked: string[] = [];
  const isSsnKey = keyNamed((key) => {
    asked.push(key);
    return /^ssn$/i.test(key);
  });
  assert.equal(isSsnKey("SSN"), true);
  assert.equal(isSsnKey("SSN"), true);
  assert.equal(isSsnKey("path"), false);
  assert.equal(isSsnKey("path"), false);
  assert.deepEqual(asked, ["SSN", "path"]);
});

Deno.test("keyNamed() keeps at most 1,024 keys and no key over 256 characters", () => {
  let runs = 0;
  const test = keyNamed((key) => {
    runs++;
    return key.endsWith("x");
  });
  const long = "k".repeat(257) + "x";
  assert.equal(test(long), true);
  assert.equal(test(long), true);
  assert.equal(runs, 2, "a long key is tested every time");
  for (let i = 0; i < 1024; i++) test(`key${i}`);
  runs = 0;
  test("key0");
  assert.equal(runs, 0, "the first 1,024 keys are remembered");
  test("one-more");
  test("key1");
  assert.equal(runs, 2, "the 1,025th key starts afresh");
});
