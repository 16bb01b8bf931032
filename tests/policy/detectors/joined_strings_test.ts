import assert from "node:assert/strict";
import { joinedRuns, tokenFragment } from "../../../src/policy/detectors/joined_strings.ts";
import { evaluated, found, HEAD, hex, scan, TAIL, TOKEN } from "./_reencoded_token.ts";

// Adjacent strings of one array read joined: a token split across elements is found, and
// ordinary arrays (words, ids, a row of a sheet) are not. Tokens are built from parts, so no
// whole credential sits in the source.

Deno.test("strings read joined are judged with no key: lists under secret-sounding keys pass", () => {
  const lists: Record<string, unknown>[] = [
    { tokens: ["I", "have", "2", "cats", "and", "3", "dogs"] },
    { stop_tokens: ["\n\nHuman:", "###", "<|end|>", "</s>", "User1:"] },
    { auth: ["google-oauth2", "github", "saml-okta-2026"] },
    { tokens: ["9b2f6a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"] },
    { api_key: ["prod", "staging", "dev01"] },
    { password: ["min8", "upper1", "digit1"] },
    { batch: [{ tokens: ["the", "model", "said", "42", "twice"] }] },
  ];
  for (const args of lists) {
    const result = scan(args);
    assert.deepEqual(result.findings, [], JSON.stringify(args));
    assert.equal(result.capped, false, JSON.stringify(args));
    assert.equal(evaluated(args).decision, "allow", JSON.stringify(args));
  }
  // A value one element holds is still judged under the key, as it was.
  assert.deepEqual(found({ api_key: ["prod", "9fQ2xL7vR4tZ8mK1pW3s"] }), [
    "api_key_assignment@api_key[1]",
  ]);
});

Deno.test("a joined finding needs a match that crosses from one element into the next", () => {
  // The token lies across elements 1 to 3; the words around it are not joined to it.
  assert.deepEqual(found({ m: ["x y", "ghp_", "ZRwYhCxzScmYCnVo", TAIL, "done"] }), [
    "github_token@m (elements 1\u20133 read joined)",
  ]);
  // A name and its value in separate elements: the assignment needs all three, the token two.
  assert.deepEqual(found({ m: ["GITHUB_TOKEN=", TOKEN.slice(0, 9), TOKEN.slice(9)] }), [
    "api_key_assignment@m (elements 0\u20132 read joined)",
    "github_token@m (elements 1\u20132 read joined)",
  ]);
  // Split into single characters.
  assert.deepEqual(found({ chars: [...TOKEN] }), [
    "github_token@chars (elements 0\u201339 read joined)",
  ]);
  // The reason names the elements read joined.
  const { decision, reasons } = evaluated({ m: [HEAD, TAIL] });
  assert.equal(decision, "block");
  assert.ok(
    reasons.some((r) => r.includes("GitHub token in m (elements 0\u20131 read joined)")),
    reasons.join("\n"),
  );
});

Deno.test("runs of base64 or hex inside one element are not read again when strings are joined", () => {
  // 33 padded base64 strings of text: each was read on its own; joined, no run crosses.
  const messages = Array.from({ length: 33 }, (_, i) => btoa(`order ${100 + i} shipped`));
  const result = scan({ messages });
  assert.deepEqual(result.findings, []);
  assert.deepEqual(result.cappedBy, []);
  assert.equal(evaluated({ messages }).decision, "allow");
  // A run that crosses from one element into the next is read: hex split at an odd digit.
  const digits = hex(TOKEN);
  assert.deepEqual(found({ m: [digits.slice(0, 31), digits.slice(31)] }), [
    "github_token@m (elements 0\u20131 read joined)",
  ]);
});

Deno.test("URLs, e-mail addresses and words are not joined into credentials", () => {
  const rows: Record<string, unknown>[] = [
    { values: [["Acme", "https://acme.com:443", "sales@acme.com"]] },
    { row: ["http://localhost:8080", "admin@example.com"] },
    { hosts: ["https://db.internal:5432", "postgres@db.internal"] },
    { headers: ["Authorization:", "Bearer", "9fQ2xL7vR4tZ8mK1pW3s0x"] },
  ];
  for (const args of rows) {
    const types = scan(args).findings.map((f) => f.type);
    assert.ok(!types.includes("url_credentials"), JSON.stringify(args));
    assert.ok(!types.includes("http_authorization"), JSON.stringify(args));
    assert.notEqual(evaluated(args).decision, "block", JSON.stringify(args));
  }
  assert.equal(tokenFragment("http://localhost:8080"), false);
  assert.equal(tokenFragment("admin@example.com"), false);
  assert.equal(tokenFragment("two words"), false);
  assert.equal(tokenFragment(""), false);
  assert.equal(tokenFragment("R0lU+SFVC/X1RP=="), true);
  assert.equal(tokenFragment("GITHUB_TOKEN="), true);
  assert.equal(tokenFragment("%67\\u0068p_"), true);
});

Deno.test("a key id split after an ASIA or ABIA prefix is found; lists of region names are not", () => {
  // The words a key id's prefix spells (ASIA, ABIA) end a run of pieces and start the next;
  // a match that starts with one counts only when a digit follows, as in all but 1 in 28 ids.
  for (const m of [["ASIA", "KZ7XQ2MNPLRSTUVW"], ["ABIA", "KZ7XQ2MNPLRSTUVW", "x"]]) {
    assert.deepEqual(found({ m }), ["aws_access_key_id@m (elements 0\u20131 read joined)"]);
  }
  assert.deepEqual(found({ m: ["us", "ASIA", "KZ7XQ2MN", "PLRSTUVW"] }), [
    "aws_access_key_id@m (elements 1\u20133 read joined)",
  ]);
  assert.equal(evaluated({ m: ["ASIA", "KZ7XQ2MNPLRSTUVW"] }).decision, "block");
  assert.deepEqual(joinedRuns(["ASIA", "KZ7XQ2MNPLRSTUVW"]), [{ start: 0, end: 2 }]);
  // Region and place names spell 16 letters after the word, and hold no digit.
  const lists = [
    ["ASIA", "EUROPE", "AMERICAS", "OC"],
    ["AFRICA", "ASIA", "EUROPE", "AMERICAS", "OC"],
    ["ABIA", "LAGOS", "KANO", "OYO", "ENUGU"],
    ["ASIA", "PACIFIC2NORTHEAST", "EUROPE", "US-EAST-1"],
    ["ASIA", "QWER", "TYUI", "OPAS", "DFGH"],
  ];
  for (const regions of lists) {
    assert.deepEqual(found({ regions }), [], regions.join());
    assert.equal(evaluated({ regions }).decision, "allow", regions.join());
  }
  // A key id split inside its prefix, or after a prefix that is no word, is still read.
  assert.deepEqual(found({ m: ["AS", "IAKZ7XQ2MNPLRSTUVW"] }), [
    "aws_access_key_id@m (elements 0\u20131 read joined)",
  ]);
  assert.deepEqual(found({ m: ["AKIA", "KZ7XQ2MNPLRSTUVW"] }), [
    "aws_access_key_id@m (elements 0\u20131 read joined)",
  ]);
});

Deno.test("a key id or API key split over strings glued on both sides is found", () => {
  // A token of fixed length glued to a string before and one after it; one of variable length
  // reads on into the glue after it, and was found before.
  assert.deepEqual(found({ m: ["x", "AKIA", "KZ7XQ2MNPL", "RSTUVW", "y"] }), [
    "aws_access_key_id@m (elements 1\u20133 read joined)",
  ]);
  assert.deepEqual(found({ m: ["ids", "AKIAKZ7X", "Q2MNPLRSTUVW", "v2"] }), [
    "aws_access_key_id@m (elements 1\u20132 read joined)",
  ]);
  const google = "AIza" + "SyB7xQ2mNpLrStUvW3yZ4aBcDeFgHiJkLmN";
  assert.deepEqual(found({ m: ["x", google.slice(0, 20), google.slice(20), "y"] }), [
    "google_api_key@m (elements 1\u20132 read joined)",
  ]);
  assert.deepEqual(found({ m: ["x", HEAD, TAIL, "y"] }), [
    "github_token@m (elements 1\u20132 read joined)",
  ]);
  // Glued to a word inside the strings themselves, a token is no token, as in one string;
  // glued to filler, it is one (see glued_filler.ts), split or not. A GitHub token's length
  // varies, so what is glued after it is read as its own (`…v2`): the side after a token is
  // tested with keys of fixed length.
  assert.deepEqual(found({ m: "id" + TOKEN + "v2" }), []);
  assert.deepEqual(found({ m: ["id" + HEAD, TAIL + "v2"] }), []);
  assert.deepEqual(found({ m: "xx" + TOKEN + "yy" }), ["github_token@m"]);
  assert.deepEqual(found({ m: ["xx" + HEAD, TAIL + "yy"] }), [
    "github_token@m (elements 0\u20131 read joined)",
  ]);
  const npm = ["npm_" + "Z3xRLxk3A64cLjfv", "blEouV1Eo9jAxBCKj5mk"] as const;
  const aws = ["AKIAKZ7X", "Q2MNPLRSTUVW"] as const;
  for (
    const [type, [head, tail]] of Object.entries({ provider_token: npm, aws_access_key_id: aws })
  ) {
    assert.deepEqual(found({ m: head + tail + "v2" }), [], type);
    assert.deepEqual(found({ m: [head, tail + "v2"] }), [], type);
    assert.deepEqual(found({ m: head + tail + "yy" }), [`${type}@m`], type);
    assert.deepEqual(found({ m: [head, tail + "yy"] }), [
      `${type}@m (elements 0\u20131 read joined)`,
    ]);
  }
  // Lists of tags, codes and words glued the same way stay clean.
  const lists = [
    ["prod", "web", "eu-west-1", "team-a", "v2", "AKIA", "docs", "x"],
    ["SKU2024ABCD", "ITEM7", "LOT22", "BIN4", "AISLE9", "ROW12", "SHELF3"],
    Array.from({ length: 300 }, (_, i) => `AK${i % 7}IA${i}`),
  ];
  for (const tags of lists) {
    const result = scan({ tags });
    assert.deepEqual([result.findings, result.cappedBy], [[], []], tags.join());
  }
});

Deno.test("a split token glued to the strings beside it is read from its first string", () => {
  const key = "AKIA" + "KZ7XQ2MNPLRSTUVW";
  // Beside a string flagged on its own: the token is found too, at the elements it needs.
  assert.deepEqual(found({ m: [key, HEAD, TAIL] }), [
    "aws_access_key_id@m[0]",
    "github_token@m (elements 1\u20132 read joined)",
  ]);
  // A word or a letter glued before it, or after a key id of fixed length.
  assert.deepEqual(found({ m: ["prefix", HEAD, TAIL] }), [
    "github_token@m (elements 1\u20132 read joined)",
  ]);
  assert.deepEqual(found({ m: ["x", "AKIA", "KZ7XQ2MNPL", "RSTUVW"] }), [
    "aws_access_key_id@m (elements 1\u20133 read joined)",
  ]);
  assert.deepEqual(found({ m: ["AKIAKZ7X", "Q2MNPLRSTUVW", "tail"] }), [
    "aws_access_key_id@m (elements 0\u20131 read joined)",
  ]);
  assert.equal(evaluated({ m: ["x", HEAD, TAIL] }).decision, "block");
  // Word lists glued the same way stay clean.
  const words = Array.from({ length: 200 }, (_, i) => ["alpha", "beta7", "gamma_", "d-1"][i % 4]);
  assert.deepEqual(scan({ words }).findings, []);
  assert.deepEqual(scan({ words }).cappedBy, []);
});

Deno.test("joinedRuns() skips short arrays before looking at their strings, and splits at non-pieces", () => {
  assert.equal(joinedRuns(["a", "b"]), undefined);
  assert.equal(joinedRuns(["abcdefgh", "ijklmno"]), undefined, "15 characters");
  assert.deepEqual(joinedRuns(["abcdefgh", "ijklmnop"]), [{ start: 0, end: 2 }]);
  assert.deepEqual(joinedRuns(["x y", HEAD, TAIL, 7, "a b", HEAD, "c d", HEAD, TAIL]), [
    { start: 1, end: 3 },
    { start: 7, end: 9 },
  ]);
});

Deno.test("big ordinary calls reach the size limit before the decoded readings' budget", () => {
  // Each about 90 % of maxChars: an array of hex of text, of percent-escaped URLs, and text
  // with both `\u` and percent escapes. The joined reading has budgets of its own, and text
  // with both escapes is read decoded once.
  const maxChars = 64 * 1024;
  const inputs: Record<string, unknown> = {
    "hex of text": Array.from({ length: 62 }, (_, i) => hex(`lorem ipsum ${i} `.repeat(32))),
    "escaped URLs": Array.from(
      { length: 1150 },
      (_, i) => `https://x.com/a%20b/${i}?q=c%2Fd`.padEnd(50, "e"),
    ),
    "both escapes": 'var a="\\u00e9";fetch("/x?q=a%20b");'.repeat(1700),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const size = typeof input === "string" ? input.length : JSON.stringify(input).length;
    assert.ok(size > maxChars * 0.85 && size < maxChars, `${name}: ${size}`);
    assert.deepEqual(scan({ m: input }, maxChars).cappedBy, [], name);
  }
});
