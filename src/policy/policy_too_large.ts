/**
 * What thoth says of a policy file over `MAX_POLICY_FILE_BYTES`
 * (`thoth run`, `doctor`, `health` alike): its size and the limit, and what
 * to do. Pure.
 *
 * @example
 * ```ts
 * policyTooLargeText("/p.jsonc", new FileOverLimitError(629145600, 12582912));
 * // 'policy "/p.jsonc" is 629145600 bytes, over the 12 MiB (12582912-byte) limit'
 * policyTooLargeRemedy("/home/ana/.thoth/policy.jsonc", { profile: true });
 * ```
 */
import type { FileOverLimitError } from "../platform/read_regular_file.ts";
import { shellQuote } from "../doctor/shell_quote.ts";

/** What is wrong with a policy over the limit, in one phrase. */
export function policyTooLargeText(path: string, error: FileOverLimitError): string {
  return `policy "${path}" ${error.message.replace(/^it /, "")}`;
}

/**
 * What to do about a policy over the limit: the profile's own policy
 * (`profile`) may be moved aside, and `thoth run` writes the default one in
 * its place; a policy given with `--policy` is checked by its path.
 */
export function policyTooLargeRemedy(path: string, where: { profile: boolean }): string {
  const start = "a policy this large is almost certainly not the intended file: ";
  return where.profile
    ? `${start}move it aside (mv ${shellQuote(path)} ${
      shellQuote(`${path}.large`)
    }) and thoth run writes the default policy there, or trim it`
    : `${start}check the path given to --policy, or trim the file`;
}
