/**
 * What a profile's `policy.jsonc` is when reading it said "not found": one
 * judgement for `thoth run`, `thoth doctor`, `thoth health` and the checks
 * that judge a config entry as `thoth run` would. Nothing there: the built-in
 * default applies (`thoth run` writes it there on first run). A symbolic link
 * that leads nowhere: a broken policy, refused (`policy.unreadable`), since
 * `thoth run` never creates a file through a link; the remedy removes the
 * link and never writes through it. Reads (`lstat`, `readlink`), never writes:
 * `danglingLinkProblem`, as for the intent map.
 *
 * @example
 * ```ts
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc"); // null: none, the default applies
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc")?.hints[0];
 * // "remove the link (rm '/home/ana/.thoth/policy.jsonc'), and thoth run writes the default …"
 * ```
 */
import type { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { danglingLinkProblem } from "../platform/dangling_link_problem.ts";

/**
 * Null when nothing is at `path` (the default policy applies); else why the
 * profile policy at `path`, which could not be found through, cannot be used.
 */
export function missingPolicyProblem(path: string): AppError | null {
  return danglingLinkProblem(path, {
    code: "policy.unreadable",
    what: "policy",
    remedy: `remove the link (rm ${shellQuote(path)}), and thoth run writes the default policy ` +
      "in its place",
  });
}
