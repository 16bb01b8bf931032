/**
 * What a detector found, and where: the kind, the type and the argument path.
 * Never the value itself, so a finding is safe to log and show.
 *
 * @example
 * ```ts
 * const f: Finding = { kind: "secret", type: "aws_access_key_id", path: "env.AWS_KEY" };
 * ```
 */

/** The three detector families a policy configures. */
export type DetectorKind = "phi" | "pii" | "secret";

/** One detector hit in one argument value. */
export interface Finding {
  kind: DetectorKind;
  /** The detector that fired, for example `"us_ssn"` or `"github_token"`. */
  type: string;
  /**
   * Where in the arguments: `"content"`, `"options.path"`, `"items[2].note"`; a key that is
   * not a plain identifier, or that a detector flags, shows as its position (`"cc[#k0]"`), and
   * a finding in a key itself ends in `"(key)"` (see `scan_path.ts`).
   */
  path: string;
}
