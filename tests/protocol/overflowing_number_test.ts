import assert from "node:assert/strict";
import { hasOverflowingNumber } from "../../src/protocol/overflowing_number.ts";

const check = (text: string) => hasOverflowingNumber(text);

/** What `JSON.parse` itself makes of one number: whether it reads as ±Infinity. */
const readsAsInfinity = (number: string) => !Number.isFinite(JSON.parse(number));

/** A seeded generator (xorshift32), so a failing case can be replayed. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}

function digits(random: (below: number) => number, count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += String(random(10));
  return text;
}

/** An exponent of `value` as a JSON writer might spell it: `e`/`E`, `+`, leading zeros. */
function exponentText(random: (below: number) => number, value: number): string {
  const marker = random(2) === 0 ? "e" : "E";
  const sign = value < 0 ? "-" : ["", "+"][random(2)]!;
  return `${marker}${sign}${"0".repeat(random(3))}${Math.abs(value)}`;
}

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
  assert.equal(check('{"a":"x\\"1e400","b\\\\":"1e400\\\\","c":0e400,"d":-0.0E+99999}'), false);
  assert.equal(check('{"a\\\\":1e400}'), true);
});

Deno.test("hasOverflowingNumber() finds a long mantissa under a short exponent", () => {
  const ones = `1${"0".repeat(250)}`;
  assert.equal(check(`{"limit":${ones}e60}`), true);
  assert.equal(check(`{"limit":-${ones}.5E+60}`), true);
  assert.equal(check(`{"limit":17976931348623159${"0".repeat(200)}e92}`), true);
  assert.equal(check(`{"limit":${"9".repeat(299)}e10}`), true);
  assert.equal(check(`{"limit":${"9".repeat(210)}e99}`), true);
  // One digit fewer stays below 1e308.
  assert.equal(check(`{"limit":${"9".repeat(209)}e99}`), false);
});

Deno.test("hasOverflowingNumber() finds a number a repeated key hides from the parsed value", () => {
  // JSON.parse keeps the last value; a parser that keeps the first reads infinity.
  assert.equal(check('{"limit":1e400,"limit":1}'), true);
});

Deno.test("hasOverflowingNumber() draws the line where JSON.parse does, to the last digit", () => {
  // 2^1024 - 2^970, halfway between the largest double and the next power of two: it and
  // everything above it round to infinity, everything below it to 1.7976931348623157e308.
  const halfway = (2n ** 1024n - 2n ** 970n).toString();
  const below = (2n ** 1024n - 2n ** 970n - 1n).toString();
  assert.equal(halfway.length, 309);
  for (const [whole, infinite] of [[halfway, true], [below, false]] as const) {
    // The same value with the point moved: 309, 250 and 1 digits before it.
    for (const split of [309, 250, 1]) {
      const mantissa = split === 309 ? whole : `${whole.slice(0, split)}.${whole.slice(split)}`;
      const number = `${mantissa}e${309 - split}`;
      assert.equal(readsAsInfinity(number), infinite, number);
      assert.equal(check(`{"n":${number}}`), infinite, number);
      assert.equal(check(`{"n":-${number}}`), infinite, number);
    }
  }
});

Deno.test("hasOverflowingNumber() agrees with JSON.parse on random numbers near the limit", () => {
  const random = generator(0x7407);
  let infinite = 0;
  for (let round = 0; round < 4000; round++) {
    let mantissa: string;
    let order: number; // the decimal order of the mantissa's first digit
    if (random(4) === 0) {
      // 0.000…ddd: the first significant digit after some zeros.
      const zeros = random(400);
      mantissa = `0.${"0".repeat(zeros)}${1 + random(9)}${digits(random, random(30))}`;
      order = -zeros - 1;
    } else {
      const whole = 1 + random(400);
      mantissa = `${1 + random(9)}${digits(random, whole - 1)}`;
      if (random(2) === 0) mantissa += `.${digits(random, 1 + random(30))}`;
      order = whole - 1;
    }
    // Aim the number's order at 304…312, around the double's 308.
    const exponent = 304 + random(9) - order;
    const number = `${["", "-"][random(2)]}${mantissa}${
      exponent === 0 && random(2) === 0 ? "" : exponentText(random, exponent)
    }`;
    const expected = readsAsInfinity(number);
    if (expected) infinite++;
    assert.equal(check(`{"a":[1,{"n":${number}}]}`), expected, number);
  }
  // Both verdicts were drawn often enough to mean something.
  assert.ok(infinite > 1000 && infinite < 3000, `${infinite} of 4000 read as infinity`);
});
