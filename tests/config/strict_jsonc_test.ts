/**
 * The small JSONC reader against jsonc-parser: whatever it accepts,
 * jsonc-parser reads without an error or a duplicate key, to the same value.
 * Generated documents (random values in random layouts, with comments and
 * trailing commas) must be accepted; their corruptions may be declined but
 * never read differently.
 */
import assert from "node:assert/strict";
import { getNodeValue, type Node, type ParseError, parseTree } from "jsonc-parser";
import { readStrictJsonc } from "../../src/config/strict_jsonc.ts";

function hasDuplicateKeys(node: Node): boolean {
  if (node.type === "object") {
    const seen = new Set<unknown>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0]?.value;
      if (seen.has(key)) return true;
      seen.add(key);
    }
  }
  return (node.children ?? []).some(hasDuplicateKeys);
}

/** jsonc-parser builds objects without a prototype; the comparison is about content. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** The reference reading, or undefined where the small reader must decline. */
function reference(text: string): { value: unknown } | undefined {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || tree === undefined || hasDuplicateKeys(tree)) return undefined;
  return { value: plain(getNodeValue(tree)) };
}

function assertAgrees(text: string): boolean {
  const mine = readStrictJsonc(text);
  if (mine !== undefined) {
    const theirs = reference(text);
    assert.ok(theirs, `accepted what jsonc-parser rejects: ${JSON.stringify(text)}`);
    assert.deepEqual(mine.value, theirs.value, JSON.stringify(text));
  }
  return mine !== undefined;
}

/** A small deterministic generator (xorshift), so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const KEYS = [
  "a",
  "b",
  "version",
  "rules",
  "é",
  "a b",
  'q"uote',
  "back\\slash",
  "tab\t",
  "/*x*/",
  "//",
];
const STRINGS = [
  "",
  "x",
  "// not a comment",
  "/* nor this */",
  "\u2028",
  "\ud83d\ude00",
  "\\",
  "\n",
];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 2 ** 53 + 1, 1e-7, 123456789];

function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
  switch (kind) {
    case 0:
      return pick(STRINGS);
    case 1:
      return pick(NUMBERS);
    case 2:
      return pick([true, false, null]);
    case 3:
      return pick(["plain", "calendar_management"]);
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--) {
        out[pick(KEYS)] = randomValue(next, depth + 1);
      }
      return out;
    }
  }
}

/** Serializes with random whitespace, comments and trailing commas. */
function layout(value: unknown, next: () => number): string {
  const gap = () => {
    const r = next();
    if (r < 0.6) return "";
    if (r < 0.75) return " \n\t";
    if (r < 0.88) return ' /* note, with "quotes" */ ';
    return " // line comment\n";
  };
  const trail = () => (next() < 0.3 ? "," + gap() : "");
  if (Array.isArray(value)) {
    if (value.length === 0) return `[${gap()}]`;
    return `[${gap()}${value.map((v) => layout(v, next)).join(`${gap()},${gap()}`)}${trail()}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return `{${gap()}}`;
    const body = entries.map(([k, v]) => `${JSON.stringify(k)}${gap()}:${gap()}${layout(v, next)}`);
    return `{${gap()}${body.join(`${gap()},${gap()}`)}${trail()}}`;
  }
  return JSON.stringify(value);
}

Deno.test("the small reader reads hand-picked JSONC exactly as jsonc-parser does", () => {
  const accepted = [
    '{"a": [1, 2,], // two\n}',
    "[1, /* c */ ]",
    '{"a\\u0062": 1, "c": "\\ud800"}',
    " 1e400 ",
    '"\\/\\b\\f\\n\\r\\t"',
    "-0",
    '{"nested": {"deep": [[[{}]]]}}',
    "/* lead */ {} // tail",
    '{"a": 1}\r\n',
  ];
  for (const text of accepted) assert.equal(assertAgrees(text), true, text);
  const declined = [
    '{"a": 1, "a": 2}',
    '{"a": 1, "\\u0061": 2}',
    '{"__proto__": {}}',
    "{,}",
    "[,]",
    "[1,,]",
    "nul",
    "01",
    "1.",
    ".5",
    "+1",
    '"unterminated',
    '"tab\tinside"',
    "/* open",
    "\ufeff{}",
    "{} {}",
    "'single'",
    "{a: 1}",
    "NaN",
    "",
    "   ",
  ];
  for (const text of declined) assert.equal(assertAgrees(text), false, text);
});

Deno.test("generated documents are accepted, and their corruptions never read differently", () => {
  const next = rng(20261125);
  let corruptedAccepted = 0;
  let corruptedDeclined = 0;
  const noise = ["", ",", "}", "]", "{", "[", '"', "/", "*", "\n", "x", ":", "0", "-", "\\"];
  for (let i = 0; i < 600; i++) {
    const value = randomValue(next, 0);
    const text = layout(value, next);
    assert.equal(assertAgrees(text), true, text);
    assert.deepEqual(readStrictJsonc(text)?.value, JSON.parse(JSON.stringify(value)));
    for (let j = 0; j < 4; j++) {
      const at = Math.floor(next() * (text.length + 1));
      const cut = next() < 0.5 ? 1 : 0;
      const corrupted = text.slice(0, at) + noise[Math.floor(next() * noise.length)] +
        text.slice(at + cut);
      if (assertAgrees(corrupted)) corruptedAccepted++;
      else corruptedDeclined++;
    }
  }
  assert.ok(corruptedDeclined > 500, `declined ${corruptedDeclined}`);
  assert.ok(corruptedAccepted > 50, `accepted ${corruptedAccepted}`);
});
