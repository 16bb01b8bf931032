/**
 * Compiles an anchored glob into a `RegExp`, once, so matching is one `test`.
 *
 * Syntax (read by `globTokens`, the one definition `nameGlob` shares): `*`
 * any run of characters except `/`; `**` any run including `/` (`/data/**`
 * also matches `/data` itself; a leading `**` followed by `/` also matches
 * zero folders); `?` one character except `/`; `[abc]`, `[a-z]`, `[!abc]`
 * character classes; `{a,b}` alternatives (not nested); `\` escapes the
 * next character. The whole input must match: `*delete*` matches
 * `bulk_delete_rows`, not just a substring.
 *
 * @example
 * ```ts
 * globToRegExp("/data/**").test("/data/a/b.txt"); // true
 * globToRegExp("*delete*").test("delete_file"); // true
 * globToRegExp("read_?").test("read_file"); // false
 * ```
 */
import { adminRegExp } from "./admin_regexp.ts";
import { type GlobToken, globTokens } from "./glob_tokens.ts";

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

function escapeLiteral(text: string): string {
  return text.replace(SPECIAL, "\\$&");
}

/**
 * Compiles `glob` to an anchored `RegExp`; throws `policy.invalid_glob` on bad
 * syntax. `boundedInput` says the text it will match is short (tool and server
 * names, which the relay caps): such globs run on the faster backtracking
 * engine; globs over argument values run in linear time (see `adminRegExp`).
 */
export function globToRegExp(glob: string, boundedInput = false): RegExp {
  const out = globBody(glob);
  return boundedInput ? new RegExp(`^${out}$`, "su") : adminRegExp(`^${out}$`, "s");
}

/** The unanchored `RegExp` source of `glob`; throws `policy.invalid_glob` on bad syntax. */
function globBody(glob: string): string {
  let out = "";
  for (const token of globTokens(glob)) out += tokenSource(token);
  return out;
}

function tokenSource(token: GlobToken): string {
  switch (token.kind) {
    case "literal":
      return escapeLiteral(token.text);
    case "star":
      return "[^/]*";
    case "globstar":
      return ".*";
    case "folders":
      return token.required ? "(?:.*/)" : "(?:.*/)?";
    case "folder_tail":
      return "(?:/.*)?";
    case "one":
      return "[^/]";
    case "class": {
      const cls = token.body.replace(/[\\\]^]/g, "\\$&");
      return token.negate ? `[^/${cls}]` : `[${cls}]`;
    }
    case "open":
      return "(?:";
    case "or":
      return "|";
    case "close":
      return ")";
  }
}
