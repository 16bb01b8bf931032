/**
 * Whether the variable part of a provider-shaped token (what follows its
 * fixed prefix: `ghp_…`, `AKIA…`, `AIzaSy…`, a Slack token's secret, a
 * JWT's signature, a PEM key's body) is documentation filler rather than an
 * issued token: one character repeated (`xxxx…`, `XXXX…`, `0000…`, `****…`),
 * maybe broken by separators (`-`, `_`, `.`, `/`) where the token's shape has
 * them (`github_pat_XXXX…_XXXX…`). Such a part carries no information, so no
 * provider issues it, and the test can never hide an issued token. A part
 * with one character that differs (`xxxx…x1`) is not filler, nor is a
 * part that merely contains a run (`…xxxxxx…`).
 *
 * @example
 * ```ts
 * fillerToken("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"); // true
 * fillerToken("XXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXX"); // true
 * fillerToken("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1"); // false
 * fillerToken(""); // false
 * ```
 */

/** Whether `c` (a UTF-16 code) separates the pieces of a token: `-`, `_`, `.` or `/`. */
function separator(c: number): boolean {
  return c === 0x2d || c === 0x5f || c === 0x2e || c === 0x2f;
}

/** Whether `part` is filler: one character repeated, separators aside, at least once. */
export function fillerToken(part: string): boolean {
  let filler = -1;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (separator(c)) continue;
    if (filler === -1) filler = c;
    else if (c !== filler) return false;
  }
  return filler !== -1;
}
