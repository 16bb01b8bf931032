/**
 * GitHub tokens: classic `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` plus at least
 * 36 alphanumerics, and fine-grained `github_pat_` tokens.
 *
 * @example
 * ```ts
 * detectGithubToken("ghp_" + "a1B2".repeat(9), undefined); // true
 * detectGithubToken("tokens start with ghp_", undefined); // false
 * ```
 */

const TOKEN =
  /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])/;

/** Whether `text` holds a GitHub token. */
export function detectGithubToken(text: string, _key: string | undefined): boolean {
  // Every token starts with "gh" plus a letter and "_", or with "github_pat_".
  return (text.includes("gh") || text.includes("github_pat_")) && TOKEN.test(text);
}
