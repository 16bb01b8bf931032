/**
 * Compiles an anchored glob into a `RegExp`, once, so matching is one `test`.
 *
 * Syntax (read by `globTokens`, the one definition `nameGlob` shares): `*`
 * any run of characters except `/`; `**` any run including `/` (`/data/**`
 * also matches `/data` itself; a leading `**` followed by `/` also matches
 * zero folders); `?` one character except `/`; `[abc]`, `[a-z]`, `[!abc]`
 * character classes; `{a,b}` alternatives (not nested); `\` escapes the
 * next character. The whole input must match: `*delete*` matches
 * `bulk_delete_rows`, not just a substring. A tool or server name glob of
 * a rule that blocks or steps up reads `*`, `?` and `[!abc]` across `/` too
 * (`acrossSlash`: `*` covers `repos/delete`); what matches more is only
 * ever the side that fails closed, so an allow rule's or an intent's globs
 * stop at `/`.
 *
 * @example
 * ```ts
 * globToRegExp("/data/**").test("/data/a/b.txt"); // true
 * globToRegExp("*delete*").test("delete_file"); // true
 * globToRegExp("read_?").test("read_file"); // false
 * ```
 */
import { adminRegExp, regExpReason } from "./admin_regexp.ts";
import { type GlobToken, globTokens, invalidGlob } from "./glob_tokens.ts";

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

function escapeLiteral(text: string): string {
  return text.replace(SPECIAL, "\\$&");
}

/**
 * Compiles `glob` to an anchored `RegExp`; throws `policy.invalid_glob` on bad
 * syntax. `name` says it matches a tool or server name, which is short (the
 * relay caps it): such globs run on the faster backtracking engine; globs
 * over argument values run in linear time (see `adminRegExp`).
 * `acrossSlash` (for the names of a rule that blocks or steps up) reads `*`,
 * `?` and `[!…]` across `/` too.
 */
export function globToRegExp(glob: string, name = false, acrossSlash = false): RegExp {
  let out = "";
  for (const token of globTokens(glob)) out += tokenSource(token, acrossSlash);
  try {
    return name ? new RegExp(`^${out}$`, "su") : adminRegExp(`^${out}$`, "s");
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw invalidGlob(glob, `is not a valid glob: ${regExpReason(error)}`, []);
  }
}

function tokenSource(token: GlobToken, acrossSlash: boolean): string {
  switch (token.kind) {
    case "literal":
      return escapeLiteral(token.text);
    case "star":
      return acrossSlash ? ".*" : "[^/]*";
    case "globstar":
      return ".*";
    case "folders":
      return token.required ? "(?:.*/)" : "(?:.*/)?";
    case "folder_tail":
      return "(?:/.*)?";
    case "one":
      return acrossSlash ? "." : "[^/]";
    case "class": {
      const cls = token.body.replace(/[\\\]^]/g, "\\$&");
      if (!token.negate) return `[${cls}]`;
      if (acrossSlash) return `[^${cls}]`;
      // A "-" first in the class is a member, also after the "/" put before it.
      return `[^/${cls.startsWith("-") ? `\\${cls}` : cls}]`;
    }
    case "open":
      return "(?:";
    case "or":
      return "|";
    case "close":
      return ")";
  }
}
