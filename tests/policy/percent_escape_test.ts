import assert from "node:assert/strict";
import { holdsPercentEscape } from "../../src/policy/percent_escape.ts";

Deno.test("a percent escape is a % and two hexadecimal digits, wherever the first one is", () => {
  for (const text of ["%2e", "%2E", "a%3Db", "12% growth %41", "%%41", "100%\n%0a", "%fF"]) {
    assert.equal(holdsPercentEscape(text), true, JSON.stringify(text));
  }
  for (
    const text of ["", "%", "%2", "a%", "%g0", "%0g", "12% growth", "% 41", "%\u0661\u0662", "%２e"]
  ) {
    assert.equal(holdsPercentEscape(text), false, JSON.stringify(text));
  }
});

Deno.test("a percent escape is found as a regular expression finds it", () => {
  const escape = /%[0-9A-Fa-f]{2}/;
  const alphabet = ["%", "2", "e", "G", "f", " ", "0", "9", ":", "@", "`", "F"];
  // Every text of up to four characters from an alphabet around the digits' edges.
  const texts = [""];
  for (let length = 1; length <= 4; length++) {
    for (const text of texts.filter((t) => t.length === length - 1)) {
      for (const c of alphabet) texts.push(text + c);
    }
  }
  for (const text of texts) {
    assert.equal(holdsPercentEscape(text), escape.test(text), JSON.stringify(text));
  }
});
