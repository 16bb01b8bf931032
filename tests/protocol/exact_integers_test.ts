import assert from "node:assert/strict";
import {
  EXACT_PARSE_MAX_CHARS,
  integerDigits,
  mayHoldLongInteger,
  parseExactIntegers,
} from "../../src/protocol/exact_integers.ts";

Deno.test("parseExactIntegers keeps the digits of integers a double cannot hold", () => {
  const text = '{"a":12345678901234567891,"b":[-98765432109876543210],"c":42,"d":1.5,"e":1e400}';
  const value = parseExactIntegers(text) as Record<string, unknown>;
  assert.equal(
    JSON.stringify(value),
    '{"a":12345678901234567891,"b":[-98765432109876543210],"c":42,"d":1.5,"e":null}',
  );
  assert.equal(value["c"], 42, "a safe integer stays a number");
  assert.equal(typeof value["a"], "object");
  assert.equal(
    JSON.stringify(JSON.parse(text)["a"]),
    "12345678901234567000",
    "what JSON.parse does",
  );
});

Deno.test("parseExactIntegers keeps a large whole number however it is spelled, as written", () => {
  const text =
    "[6212345678901234569.0,6212345678901234569e0,6.212345678901234569e18,-6212345678901234569E+0,1.5,1e400]";
  const value = parseExactIntegers(text) as unknown[];
  assert.equal(
    JSON.stringify(value),
    "[6212345678901234569.0,6212345678901234569e0,6.212345678901234569e18,-6212345678901234569E+0,1.5,null]",
    "re-serialized digit for digit, as the client wrote them",
  );
  assert.equal(value[4], 1.5, "a fraction stays a number");
});

Deno.test("integerDigits reads the whole number a JSON number text stands for", () => {
  const cases: [string, string | undefined][] = [
    ["6212345678901234569", "6212345678901234569"],
    ["-6212345678901234569", "6212345678901234569"],
    ["6212345678901234569.000", "6212345678901234569"],
    ["6.212345678901234569e18", "6212345678901234569"],
    ["62123456789012345690e-1", "6212345678901234569"],
    ["-6.2E3", "6200"],
    ["0.0", "0"],
    ["0e5", "0"],
    ["007", "7"],
    ["1.5", undefined],
    ["62123456789012345695e-1", undefined],
    ["1e99", undefined],
    ["abc", undefined],
  ];
  for (const [text, digits] of cases) assert.equal(integerDigits(text), digits, text);
});

Deno.test("mayHoldLongInteger needs a run of 16 digits", () => {
  assert.equal(mayHoldLongInteger('{"n":999999999999999}'), false, "15 digits are always exact");
  assert.equal(mayHoldLongInteger('{"n":9007199254740993}'), true);
  assert.equal(
    mayHoldLongInteger('{"s":"1234567890123456"}'),
    false,
    "digits in a string are text",
  );
  assert.equal(mayHoldLongInteger('{"1234567890123456":1,"s":"x"}'), false, "so are keys");
  assert.equal(mayHoldLongInteger('{"s":"\\"1234567890123456","n":1}'), false);
  assert.equal(mayHoldLongInteger('{"s":"1234567890123456","n":1234567890123456}'), true);
  // Many strings, one number at the end: still one pass.
  const many = `[${'"12345678901234567",'.repeat(100_000)}12345678901234567]`;
  assert.equal(mayHoldLongInteger(many), true);
  const huge = `{"n":9007199254740993,"pad":"${"x".repeat(EXACT_PARSE_MAX_CHARS)}"}`;
  assert.equal(mayHoldLongInteger(huge), false, "a huge message is not parsed twice");
});

Deno.test("parseExactIntegers throws on text that is not JSON", () => {
  assert.throws(() => parseExactIntegers("{"), SyntaxError);
});
