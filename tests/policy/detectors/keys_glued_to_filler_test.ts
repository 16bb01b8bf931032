import assert from "node:assert/strict";
import {
  fillerAfter,
  glueClass,
  tokenStarts,
  withoutTrailingFiller,
} from "../../../src/policy/detectors/glued_filler.ts";
import { evaluated, found } from "./_reencoded_token.ts";

// A key with padding glued to it (`AKIA…` + `aaaa…`, `xxxx` + `ghp_…`, `sk_live_…` + `====`)
// is the key all the same: filler hides nothing a reader cannot strip. A word, one odd
// character or more key characters glued to it still make a longer string that is no key, and
// a run inside longer text (the `AAAA` of base64) is no filler. Keys are built from parts, so no
// whole credential sits in the source.

const KEYS = {
  aws_access_key_id: ["AKIA", "Q3EGRBPSXLYH7TNU"],
  github_token: ["ghp_", "l7dXTPyLsxPFkThf4VucSmEHgaKwVJ7faC9q"],
  slack_token: ["xoxb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
  google_api_key: ["AIza", "SyBq7Xk2Lm9Np4Rt6Vw8Yz1Ac3Ef5Gh7Jk9"],
  jwt: ["eyJhbGciOiJIUzI1NiJ9.", "eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVzYWJj"],
  provider_token: ["sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"],
} as const;
const NPM = "npm_" + "Z3xRLxk3A64cLjfvblEouV1Eo9jAxBCKj5mk";
const HF = "hf_" + "TrzaeDroEfkeJWAVsiLryXIYSQXCimcwJB";
const ANTHROPIC = "sk-ant-api03-" +
  "wQehGWHElX3v7vJm0AEv2I-v2_LlzCylxCQRPSFO1jxgemCQVNSAXO7vgC6-1RJSqIzqG8X6KZEo7ymsjIU2HIdW6IcEa" +
  "AA";

/** The secret types found in `text` as one argument. */
function types(text: string): string[] {
  return found({ k: text }).map((f) => f.slice(0, f.indexOf("@")));
}

Deno.test("the AWS key id with a low-entropy run glued after it is blocked", () => {
  const id = "AKIAIOSFODNN7" + "EXAMPLQ";
  assert.deepEqual(types(id + "a".repeat(48)), ["aws_access_key_id"]);
  assert.equal(evaluated({ k: id + "a".repeat(48) }).decision, "block");
});

Deno.test("a key with filler glued after it, before it or on both sides is found", () => {
  const fillers = [
    "aaaaaaaaaaaa",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "0000",
    "xx",
    "====",
    "....",
    "____",
  ]
    .concat(["----", "abcabcabc", "passwordpassword", "z".repeat(100_000)]);
  const missed: string[] = [];
  for (const [type, [prefix, rest]] of Object.entries(KEYS)) {
    const key = prefix + rest;
    for (const filler of fillers) {
      for (const text of [key + filler, filler + key, filler + key + filler]) {
        if (!types(text).includes(type)) missed.push(`${type}: ${text.slice(0, 120)}`);
      }
    }
  }
  for (const key of [NPM, HF, ANTHROPIC]) {
    for (const text of [key + "XXXXXXXX", "xxxx" + key, "0000" + key + "===="]) {
      if (!types(text).includes("provider_token")) missed.push(text);
    }
  }
  assert.deepEqual(missed, []);
});

Deno.test("an AWS key id glued to letters or digits other than filler is no key id", () => {
  // Letters and digits of any case glued to it make a longer string, as before filler counted.
  for (
    const text of [
      "AKIAQ3EGRBPSXLYH7TNUpadding",
      "keyAKIAQ3EGRBPSXLYH7TNU9",
      "0AKIAQ3EGRBPSXLYH7TNU",
      "ASIAPACIFICNORTHEASTERN",
      "AKIAQ3EGRBPSXLYH7TNUQ",
      "XAKIAQ3EGRBPSXLYH7TNUV",
      // Filler for a stretch, then a word: the glue is not filler to its end.
      "AKIAQ3EGRBPSXLYH7TNU" + "a".repeat(80) + "word",
      "word" + "x".repeat(80) + "AKIAQ3EGRBPSXLYH7TNU",
    ]
  ) {
    assert.deepEqual(types(text), [], text);
  }
  assert.deepEqual(types("-AKIAQ3EGRBPSXLYH7TNU."), ["aws_access_key_id"]);
  // The prefix repeated as padding: the last places a prefix starts after filler are tried.
  assert.deepEqual(types("AKIAAKIAAKIA" + "AKIAQ3EGRBPSXLYH7TNU"), ["aws_access_key_id"]);
  assert.deepEqual(types("AIzaAIzaAIza" + KEYS.google_api_key.join("")), ["google_api_key"]);
});

/** An ELF symbol table of `count` entries: small numbers and runs of zero bytes, as binaries hold. */
function symbolTable(count: number): Uint8Array {
  const bytes = new Uint8Array(count * 24);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    view.setUint32(i * 24, 1 + i * 13, true);
    bytes[i * 24 + 4] = 0x12;
    view.setUint16(i * 24 + 6, i % 3 === 0 ? 0 : 14, true);
    view.setUint32(i * 24 + 8, i % 3 === 0 ? 0 : 0x3780 + i * 0x40, true);
    view.setUint32(i * 24 + 16, i % 5 === 0 ? 0 : 16 + (i % 11) * 8, true);
  }
  return bytes;
}

Deno.test("base64 of binary data stays clean: its runs of A are no filler", () => {
  // Zero bytes are `AAAA` in base64, around stretches shaped like a key id.
  const table = btoa(String.fromCharCode(...symbolTable(1024)));
  const section = "AAAAAC43gAAAAAAAAcAAABIAAAAAAAAAAAAAADA3gAAAAAAAAcAAABJAAAAA";
  const flagged = [table, section, `data:application/octet-stream;base64,${table}`].filter(
    (content) => found({ content }).length > 0 || evaluated({ content }).decision !== "allow",
  );
  assert.deepEqual(flagged.map((content) => content.slice(0, 60)), []);
});

Deno.test("a look-alike glued before a token does not hide the token", () => {
  // Each place a token may start is tried, inside a look-alike that failed too.
  const slack = KEYS.slack_token.join("");
  const jwt = KEYS.jwt.join("");
  const gitlab = "glpat-" + "aB3dE5fG7hJ9kL1mN3pQ";
  const texts = [
    "Qxoxb-AAAAAAAAAA-" + slack,
    "hugsxoxo-seeyousoon-" + slack,
    "QeyJfoofoofoo." + jwt,
    "eyJfoofoofoo." + jwt,
    "token " + gitlab + "rS5tU7v.01.0f1a2b3c4d5e6f7 end",
    "Q" + gitlab + "rS5tU7v." + gitlab,
    "glpat-" + "x".repeat(27) + "." + gitlab,
  ];
  assert.deepEqual(texts.filter((k) => evaluated({ k }).decision !== "block"), []);
});

Deno.test("a key taking padding into its own characters is found once the padding is cut", () => {
  // A key of variable length takes what is glued after it; at its longest it gives filler back.
  const [ghp, body] = KEYS.github_token;
  for (const pad of [214, 215, 216, 217, 300]) {
    assert.deepEqual(types(ghp + body + "x".repeat(pad)), ["github_token"], `${pad}`);
  }
  // A provider key with padding or a placeholder word glued after it is no placeholder.
  const stripe = KEYS.provider_token.join("");
  for (
    const glued of ["x".repeat(12), "example", "EXAMPLE", "REDACTED", "1234567", "a".repeat(300)]
  ) {
    assert.deepEqual(types(stripe + glued), ["provider_token"], glued);
  }
});

Deno.test("placeholders, one odd character and words glued to a key stay clean", () => {
  const clean = [
    // Placeholders glued to filler are placeholders still.
    "AWS_ACCESS_KEY_ID=AKIA" + "X".repeat(16) + "XXXXXXXX",
    "GITHUB_TOKEN=ghp_" + "x".repeat(36) + "====",
    "GITHUB_TOKEN=xxxxghp_" + "x".repeat(36),
    "STRIPE=sk_live_" + "x".repeat(40),
    "STRIPE=sk_live_" + "example".repeat(6),
    "key=AIzaSy" + "X".repeat(33) + "----",
    "AWS=AKIAIOSFODNN7EXAMPLE" + "a".repeat(30),
    // One character too long, or glued to a word or a key's own characters.
    NPM + "X",
    "Q" + NPM,
    "id" + KEYS.github_token.join("") + "v2",
    "the" + KEYS.slack_token.join(""),
    "ab" + KEYS.jwt.join(""),
    KEYS.google_api_key.join("") + "Zq",
    // Ordinary data around prefixes.
    "ASIAPACIFICNORTHEASTERNREGION2",
    "AKIA is the prefix, AKIAS the plural of nothing",
    "uuid 123e4567-e89b-12d3-a456-426614174000 sha256 " +
    "e3b0c44298fc1c149afbf4c8996fb924".repeat(2),
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "my_github_pat_token_description_field and task_live_updates",
  ];
  for (const text of clean) assert.deepEqual(types(text), [], text);
});

Deno.test("fillerAfter() and tokenStarts() take a unit repeated twice to the glue's end", () => {
  const glue = glueClass(/[A-Za-z0-9]/);
  const key = "AKIAQ3EGRBPSXLYH7TNU";
  assert.equal(fillerAfter(key, 20, glue, 0), true, "nothing glued");
  assert.equal(fillerAfter(key + " x", 20, glue, 0), true, "a space first");
  assert.equal(fillerAfter(key + "xx", 20, glue, 0), true);
  assert.equal(fillerAfter(key + "x", 20, glue, 0), false, "once is no repetition");
  assert.equal(fillerAfter(key + "abab", 20, glue, 0), true);
  assert.equal(fillerAfter(key + "aba", 20, glue, 0), false);
  assert.equal(fillerAfter(key + "pad9pad9", 20, glue, 0), true);
  assert.equal(fillerAfter(key + "abcdefghiabcdefghi", 20, glue, 0), false, "a unit of 9");
  assert.equal(fillerAfter(key + "xxxxy", 20, glue, 0), false);
  // The glue is read to its end, however long.
  assert.equal(fillerAfter(key + "x".repeat(5000) + " y", 20, glue, 0), true);
  assert.equal(fillerAfter(key + "x".repeat(5000) + "y", 20, glue, 0), false);
  // Filler may start inside the token as far as it may give characters back.
  assert.equal(fillerAfter(key + "U", 20, glue, 0), false);
  assert.equal(fillerAfter(key + "U", 20, glue, 1), true);
  const starts = (text: string) => [...tokenStarts(text, /AKIA/g, glue)].sort((a, b) => a - b);
  assert.deepEqual(starts("xx" + key), [2]);
  assert.deepEqual(starts("x" + key), [], "once is no repetition");
  assert.deepEqual(starts("-x" + key), []);
  assert.deepEqual(starts("q9q9" + key), [4]);
  assert.deepEqual(starts("word" + key), []);
  assert.deepEqual(starts("word" + "x".repeat(100) + key), [], "filler back to the run's start");
  assert.deepEqual(starts("word-" + "x".repeat(100) + key), [105]);
  assert.deepEqual(starts(key + "-" + key), [0, 21], "after a dash, each");
  // Of places glued after filler, the last ones of the run are tried.
  assert.deepEqual(starts("AKIA".repeat(1000) + key), [0, 3996, 4000]);
  assert.equal(withoutTrailingFiller("sk_live_abcXYZxxxx"), "sk_live_abcXYZ");
  assert.equal(withoutTrailingFiller("sk_live_abcXYZ"), "sk_live_abcXYZ");
  assert.equal(withoutTrailingFiller("abcXYZ1212"), "abcXYZ");
});

Deno.test("a unit the key reads partly as its own, repeated after it, is filler", () => {
  // A key of variable length takes the unit's first characters into its own and stops at one it
  // cannot take (`_`): the filler starts inside the key, up to what the key may give back.
  const github = KEYS.github_token.join("");
  const stripe = KEYS.provider_token.join("");
  // A webhook's secret takes 60 to 68 characters: one of 63 to 67 takes `disdis` in up to 68.
  const secret = "aB3-dE5_fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7z";
  const webhook = (n: number) =>
    "discord.com/api/webhooks/" + "123456789012345678/" + secret.slice(0, n);
  const cases: [string, string][] = [
    [github + "a_a_", "github_token"],
    [github + "ab_ab_", "github_token"],
    [github + "ghp_ghp_", "github_token"],
    [stripe + "a_a_", "provider_token"],
    [stripe + "ab_ab_", "provider_token"],
    [stripe + "sk_sk_", "provider_token"],
    ["disdis" + webhook(63) + "disdis", "provider_token"],
    ["disdis" + webhook(65) + "disdis", "provider_token"],
    [webhook(67) + "disdis", "provider_token"],
  ];
  const missed = cases.filter(([text, type]) => !types(text).includes(type));
  assert.deepEqual(missed.map(([text]) => text), []);
  // What is glued after is still read to its end: a unit that does not repeat is no filler.
  for (const text of [github + "a_b_", github + "ab_ac_", stripe + "ab_abc_", stripe + "a_a_b"]) {
    assert.deepEqual(types(text), [], text);
  }
});
