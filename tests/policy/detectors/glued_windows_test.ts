import assert from "node:assert/strict";
import { evaluated, found, HEAD, scan, TAIL } from "./_reencoded_token.ts";

// A token split over an array's strings and glued to the strings on both sides of it is read
// in windows from one piece's edge to another's, opened only where a token may start (its
// prefix, `AKIA`, `ghp_`, …, in the joined text). Every place is looked at, however many tags
// come before the token; the windows cost the decoded readings' budget, and past it the scan is
// capped rather than passed, while arrays with no token's prefix open none. Tokens are built
// from parts, so no whole credential sits here.

const KEY_ID = ["AKIA", "KZ7XQ2MNPL", "RSTUVW"];

Deno.test("a key id glued on both sides after many tags is found", () => {
  for (const count of [10, 24, 40, 120]) {
    // Glued to capitals, a key id's own characters, so only a window reads it.
    const tags = [...Array.from({ length: count }, (_, i) => `tag${i}`), "X", ...KEY_ID, "Y"];
    assert.deepEqual(found({ tags }), [
      `aws_access_key_id@tags (elements ${count + 1}\u2013${count + 3} read joined)`,
    ], `${count} tags`);
    assert.equal(evaluated({ tags }).decision, "block", `${count} tags`);
  }
});

Deno.test("a token split in two after 33 tags or more is found, glued on one side or both", () => {
  for (const count of [33, 60]) {
    const filler = Array.from({ length: count }, (_, i) => `tag${i}`);
    assert.deepEqual(found({ tags: [...filler, HEAD, TAIL] }), [
      `github_token@tags (elements ${count}\u2013${count + 1} read joined)`,
    ]);
    assert.deepEqual(found({ tags: [...filler, "x", HEAD, TAIL, "y"] }), [
      `github_token@tags (elements ${count + 1}\u2013${count + 2} read joined)`,
    ]);
  }
});

Deno.test("windows past the decoded readings' budget cap the scan instead of passing it", () => {
  // 200 pieces that start like a key id, each glued on both sides, before a real one glued to
  // capitals (a key id's own characters, so only a window reads it).
  const decoys = Array.from({ length: 200 }, (_, i) => ["x", "AKIA", `t${i}`]).flat();
  const tags = [...decoys, "X", ...KEY_ID, "Y"];
  const small = scan({ tags }, 4096);
  assert.deepEqual([small.findings, small.cappedBy], [[], ["encoding"]]);
  // Within the budget the key id is found, and the decoys alone pass, not capped.
  assert.deepEqual(found({ tags }), ["aws_access_key_id@tags (elements 601\u2013603 read joined)"]);
  const clean = scan({ tags: decoys });
  assert.deepEqual([clean.findings, clean.cappedBy], [[], []]);
});

Deno.test("long arrays of letters, words and hex bytes are allowed, not capped", () => {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const arrays: Record<string, string[]> = {
    letters: Array.from({ length: 3000 }, (_, i) => letters[i % 26]!),
    words: Array.from({ length: 3000 }, (_, i) => `tag${i % 97}`),
    bytes: Array.from({ length: 3000 }, (_, i) => (i * 37 % 256).toString(16).padStart(2, "0")),
    capitals: Array.from({ length: 2000 }, (_, i) => String.fromCharCode(65 + (i * 7) % 26)),
  };
  for (const [name, items] of Object.entries(arrays)) {
    const result = scan({ items });
    assert.deepEqual([result.findings, result.cappedBy], [[], []], name);
    assert.equal(evaluated({ items }).decision, "allow", name);
  }
});

Deno.test("a SendGrid key split over strings glued on both sides is found", () => {
  const key = "SG." + "aB3dE5fG7hJ9kL1mN2pQ4r" + "." +
    "sT6uV8wX0yZ2aB4cD6eF8gH0jK2lM4nP6qR8sT0uV2w";
  assert.equal(key.length, 69);
  assert.deepEqual(found({ m: ["x", key.slice(0, 20), key.slice(20), "y"] }), [
    "provider_token@m (elements 1\u20132 read joined)",
  ]);
});

Deno.test("uppercase lists holding ASIA are no AWS key id; a key id split after ASIA is", () => {
  const lists = [
    ["ASIA", "AMERICAS", "APAC", "FY24", "EMEA"],
    ["EU", "ASIA", "Q3", "TARGETS", "MET", "FY26", "US"],
    ["REGION", "ASIA", "TIER2", "RETAIL", "STORE", "X"],
    ["CN", "Q1", "V3", "ASIA", "RETAIL", "APAC", "SKU", "B2C"],
    ["ASIA", "H2", "WAREHOUSE", "ZONE3", "EU"],
    ["ASIA", "MSFT", "AAPL", "GOOG", "BRK2"],
  ];
  for (const tags of lists) {
    assert.deepEqual(found({ tags }), [], tags.join());
    assert.equal(evaluated({ tags }).decision, "allow", tags.join());
  }
  assert.deepEqual(found({ m: ["ASIA", "KZ7XQ2MNPLRSTUVW"] }), [
    "aws_access_key_id@m (elements 0\u20131 read joined)",
  ]);
  assert.deepEqual(found({ m: ["x", "ASIA", "KZ7XQ2MN", "PLRSTUVW", "y"] }), [
    "aws_access_key_id@m (elements 1\u20133 read joined)",
  ]);
});
