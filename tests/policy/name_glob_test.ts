/**
 * nameGlob() matches exactly what globToRegExp(glob, true) matches: the
 * default policy's tool globs and globs with every corner of the syntax, over
 * names sampled from each glob and mutated (a seeded generator: the same
 * names every run), each answer held to the regular expression's.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { globToRegExp } from "../../src/policy/glob_to_regexp.ts";
import { nameGlob } from "../../src/policy/name_glob.ts";
import { COMMAND_RUNNER_GLOBS } from "../../src/policy/command_runner_globs.ts";
import { DELETE_LIKE_GLOBS } from "../../src/policy/delete_like_globs.ts";

/** A small seeded generator (mulberry32): the same names every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = ["/", "-", "_", ".", "A", "z", "0", "😀", "\ud83d", "\n", "é", "[", "]", "\\", ","];

/** A name the glob may match: braces chosen, runs and classes filled in at random. */
function sample(glob: string, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i]!;
    if (ch === "{") {
      const close = glob.indexOf("}", i);
      if (close === -1) break;
      out += sample(pick(glob.slice(i + 1, close).split(",")), random);
      i = close + 1;
    } else if (ch === "*") {
      const double = glob[i + 1] === "*";
      out += pick(double ? ["", "x", "a/b", "dev__", "my-server."] : ["", "ab", "Run", "x_y"]);
      i += double ? 2 : 1;
    } else if (ch === "?") {
      out += pick([...ODD, "q"]);
      i += 1;
    } else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) break;
      out += pick([...glob.slice(i + 1, close), ...ODD]);
      i = close + 1;
    } else if (ch === "\\") {
      out += glob[i + 1] ?? "";
      i += 2;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** `name` with one code unit changed, taken out or put in, or its case flipped. */
function mutate(name: string, random: () => number): string {
  const at = Math.floor(random() * (name.length + 1));
  const odd = ODD[Math.floor(random() * ODD.length)]!;
  switch (Math.floor(random() * 4)) {
    case 0:
      return name.slice(0, at) + odd + name.slice(at + 1);
    case 1:
      return name.slice(0, at) + name.slice(at + 1);
    case 2:
      return name.slice(0, at) + odd + name.slice(at);
    default:
      return name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase();
  }
}

/** Globs with every corner of the syntax. */
const CORNERS = [
  "*delete*",
  "read_?",
  "/data/**",
  "**/secret.txt",
  "a/**/b",
  "**/**",
  "a/**/**",
  "**",
  "/**",
  "a\\/**",
  "file[0-9].txt",
  "file[!0-9].txt",
  "x[^a-c-e]y",
  "[-a]",
  "[a-]",
  "[]a]",
  "[!]a]",
  "[\\]",
  "[^]",
  "[😀-😂]x",
  "{read,list}_file",
  "{,**__,**.,**/}shell",
  "{a,}{,b}",
  "a}b,c",
  "a+b(c)$^.|",
  "\\*literal",
  "\\{x\\}",
  "😀?",
  "\ud83d\\\ude00",
  "\ud83d*",
  "é*",
  "?",
  "",
];

Deno.test("nameGlob() matches what globToRegExp(glob, true) matches, for the default policy's globs and every corner of the syntax", () => {
  const random = seeded(43);
  const globs = [...COMMAND_RUNNER_GLOBS, ...DELETE_LIKE_GLOBS, ...CORNERS];
  let matched = 0;
  let names = 0;
  for (const glob of globs) {
    const expected = globToRegExp(glob, true);
    const actual = nameGlob(glob);
    const tries = ["", "echo", "run_command", "developer__shell", "a/b", "😀", "\ud83d"];
    for (let k = 0; k < 40; k++) {
      const name = sample(glob, random);
      tries.push(name, mutate(name, random), mutate(mutate(name, random), random));
    }
    for (const name of tries) {
      const want = expected.test(name);
      assert.equal(actual.test(name), want, `${JSON.stringify(glob)} on ${JSON.stringify(name)}`);
      if (want) matched++;
      names++;
    }
  }
  // The check can fail: the samples match often, and miss often.
  assert.ok(matched > names / 10, `only ${matched} of ${names} names matched`);
  assert.ok(matched < names * 4 / 5, `${matched} of ${names} names matched`);
});

Deno.test("nameGlob() refuses what globToRegExp() refuses, with the same error", () => {
  const bad = ["a[bc", "{a,b", "{a,{b}}", "trailing\\", "[z-a]", "x[!-+]", "[z-a]{", "{[b-a]"];
  for (const glob of bad) {
    let expected: unknown;
    try {
      globToRegExp(glob, true);
    } catch (error) {
      expected = error;
    }
    assert.ok(expected instanceof Error, `${glob} was not refused`);
    assert.throws(() => nameGlob(glob), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.constructor, expected.constructor, glob);
      assert.equal(error.message, expected.message);
      assert.equal(isAppError(error), isAppError(expected));
      return true;
    });
  }
});
