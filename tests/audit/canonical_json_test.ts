import assert from "node:assert/strict";
import { CANONICAL_JSON_MAX_DEPTH, canonicalJson } from "../../src/audit/canonical_json.ts";
import { isAppError } from "../../src/errors.ts";

const rawJson = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;

/** The plain recursive definition the iterative writer must match, byte for byte. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if ((JSON as unknown as { isRawJSON: (v: unknown) => boolean }).isRawJSON(value)) {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    parts.push(`${JSON.stringify(key)}:${reference(member)}`);
  }
  return `{${parts.join(",")}}`;
}

Deno.test("canonicalJson() writes the vectors as the recursive definition does", () => {
  const vectors: [unknown, string][] = [
    [{ b: 1, a: [true, null] }, '{"a":[true,null],"b":1}'],
    [[], "[]"],
    [{}, "{}"],
    [[[], {}, [[]]], "[[],{},[[]]]"],
    [{ z: undefined, y: () => 1, x: 0 }, '{"x":0}'],
    [[undefined, () => 1, Symbol("s")], "[null,null,null]"],
    [{ "é": "\u2028", "10": 1, "2": 2, "A": 3, "a": 4, "": 5 }, ""],
    [{ card: rawJson("6212345678901234569"), n: 1 }, '{"card":6212345678901234569,"n":1}'],
    [undefined, "null"],
    [NaN, "null"],
    ['x\u0000"', '"x\\u0000\\""'],
    [{ a: { b: { c: [1, { d: [] }] } } }, '{"a":{"b":{"c":[1,{"d":[]}]}}}'],
  ];
  for (const [value, expected] of vectors) {
    const text = canonicalJson(value);
    assert.equal(text, reference(value));
    if (expected !== "") assert.equal(text, expected);
  }
});

Deno.test("canonicalJson() agrees with the recursive definition on random values", () => {
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const scalars = [
    null,
    true,
    false,
    0,
    -1.5,
    1e21,
    "x",
    'é"\\',
    undefined,
    rawJson("90071992547409931"),
  ];
  const keys = ["b", "a", "A", "é", "10", "2", ""];
  const make = (depth: number): unknown => {
    const r = random();
    if (depth > 5 || r < 0.3) return scalars[Math.floor(random() * scalars.length)];
    if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = 0; i < random() * 5; i++) {
      object[keys[Math.floor(random() * keys.length)]!] = make(depth + 1);
    }
    return object;
  };
  for (let i = 0; i < 2000; i++) {
    const value = make(0);
    assert.equal(canonicalJson(value), reference(value));
  }
});

Deno.test("canonicalJson() writes a value nested 9000 levels deep without overflowing the stack", () => {
  let value: unknown = "bottom";
  for (let i = 0; i < 4500; i++) value = { a: [value] };
  const text = canonicalJson(value);
  assert.equal(text, '{"a":['.repeat(4500) + '"bottom"' + "]}".repeat(4500));
});

Deno.test("canonicalJson() refuses a value nested past its limit with audit.too_deep", () => {
  const nested = (levels: number) => JSON.parse("[".repeat(levels) + "]".repeat(levels));
  assert.equal(
    canonicalJson(nested(CANONICAL_JSON_MAX_DEPTH)).length,
    2 * CANONICAL_JSON_MAX_DEPTH,
  );
  for (const levels of [CANONICAL_JSON_MAX_DEPTH + 1, 200_000]) {
    assert.throws(
      () => canonicalJson(nested(levels)),
      (error) =>
        isAppError(error, "audit.too_deep") && /deeper than 10000 levels/.test(error.message),
    );
  }
});
