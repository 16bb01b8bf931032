/**
 * globTokens() is the one reading of the glob syntax that globToRegExp() and
 * nameGlob() share: each corner of the syntax read into the tokens both build on.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { type GlobToken, globTokens } from "../../src/policy/glob_tokens.ts";

const lit = (text: string): GlobToken => ({ kind: "literal", text });
const STAR: GlobToken = { kind: "star" };
const GLOBSTAR: GlobToken = { kind: "globstar" };
const FOLDERS: GlobToken = { kind: "folders", required: false };
const TAIL: GlobToken = { kind: "folder_tail" };
const ONE: GlobToken = { kind: "one" };
const OPEN: GlobToken = { kind: "open" };
const OR: GlobToken = { kind: "or" };
const CLOSE: GlobToken = { kind: "close" };
const cls = (body: string, negate = false): GlobToken => ({ kind: "class", body, negate });

const cases: [string, GlobToken[]][] = [
  ["", []],
  ["read_file", [lit("read_file")]],
  // Escapes resolve into the literal text around them, one token.
  ["a\\*b\\.c", [lit("a*b.c")]],
  ["\\\\", [lit("\\")]],
  ["\\{x\\}", [lit("{x}")]],
  ["\\[a]", [lit("[a]")]],
  // A surrogate pair split by an escape is one text, as a `u` expression reads it.
  ["\ud83d\\\ude00", [lit("\ud83d\ude00")]],
  ["*delete*", [STAR, lit("delete"), STAR]],
  ["read_?", [lit("read_"), ONE]],
  ["**", [GLOBSTAR]],
  ["a**b", [lit("a"), GLOBSTAR, lit("b")]],
  ["***", [GLOBSTAR, STAR]],
  // "**/" is folders only at the start or after a "/".
  ["**/secret.txt", [FOLDERS, lit("secret.txt")]],
  ["a/**/b", [lit("a/"), FOLDERS, lit("b")]],
  ["a**/b", [lit("a"), GLOBSTAR, lit("/b")]],
  ["\\/**/x", [lit("/"), FOLDERS, lit("x")]],
  // "/**" at the end takes the "/" before it, from a literal or from folders.
  ["/data/**", [lit("/data"), TAIL]],
  ["/**", [TAIL]],
  ["a\\/**", [lit("a"), TAIL]],
  ["**/**", [{ kind: "folders", required: true }, TAIL]],
  ["a/**/**", [lit("a/"), { kind: "folders", required: true }, TAIL]],
  ["/data/**x", [lit("/data/"), GLOBSTAR, lit("x")]],
  // Classes: the character right after "[" is a member, "]" too; "!" or "^" negates.
  ["file[0-9].txt", [lit("file"), cls("0-9"), lit(".txt")]],
  ["[!0-9]", [cls("0-9", true)]],
  ["[^a-c-e]", [cls("a-c-e", true)]],
  ["[]a]", [cls("]a")]],
  ["[\\]", [cls("\\")]],
  ["[*?{]", [cls("*?{")]],
  // Braces: "}" and "," mean themselves outside a group.
  ["{read,list}_file", [OPEN, lit("read"), OR, lit("list"), CLOSE, lit("_file")]],
  ["{,**__}x", [OPEN, OR, GLOBSTAR, lit("__"), CLOSE, lit("x")]],
  ["{a,**/}x", [OPEN, lit("a"), OR, GLOBSTAR, lit("/"), CLOSE, lit("x")]],
  ["a}b,c", [lit("a}b,c")]],
  ["{a}}", [OPEN, lit("a"), CLOSE, lit("}")]],
];

for (const [glob, tokens] of cases) {
  Deno.test(`globTokens() reads ${JSON.stringify(glob)}`, () => {
    assert.deepEqual(globTokens(glob), tokens);
  });
}

const refused: [string, string][] = [
  ["trailing\\", 'glob "trailing\\" ends with a lone backslash'],
  ["\\", 'glob "\\" ends with a lone backslash'],
  ["a[bc", 'glob "a[bc" has "[" without a closing "]"'],
  ["[]", 'glob "[]" has "[" without a closing "]"'],
  ["{a,{b}}", 'glob "{a,{b}}" has nested braces'],
  ["{a,b", 'glob "{a,b" has "{" without a closing "}"'],
  ["{a,b/**", 'glob "{a,b/**" has "{" without a closing "}"'],
  // After "[!" a "]" closes: an empty class, which would match any character.
  [
    "[!]",
    'glob "[!]" has an empty class "[!]", which would match any character: a class needs a ' +
    'member (write "\\!" to match "!")',
  ],
  [
    "x[^]a]",
    'glob "x[^]a]" has an empty class "[^]", which would match any character: a class needs a ' +
    'member (write "\\^" to match "^")',
  ],
  ["[z-a]", 'glob "[z-a]" has a range out of order, "z-a": write its lower end first, as in "a-z"'],
  [
    "[a-c😂-😀]",
    'glob "[a-c😂-😀]" has a range out of order, "😂-😀": write its lower end first, as in "a-z"',
  ],
];

for (const [glob, message] of refused) {
  Deno.test(`globTokens() refuses ${JSON.stringify(glob)} with policy.invalid_glob`, () => {
    assert.throws(() => globTokens(glob), (error: unknown) => {
      assert.ok(isAppError(error, "policy.invalid_glob"));
      assert.equal(error.message, message);
      return true;
    });
  });
}

Deno.test("globTokens() reads a range in order, and a - first or last as a member", () => {
  assert.deepEqual(globTokens("[a-a]"), [cls("a-a")]);
  assert.deepEqual(globTokens("[-z]"), [cls("-z")]);
  assert.deepEqual(globTokens("[!z-]"), [cls("z-", true)]);
});
