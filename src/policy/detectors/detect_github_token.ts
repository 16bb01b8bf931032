/**
 * GitHub tokens: classic `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` plus at least
 * 36 alphanumerics, and fine-grained `github_pat_` tokens. A token whose
 * characters after the prefix are filler (`ghp_xxxx…`, `ghp_XXXX…`,
 * `github_pat_XXXX…_XXXX…`, see `filler_token.ts`) is a placeholder that
 * documentation and `.env` templates write, and does not count. A token
 * must stand apart from letters, digits and `_`, or be glued to filler only
 * (`xxxxghp_…`, `ghp_…____`, see `glued_filler.ts`).
 *
 * @example
 * ```ts
 * detectGithubToken("ghp_" + "a1B2".repeat(9), undefined); // true
 * detectGithubToken("ghp_" + "x".repeat(36), undefined); // false (a placeholder)
 * detectGithubToken("tokens start with ghp_", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";
import { tokensApart, tokenShape } from "./glued_filler.ts";

/** What every token starts with. */
export const GITHUB_TOKEN_STARTS = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] as const;

/**
 * A token, standing apart from letters, digits and `_` or glued to filler;
 * its length varies, so it may take filler glued after it into its own (the
 * shortest, `github_pat_` and 22, has 33 characters).
 */
const TOKEN = tokenShape(
  GITHUB_TOKEN_STARTS,
  "gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{22,244})",
  "A-Za-z0-9_",
  "A-Za-z0-9_",
  33,
);

/** Whether `text` holds a GitHub token other than a placeholder. */
export function detectGithubToken(text: string, _key: string | undefined): boolean {
  // Every token starts with "gh" plus a letter and "_", or with "github_pat_".
  if (!text.includes("gh") && !text.includes("github_pat_")) return false;
  for (const m of tokensApart(text, TOKEN)) if (!fillerToken((m[1] ?? m[2]) as string)) return true;
  return false;
}
