/**
 * nameGlob() matches exactly what globToRegExp(glob, true) matches, and
 * nameGlob(glob, true) what globToRegExp(glob, true, true) does: the
 * default policy's tool globs and globs with every corner of the syntax, over
 * names sampled from each glob and mutated (a seeded generator: the same
 * names every run), each answer held to the regular expression's. `*`, `?`
 * and `[!…]` cross `/` only in a rule that blocks or steps up.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { globToRegExp } from "../../src/policy/glob_to_regexp.ts";
import { nameGlob } from "../../src/policy/name_glob.ts";
import { COMMAND_RUNNER_GLOBS } from "../../src/policy/command_runner_globs.ts";
import { DELETE_LIKE_GLOBS } from "../../src/policy/delete_like_globs.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { toolCall } from "./_call.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";

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
  "[!!]a]",
  "[\\]",
  "[^^]",
  "x[!-+]",
  "x[!/]y",
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

Deno.test("nameGlob() matches what globToRegExp(glob, true) matches, across / or not, for the default policy's globs and every corner of the syntax", () => {
  const globs = [...COMMAND_RUNNER_GLOBS, ...DELETE_LIKE_GLOBS, ...CORNERS];
  let differ = 0;
  for (const across of [false, true]) {
    const random = seeded(43);
    let matched = 0;
    let names = 0;
    for (const glob of globs) {
      const expected = globToRegExp(glob, true, across);
      const actual = nameGlob(glob, across);
      const other = globToRegExp(glob, true, !across);
      const tries = ["", "echo", "run_command", "developer__shell", "a/b", "😀", "\ud83d"];
      for (let k = 0; k < 40; k++) {
        const name = sample(glob, random);
        tries.push(name, mutate(name, random), mutate(mutate(name, random), random));
      }
      for (const name of tries) {
        const want = expected.test(name);
        const label = `${JSON.stringify(glob)} on ${JSON.stringify(name)}, across / ${across}`;
        assert.equal(actual.test(name), want, label);
        if (want) matched++;
        if (other.test(name) !== want) differ++;
        names++;
      }
    }
    // The check can fail: the samples match often, and miss often.
    assert.ok(matched > names / 10, `only ${matched} of ${names} names matched`);
    assert.ok(matched < names * 4 / 5, `${matched} of ${names} names matched`);
  }
  // And the two modes are told apart on names the samples hold.
  assert.ok(differ > 20, `the modes differ on only ${differ} names`);
});

Deno.test("nameGlob() refuses what globToRegExp() refuses, with the same error", () => {
  const bad = ["a[bc", "{a,b", "{a,{b}}", "trailing\\", "[z-a]", "x[!--+]", "[z-a]{", "{[b-a]"];
  bad.push("[!]", "x[^]y");
  for (const glob of bad) {
    let expected: unknown;
    try {
      globToRegExp(glob, true);
    } catch (error) {
      expected = error;
    }
    assert.ok(expected instanceof Error, `${glob} was not refused`);
    for (const across of [false, true]) {
      assert.throws(() => nameGlob(glob, across), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.constructor, expected.constructor, glob);
        assert.equal(error.message, expected.message);
        assert.equal(isAppError(error), isAppError(expected));
        return true;
      });
    }
  }
});

Deno.test("nameGlob() reads *, ? and [!…] across / only in a rule that blocks or steps up", () => {
  // glob, name, whether it matches across / (a rule that blocks), within (an allow rule or an
  // intent), and as an argument's glob.
  const cases: [string, string, boolean, boolean, boolean][] = [
    ["*", "repos/delete", true, false, false],
    ["*delete*", "github/repos/delete", true, false, false],
    ["repos?delete", "repos/delete", true, false, false],
    ["repos[!_]delete", "repos/delete", true, false, false],
    ["repos[!/]delete", "repos/delete", false, false, false],
    ["repos_*", "repos_a/b", true, false, false],
    ["list_*", "unlist_a/b", false, false, false],
    ["**", "a/b", true, true, true],
  ];
  for (const [glob, name, across, within, asPath] of cases) {
    const label = `${glob} on ${name}`;
    assert.equal(nameGlob(glob, true).test(name), across, label);
    assert.equal(globToRegExp(glob, true, true).test(name), across, label);
    assert.equal(nameGlob(glob).test(name), within, label);
    assert.equal(globToRegExp(glob, true).test(name), within, label);
    assert.equal(globToRegExp(glob).test(name), asPath, label);
  }
});

Deno.test("evaluate() reads a name glob across / in a rule that blocks, never in an allow rule or intent", () => {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "block",
      intents: { lists: { tools: ["list_*"] } },
      rules: [
        { id: "block-gh", match: { server: "git*", tool: "*" }, decision: "block" },
        { id: "reads", match: { server: "fs", tool: "read_*" }, decision: "allow" },
        { id: "files", match: { server: "fs", tool: "files/*" }, decision: "allow" },
        { id: "gets", match: { server: "fs", tool: "get[!_]*" }, decision: "allow" },
        { id: "lists", match: { server: "fs", tool: "list_*" }, decision: "allow" },
      ],
      detectors: { phi: "off", pii: "off", secrets: "off" },
    }),
    "p.jsonc",
  ));
  const decide = (server: string, tool: string, intent?: string) =>
    evaluate(policy, toolCall(server, tool, {}), { intent }).decision;
  assert.equal(decide("github", "list_repos"), "block");
  assert.equal(decide("github", "repos/delete"), "block");
  assert.equal(decide("git/hub", "x"), "block");
  assert.equal(decide("fs", "read_x"), "allow");
  assert.equal(decide("fs", "files/a"), "allow");
  assert.equal(decide("fs", "getx"), "allow");
  for (const tool of ["read_x/delete", "files/admin/delete", "get/delete"]) {
    assert.equal(decide("fs", tool), "block", tool);
  }
  // An intent's tool globs stop at / too.
  assert.equal(decide("fs", "list_a", "lists"), "allow");
  assert.equal(decide("fs", "list_a/delete", "lists"), "block");
});

Deno.test("the default policy's eligibility intent does not cover a tool past a /", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
  const intent = policy.intents.get("phi_eligibility_check");
  assert.ok(intent !== undefined);
  const covers = (tool: string) => intent.tools.some((glob) => glob.test(tool));
  assert.equal(covers("check_eligibility"), true);
  assert.equal(covers("get_coverage_summary"), true);
  assert.equal(covers("records/export_all_coverage_data"), false);
  assert.equal(covers("eligibility/../records/export"), false);
});
