import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { globToRegExp } from "../../src/policy/glob_to_regexp.ts";

const cases: [string, string, boolean][] = [
  ["*delete*", "bulk_delete_rows", true],
  ["*delete*", "delete", true],
  ["*delete*", "remove", false],
  ["list_*", "list_events", true],
  ["list_*", "unlist_events", false],
  ["list_*", "list_events_x/y", false],
  ["read_?", "read_a", true],
  ["read_?", "read_ab", false],
  ["/data/**", "/data", true],
  ["/data/**", "/data/a/b/c.txt", true],
  ["/data/**", "/database", false],
  ["/data/**", "/datax/a", false],
  ["/data/*", "/data/a", true],
  ["/data/*", "/data/a/b", false],
  ["**/secret.txt", "secret.txt", true],
  ["**/secret.txt", "/a/b/secret.txt", true],
  ["file[0-9].txt", "file7.txt", true],
  ["file[!0-9].txt", "file7.txt", false],
  ["file[!0-9].txt", "filex.txt", true],
  ["{read,list}_file", "list_file", true],
  ["{read,list}_file", "write_file", false],
  ["a.b", "axb", false],
  ["a+b(c)", "a+b(c)", true],
  ["\\*literal", "*literal", true],
  ["\\*literal", "xliteral", false],
];

for (const [glob, input, want] of cases) {
  Deno.test(`globToRegExp() ${want ? "matches" : "rejects"} "${input}" with "${glob}"`, () => {
    assert.equal(globToRegExp(glob).test(input), want);
  });
}

Deno.test("globToRegExp() rejects an unclosed character class", () => {
  assert.throws(
    () => globToRegExp("file[0-9"),
    (e: unknown) => isAppError(e, "policy.invalid_glob"),
  );
});

Deno.test("globToRegExp() rejects an unclosed brace", () => {
  assert.throws(() => globToRegExp("{a,b"), (e: unknown) => isAppError(e, "policy.invalid_glob"));
});

/**
 * Runs of plain characters are taken in one step; the source must be what
 * one character at a time gives, beside every token that is not plain.
 */
const sources: [string, string, string?][] = [
  ["a.b/**", "^a\\.b(?:\\/.*)?$"],
  ["x}y,z", "^x\\}y,z$"],
  ["{a.b,c|d}e", "^(?:a\\.b|c\\|d)e$"],
  // In a tool or server name glob of a rule that blocks or steps up, "*", "?" and "[!…]" match "/" too.
  ["pre[!a-z]post.x", "^pre[^/a-z]post\\.x$", "^pre[^a-z]post\\.x$"],
  // A "-" first in a negated class is a member, not a range from the "/" put before it.
  ["x[!-+]", "^x[^/\\-+]$", "^x[^-+]$"],
  ["a\\*b.c", "^a\\*b\\.c$"],
  ["**/x.y", "^(?:.*\\/)?x\\.y$"],
  ["run$(x)^", "^run\\$\\(x\\)\\^$"],
  ["[]a]b", "^[\\]a]b$"],
  ["we{,s}x", "^we(?:|s)x$"],
  ["{,**__,**.,**/}[sS]hell", "^(?:|.*__|.*\\.|.*\\/)[sS]hell$"],
  ["p+q?r*s", "^p\\+q[^/]r[^/]*s$", "^p\\+q.r.*s$"],
  ["a/**/b.c", "^a\\/(?:.*\\/)?b\\.c$"],
  // A "/**" that ends the glob takes the "/" before it, escaped or after "**/" (whose "?" it takes).
  ["/**", "^(?:\\/.*)?$"],
  ["a\\/**", "^a(?:\\/.*)?$"],
  ["**/**", "^(?:.*\\/)(?:\\/.*)?$"],
  ["a/**/**", "^a\\/(?:.*\\/)(?:\\/.*)?$"],
  ["[!!]a]", "^[^/!]a\\]$", "^[^!]a\\]$"],
];

for (const [glob, source, acrossSource = source] of sources) {
  Deno.test(`globToRegExp() compiles "${glob}" to ${source}`, () => {
    assert.equal(globToRegExp(glob).source, source);
    // An allow rule's or an intent's name glob stops at "/", as an argument's does.
    assert.equal(globToRegExp(glob, true).source, source);
    assert.equal(globToRegExp(glob, true, true).source, acrossSource);
  });
}

Deno.test("globToRegExp() refuses a glob with the glob in its words, not the expression's", () => {
  for (const glob of ["[z-a]", "[!]"]) {
    for (const [name, across] of [[false, false], [true, false], [true, true]]) {
      assert.throws(() => globToRegExp(glob, name, across), (e: unknown) => {
        assert.ok(isAppError(e, "policy.invalid_glob"));
        assert.ok(e.message.startsWith(`glob "${glob}" has `), e.message);
        assert.doesNotMatch(e.message, /regular expression|\/su|\^\[/);
        return true;
      });
    }
  }
});
