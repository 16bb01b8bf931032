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
 * pattern is refused.
 */
export function adminRegExp(source: string, flags = ""): RegExp {
  const plain = flags.replaceAll("u", "");
  // Syntax as the policy author means it: with Unicode semantics.
  new RegExp(source, `${plain}u`);
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
