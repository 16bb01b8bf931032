/**
 * Compiles a pattern an administrator wrote (a policy `regex`, or a glob over
 * argument values) for matching text the client controls, so that no argument
 * value can make a match run for minutes (ReDoS). thoth's tasks and release
 * binaries start Deno with `--enable-experimental-regexp-engine-on-excessive-backtracks`:
 * V8 then moves a match that backtracks too much onto its linear-time engine.
 * That engine runs neither Unicode-mode patterns nor backreferences or
 * lookaround, so patterns are checked with Unicode semantics, refused when
 * they use those features, and compiled without the `u` flag.
 *
 * @example
 * ```ts
 * const re = adminRegExp("^(?:/data/.*)$", "s");
 * re.test("/data/a.txt"); // true
 * ```
 */

/** Features the linear-time engine cannot run, and what to say about each. */
const REFUSED: readonly [RegExp, string][] = [
  [/\\[pP]\{|\\u\{/, "Unicode property escapes (\\p{…}) and \\u{…} are not supported"],
  [/\\[1-9]|\\k</, "backreferences are not supported"],
  [/\(\?<?[=!]/, "lookahead and lookbehind are not supported"],
];

/**
 * Compiles `source` with `flags`; throws a `SyntaxError` that says why a
 * pattern is refused, without quoting it.
 */
export function adminRegExp(source: string, flags = ""): RegExp {
  const plain = flags.replaceAll("u", "");
  try {
    // Syntax as the policy author means it: with Unicode semantics.
    new RegExp(source, `${plain}u`);
  } catch (error) {
    // What is wrong, without the source, which may be thoth's wrapping of the author's pattern.
    throw error instanceof SyntaxError ? new SyntaxError(regExpReason(error)) : error;
  }
  const bare = source.replace(/\\\\/g, "");
  for (const [feature, why] of REFUSED) {
    if (feature.test(bare)) {
      throw new SyntaxError(
        `${why}: thoth matches policy patterns in bounded time, so that a client's input ` +
          "cannot stall the relay",
      );
    }
  }
  return new RegExp(source, plain);
}

/**
 * Compiles an administrator's `pattern` anchored at both ends, `^(?:…)$`,
 * with `flags` (see `adminRegExp`). The pattern must compile on its own:
 * `a)|(b` would close the wrapper's group and leave each half anchored at
 * one end only (`^(?:a)|(b)$`), so it is refused, naming the parenthesis.
 */
export function anchoredAdminRegExp(pattern: string, flags = ""): RegExp {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new SyntaxError(unbalancedParenthesis(pattern) ?? regExpReason(error));
  }
  return adminRegExp(`^(?:${pattern})$`, flags);
}

/**
 * The first parenthesis of `pattern` without its pair, as a regular
 * expression with Unicode semantics reads it (`\(` and `[(]` are no
 * group): `unmatched ")" at character 2` for `a)|(b`.
 */
function unbalancedParenthesis(pattern: string): string | undefined {
  const chars = [...pattern];
  const open: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") i++;
    else if (c === "[") {
      for (i++; i < chars.length && chars[i] !== "]"; i++) if (chars[i] === "\\") i++;
    } else if (c === "(") open.push(i);
    else if (c === ")" && open.pop() === undefined) return `unmatched ")" at character ${i + 1}`;
  }
  return open.length > 0 ? `unclosed "(" at character ${open[open.length - 1]! + 1}` : undefined;
}

/**
 * What a `SyntaxError` from `new RegExp()` says is wrong, without the
 * pattern it quotes: `unterminated group` for
 * `Invalid regular expression: /^(?:(a)$/u: Unterminated group`.
 */
export function regExpReason(error: SyntaxError): string {
  const reason = /^Invalid regular expression: \/[^]*\/[a-z]*: ([^]*)$/.exec(error.message)?.[1] ??
    error.message;
  return /^[A-Z][a-z]/.test(reason) ? reason[0]!.toLowerCase() + reason.slice(1) : reason;
}
