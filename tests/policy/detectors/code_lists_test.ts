import assert from "node:assert/strict";
import { evaluated, found, scan } from "./_reencoded_token.ts";

// Lists of short capital codes (US states, countries, tickers) read joined spell AWS key id
// prefixes by chance (`"AK", "IA"`, `"AS", "IA"`, `"AB", "IA"`): such lists are values, not a
// key split into pieces. A key id split among them is still read.

const STATES = ("AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO " +
  "MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split(" ");
const COUNTRIES = ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI " +
  "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX " +
  "CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI")
  .split(" ");
const KEY_TAIL = "KZ7XQ2MNPLRSTUVW";

/** `length` codes from `pool`, with `pair` at `at`. */
function codeList(pool: readonly string[], length: number, pair: readonly string[], at: number) {
  const rest = pool.filter((c) => !pair.includes(c));
  const out = rest.slice(0, length - pair.length);
  out.splice(at, 0, ...pair);
  return out;
}

Deno.test("lists of state and country codes that spell a key id's prefix pass", () => {
  // The reviewer's list, and the states as they are listed (AK at the start, IA after IN).
  const lists: string[][] = [
    ["AK", "IA", "ID", "MT", "ND", "NE", "SD", "WY", "UT", "NV", "OR"],
    ["AS", "IA", "ID", "MT", "ND", "NE", "SD", "WY", "UT", "NV", "OR"],
    STATES,
    COUNTRIES,
  ];
  for (const pair of [["AK", "IA"], ["AS", "IA"], ["AB", "IA"], ["AC", "CA"]]) {
    for (const length of [10, 11, 12, 17, 20, 30, 45, 60]) {
      for (const at of [0, 1, length - 10, length - 9, length - 2, length >> 1]) {
        if (at < 0 || at > length - 2) continue;
        lists.push(codeList(length > STATES.length ? COUNTRIES : STATES, length, pair, at));
      }
    }
  }
  // Codes of 3 and 4 letters: countries, tickers.
  lists.push(["AKI", "AMZ", "BHR", "IAK", "ZZZ", "ABC", "DEF", "GHI", "JKL"]);
  lists.push(["AKAM", "AKIA", "QWER", "TYUI", "OPAS", "DFGH", "JKLM"]);
  for (const states of lists) {
    const result = scan({ states });
    assert.deepEqual(result.findings, [], JSON.stringify(states));
    assert.equal(evaluated({ states }).decision, "allow", JSON.stringify(states));
  }
});

Deno.test("a key id split among codes, or into pieces one of which holds a digit, is still read", () => {
  // A key id's pieces holding a digit, in short pieces and beside a list of codes.
  assert.deepEqual(found({ m: ["AK", "IA", "KZ", "7X", "Q2", "MN", "PL", "RS", "TU", "VW"] }), [
    "aws_access_key_id@m (elements 0\u20139 read joined)",
  ]);
  assert.deepEqual(found({ m: ["AL", "AK", "AZ", "AKIA", "KZ7X", "Q2MN", "PLRS", "TUVW"] }), [
    "aws_access_key_id@m (elements 3\u20137 read joined)",
  ]);
  // A key id before a list of codes that spells one: the list's is set aside, the key's read.
  const codes = ["AK", "IA", "ID", "MT", "ND", "NE", "SD", "WY", "UT", "NV", "OR"];
  assert.deepEqual(found({ m: ["AKIA", KEY_TAIL.slice(0, 8), KEY_TAIL.slice(8), ...codes] }), [
    "aws_access_key_id@m (elements 0\u20132 read joined)",
  ]);
  assert.equal(evaluated({ m: ["AS", "IA" + KEY_TAIL] }).decision, "block");
});

Deno.test("lists of AWS key id prefixes pass; a key id split after its prefix is read", () => {
  // The prefixes of AWS unique ids as docs and IAM tooling list them: after a key id's prefix
  // as a string of its own, 16 capitals that are prefixes too are a list, not a key id's body.
  const lists = [
    ["AKIA", "ASIA", "AGPA", "AIDA", "AROA"],
    ["AKIA", "AGPA", "AIDA", "AROA", "ANPA"],
    ["AKIA", "ANPA", "ANVA", "APKA", "AIPA"],
    ["ACCA", "AGPA", "AIDA", "AROA", "ANPA"],
    ["x", "AKIA", "AGPA", "AIDA", "AROA", "ANPA", "y"],
    ["AKIA", "AGPAAIDAAROAANPA"],
    ["AKIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA", "ASIA", "APKA", "ABIA", "ACCA"],
  ];
  for (const prefixes of lists) {
    const result = scan({ prefixes });
    assert.deepEqual([result.findings, result.cappedBy], [[], []], JSON.stringify(prefixes));
    assert.equal(evaluated({ prefixes }).decision, "allow", JSON.stringify(prefixes));
  }
  for (const note of ["prefixes: AKIA, ASIA", "AKIA AGPA AIDA AROA ANPA"]) {
    assert.equal(evaluated({ note }).decision, "allow", note);
  }
  // Every other key id split after its prefix is read, with or without a digit, in pieces of
  // any length: only a body spelled of prefixes is a list.
  const splits = [
    ["AKIA", KEY_TAIL],
    ["AKIA", KEY_TAIL.slice(0, 8), KEY_TAIL.slice(8)],
    ["AKIA", "KZ", "7X", "Q2", "MN", "PL", "RS", "TU", "VW"],
    ["AKIA", "X7", "AB", "CD", "EF", "GH", "JK", "LM", "NP"],
    ["AKIA", "QWE7", "RTY2", "UIOP", "ASDF"],
    ["AKIA", "QWERTYUIOPASDF27"],
    ["AKIA", "QWER", "TYUI", "OPAS", "DFGH"],
    ["AKIA", "QWERTYUI", "OPASDFGH"],
    ["AKIA", "AGPA", "AIDA", "AROA", "ANPB"],
    ["ACCA", KEY_TAIL],
  ];
  for (const m of splits) {
    assert.deepEqual(found({ m }), [
      `aws_access_key_id@m (elements 0\u2013${m.length - 1} read joined)`,
    ], JSON.stringify(m));
    assert.equal(evaluated({ m }).decision, "block", JSON.stringify(m));
  }
  // Random key ids split after their prefix into pieces of 16 to 2 characters: all are read.
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  for (let n = 0; n < 200; n++) {
    const body = Array.from({ length: 16 }, () => base32[Math.floor(next() * 32)]).join("");
    for (const size of [16, 8, 4, 2]) {
      const m = ["AKIA", ...body.match(new RegExp(`.{${size}}`, "g"))!];
      assert.equal(found({ m }).length, 1, JSON.stringify(m));
    }
  }
  // One of letters alone is read split inside its prefix or glued to its body.
  assert.deepEqual(found({ m: ["AKIAQWER", "TYUIOPASDFGH"] }), [
    "aws_access_key_id@m (elements 0\u20131 read joined)",
  ]);
  // With a code before or after it in the run, or split inside its prefix into codes, it is a list.
  for (
    const m of [
      ["AKAM", "AKIA", "QWER", "TYUI", "OPAS", "DFGH"],
      ["AKIA", "QWER", "TYUI", "OPAS", "DFGH", "JKLM"],
      ["AK", "IA", "QW", "ER", "TY", "UI", "OP", "AS", "DF", "GH"],
    ]
  ) {
    assert.deepEqual(found({ m }), [], JSON.stringify(m));
  }
});

Deno.test("a list that is no key id does not hide a key id split after it", () => {
  // Each list before the key is read and dropped (codes, regions, AWS's id prefixes); the key
  // after it, split into strings and glued to its neighbours or hex-encoded, is still found.
  const key = ["AKIA", "QWE7RTY2UIOPASDF"];
  const hexKey = ["414b4941515745375254593255494f", "5041534446"];
  const codes = ["AK", "IA", "ID", "AK", "IA", "ID", "AK", "IA", "ID", "AK", "-"];
  const prefixes = ["AKIA", "AGPA", "AIDA", "AROA", "ANPA"];
  const cases: string[][] = [
    ["AK", "IA", "ID", "MN", "NY", "OH", "OK", "OR", "PA", "RI", ...key, "y"],
    ["ASIA", "EUROPE", "AMERICAS", "OC", "x", ...key, "y"],
    [...prefixes, ...key, "y"],
    [...codes, "x", ...key, "y"],
    [...codes, ...hexKey],
    [...prefixes, "-", ...hexKey],
    [...prefixes, ...prefixes, ...prefixes, ...prefixes, ...prefixes, ...key],
  ];
  for (const m of cases) assert.equal(evaluated({ m }).decision, "block", JSON.stringify(m));
  assert.equal(evaluated({ m: prefixes }).decision, "allow");
});
