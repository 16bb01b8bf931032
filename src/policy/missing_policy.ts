/**
 * What a profile's `policy.jsonc` is when reading it said "not found": one
 * judgement for `thoth run`, `thoth doctor`, `thoth health` and the checks
 * that judge a config entry as `thoth run` would. Nothing there: the built-in
 * default applies (`thoth run` writes it there on first run). A symbolic link
 * that leads nowhere: a broken policy, refused (`policy.unreadable`), since
 * `thoth run` never creates a file through a link. Such a link is most often
 * an admin's managed policy linked in, so the remedy leads with restoring
 * what it points to (or asking the admin); removing the link, which puts
 * thoth's default in place of the admin's policy, comes second, as a choice
 * made on purpose. Nothing is ever written through the link. Reads (`lstat`,
 * `readlink`), never writes: `danglingLinkProblem`, as for the intent map.
 *
 * @example
 * ```ts
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc"); // null: none, the default applies
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc")?.hints[0];
 * // "restore the file it points to (your admin's managed policy) or ask your admin to; …"
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
    remedy: "restore the file it points to (your admin's managed policy) or ask your admin to; " +
      `removing the link (rm ${shellQuote(path)}) instead replaces that policy with thoth's ` +
      "default, which thoth run then writes in its place: do that only if you mean to",
  });
}
