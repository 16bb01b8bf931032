import assert from "node:assert/strict";
import {
  EXACT_PARSE_MAX_CHARS,
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

Deno.test("parseExactIntegers leaves a long number with a fraction or exponent as JSON.parse does", () => {
  const value = parseExactIntegers("[1234567890123456789.5, 12345678901234567e3]") as unknown[];
  assert.equal(typeof value[0], "number");
  assert.equal(typeof value[1], "number");
});

Deno.test("mayHoldLongInteger needs a run of 16 digits", () => {
  assert.equal(mayHoldLongInteger('{"n":999999999999999}'), false, "15 digits are always exact");
  assert.equal(mayHoldLongInteger('{"n":9007199254740993}'), true);
  assert.equal(mayHoldLongInteger('{"s":"1234567890123456"}'), true, "a cheap test; strings too");
  const huge = `{"n":9007199254740993,"pad":"${"x".repeat(EXACT_PARSE_MAX_CHARS)}"}`;
  assert.equal(mayHoldLongInteger(huge), false, "a huge message is not parsed twice");
});

Deno.test("parseExactIntegers throws on text that is not JSON", () => {
  assert.throws(() => parseExactIntegers("{"), SyntaxError);
});
