/**
 * Compiles an anchored glob into a `RegExp`, once, so matching is one `test`.
 *
 * Syntax: `*` any run of characters except `/`; `**` any run including `/`
 * (`/data/**` also matches `/data` itself; a leading `**` followed by `/`
 * also matches zero folders); `?` one
 * character except `/`; `[abc]`, `[a-z]`, `[!abc]` character classes; `{a,b}`
 * alternatives (not nested); `\` escapes the next character. The whole input
 * must match: `*delete*` matches `bulk_delete_rows`, not just a substring.
 *
 * @example
 * ```ts
 * globToRegExp("/data/**").test("/data/a/b.txt"); // true
 * globToRegExp("*delete*").test("delete_file"); // true
 * globToRegExp("read_?").test("read_file"); // false
 * ```
 */
import { AppError } from "../errors.ts";
import { adminRegExp } from "./admin_regexp.ts";

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

/**
 * A run of characters that mean themselves wherever they stand: taken in one
 * step (the default policy's globs are mostly words).
 */
const LITERAL_RUN = /[^*?\\[{},]+/y;

/** The unanchored `RegExp` source of `glob`; throws `policy.invalid_glob` on bad syntax. */
function globBody(glob: string): string {
  let out = "";
  let inAlternatives = false;
  let i = 0;
  while (i < glob.length) {
    LITERAL_RUN.lastIndex = i;
    const run = LITERAL_RUN.exec(glob);
    if (run !== null) {
      out += escapeLiteral(run[0]);
      i += run[0].length;
      continue;
    }
    const ch = glob[i] as string;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const next = glob[i + 2];
        if (atStart && next === "/") {
          // "**/" : zero or more whole segments.
          out += "(?:.*/)?";
          i += 3;
          continue;
        }
        if (next === undefined && i > 0 && glob[i - 1] === "/") {
          // "/**" at the end: the folder itself or anything under it.
          out = out.slice(0, -1) + "(?:/.*)?";
          i += 2;
          continue;
        }
        out += ".*";
        i += 2;
        continue;
      }
      out += "[^/]*";
      i += 1;
      continue;
    }
    if (ch === "?") {
      out += "[^/]";
      i += 1;
      continue;
    }
    if (ch === "\\") {
      const next = glob[i + 1];
      if (next === undefined) throw badGlob(glob, "ends with a lone backslash");
      out += escapeLiteral(next);
      i += 2;
      continue;
    }
    if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) throw badGlob(glob, 'has "[" without a closing "]"');
      let body = glob.slice(i + 1, close);
      let negate = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/[\\\]^]/g, "\\$&");
      out += negate ? `[^/${cls}]` : `[${cls}]`;
      i = close + 1;
      continue;
    }
    if (ch === "{") {
      if (inAlternatives) throw badGlob(glob, "has nested braces");
      inAlternatives = true;
      out += "(?:";
      i += 1;
      continue;
    }
    if (ch === "}" && inAlternatives) {
      inAlternatives = false;
      out += ")";
      i += 1;
      continue;
    }
    if (ch === "," && inAlternatives) {
      out += "|";
      i += 1;
      continue;
    }
    out += escapeLiteral(ch);
    i += 1;
  }
  if (inAlternatives) throw badGlob(glob, 'has "{" without a closing "}"');
  return out;
}

function badGlob(glob: string, what: string): AppError {
  return new AppError("policy.invalid_glob", `glob "${glob}" ${what}`, {
    hints: ['escape a literal character with "\\", for example "\\[" or "\\{"'],
  });
}
