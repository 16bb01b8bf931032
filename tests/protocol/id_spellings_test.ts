import assert from "node:assert/strict";
import { idSpellings } from "../../src/protocol/id_spellings.ts";

Deno.test("idSpellings() names the ids a client may take an answer for", () => {
  assert.deepEqual(idSpellings(2), ["n:2", "s:2"]);
  assert.deepEqual(idSpellings("2"), ["s:2", "n:2"]);
  // The TypeScript SDK matches with Number(id).
  assert.deepEqual(idSpellings(" 2 "), ["s: 2 ", "n:2"]);
  assert.deepEqual(idSpellings("2.0"), ["s:2.0", "n:2"]);
  assert.deepEqual(idSpellings("0x2"), ["s:0x2", "n:2"]);
  assert.deepEqual(idSpellings(""), ["s:", "n:0"]);
  assert.deepEqual(idSpellings("abc"), ["s:abc"]);
  assert.deepEqual(idSpellings("Infinity"), ["s:Infinity"]);
});
