/**
 * The glob syntax, defined once: a glob read into tokens that
 * `globToRegExp` turns into a regular expression's source and `nameGlob`
 * into an automaton, so the two cannot read a glob differently. Pure.
 *
 * Syntax: `*` any run of characters except `/`; `**` any run including `/`;
 * `**` followed by `/` at the start or after a `/` zero or more whole
 * folders; `/**` at the end the folder itself or anything under it; `?` one
 * character except `/`; `[abc]`, `[a-z]`, `[!abc]` (or `[^abc]`) a class,
 * the character right after `[` a member even when it is `]` (after `[!` a
 * `]` closes, and `[!]`, an empty class, is refused, as is a range out of
 * order such as `[z-a]`); `{a,b}` alternatives, not nested (`}` and `,`
 * outside braces are literal); `\` escapes the next character. In a tool
 * or server name glob of a rule that blocks or steps up, `*`, `?` and
 * `[!abc]` match `/` too (see `globToRegExp`).
 *
 * @example
 * ```ts
 * globTokens("/data/**");
 * // [{ kind: "literal", text: "/data" }, { kind: "folder_tail" }]
 * globTokens("{read,list}_?");
 * // [{ kind: "open" }, { kind: "literal", text: "read" }, { kind: "or" },
 * //  { kind: "literal", text: "list" }, { kind: "close" },
 * //  { kind: "literal", text: "_" }, { kind: "one" }]
 * ```
 */
import { AppError } from "../errors.ts";

/** One token of a glob, in order. */
export type GlobToken =
  /** Characters that mean themselves, escapes resolved; adjacent ones joined in one token. */
  | { kind: "literal"; text: string }
  /** `*`: any run of characters except `/` (across it too in a blocking rule's name). */
  | { kind: "star" }
  /** `**` (not before a `/` that starts folders): any run of characters. */
  | { kind: "globstar" }
  /**
   * `**` followed by `/`, at the start or after a `/`: zero or more whole
   * folders. `required` when a `/**` ending the glob follows it at once:
   * that tail takes the place of its last character, which leaves one
   * (possibly empty) folder required (`**` + `/` then, not optional).
   */
  | { kind: "folders"; required: boolean }
  /**
   * `/**` ending the glob: the folder itself or anything under it. Its `/`
   * is taken off the token before (a literal ends with it, or it is `folders`).
   */
  | { kind: "folder_tail" }
  /** `?`: one character except `/` (`/` too in a blocking rule's name). */
  | { kind: "one" }
  /** `[body]`, `[!body]` when `negate`: `body` as written between the brackets, after any `!`/`^`. */
  | { kind: "class"; body: string; negate: boolean }
  /** `{`, `,` and `}` of an alternatives group. */
  | { kind: "open" }
  | { kind: "or" }
  | { kind: "close" };

/**
 * The end of the run of characters from `i` that mean themselves wherever
 * they stand (all but `*?\\[{},`): taken in one step, as the default
 * policy's globs are mostly words (a scan of code units, no match objects).
 */
function literalRunEnd(glob: string, i: number): number {
  let j = i;
  while (j < glob.length) {
    const c = glob.charCodeAt(j);
    // * ? \ [ { } ,
    if (
      c === 0x2a || c === 0x3f || c === 0x5c || c === 0x5b || c === 0x7b || c === 0x7d ||
      c === 0x2c
    ) {
      break;
    }
    j++;
  }
  return j;
}

/** The tokens of `glob`; throws `policy.invalid_glob` on bad syntax. */
export function globTokens(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  /** Literal text not yet pushed: escapes and plain runs join into one token. */
  let literal = "";
  const push = (token: GlobToken) => {
    if (literal !== "") tokens.push({ kind: "literal", text: literal });
    literal = "";
    tokens.push(token);
  };
  let inAlternatives = false;
  let i = 0;
  while (i < glob.length) {
    const end = literalRunEnd(glob, i);
    if (end > i) {
      literal += glob.slice(i, end);
      i = end;
      continue;
    }
    const ch = glob[i] as string;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const next = glob[i + 2];
        if (atStart && next === "/") {
          push({ kind: "folders", required: false });
          i += 3;
          continue;
        }
        if (next === undefined && i > 0 && glob[i - 1] === "/") {
          // The "/" before is the last character of pending literal text, or
          // the end of a "**/" (a "/" ends no other token).
          if (literal !== "") literal = literal.slice(0, -1);
          else {
            const last = tokens[tokens.length - 1];
            if (last?.kind === "folders") last.required = true;
          }
          push({ kind: "folder_tail" });
          i += 2;
          continue;
        }
        push({ kind: "globstar" });
        i += 2;
        continue;
      }
      push({ kind: "star" });
      i += 1;
      continue;
    }
    if (ch === "?") {
      push({ kind: "one" });
      i += 1;
      continue;
    }
    if (ch === "\\") {
      const next = glob[i + 1];
      if (next === undefined) throw badGlob(glob, "ends with a lone backslash");
      literal += next;
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
      if (body === "") {
        const written = glob.slice(i, close + 1);
        throw invalidGlob(
          glob,
          `has an empty class "${written}", which would match any character: a class needs a ` +
            `member (write "\\${written[1]}" to match "${written[1]}")`,
          [],
        );
      }
      const backwards = rangeOutOfOrder(body);
      if (backwards !== undefined) {
        throw invalidGlob(
          glob,
          `has a range out of order, "${backwards}": write its lower end first, as in "a-z"`,
          [],
        );
      }
      push({ kind: "class", body, negate });
      i = close + 1;
      continue;
    }
    if (ch === "{") {
      if (inAlternatives) throw badGlob(glob, "has nested braces");
      inAlternatives = true;
      push({ kind: "open" });
      i += 1;
      continue;
    }
    if (ch === "}" && inAlternatives) {
      inAlternatives = false;
      push({ kind: "close" });
      i += 1;
      continue;
    }
    if (ch === "," && inAlternatives) {
      push({ kind: "or" });
      i += 1;
      continue;
    }
    // "}" or "," outside braces.
    literal += ch;
    i += 1;
  }
  if (inAlternatives) throw badGlob(glob, 'has "{" without a closing "}"');
  if (literal !== "") tokens.push({ kind: "literal", text: literal });
  return tokens;
}

function badGlob(glob: string, what: string): AppError {
  return invalidGlob(glob, what, [
    'escape a literal character with "\\", for example "\\[" or "\\{"',
  ]);
}

/** The `policy.invalid_glob` error for `glob`, which `what` says is wrong. */
export function invalidGlob(glob: string, what: string, hints: readonly string[]): AppError {
  return new AppError("policy.invalid_glob", `glob "${glob}" ${what}`, { hints: [...hints] });
}

/**
 * The first range of a class body whose ends are out of order (`z-a`), or
 * undefined: by code point, a `-` between two members a range, as the
 * regular expression `[body]` reads it.
 */
function rangeOutOfOrder(body: string): string | undefined {
  const atoms = [...body];
  for (let k = 0; k < atoms.length; k++) {
    if (atoms[k + 1] === "-" && k + 2 < atoms.length) {
      if (atoms[k]!.codePointAt(0)! > atoms[k + 2]!.codePointAt(0)!) {
        return atoms.slice(k, k + 3).join("");
      }
      k += 2;
    }
  }
  return undefined;
}
