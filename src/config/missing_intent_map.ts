/**
 * What a profile's `intent_map.json` is when reading it said "not found": one
 * judgement for `thoth run`, `thoth policy explain`, `thoth status`,
 * `thoth health` and `thoth doctor`. Nothing there: no map, and a server with
 * no `--intent` runs with no session intent. A symbolic link that leads
 * nowhere (a managed map linked in whose volume is not mounted, or was
 * removed): a broken map, refused as `intent_map.unreadable`, never read as
 * "no map", which would let the servers it confines call any tool. The
 * remedy restores the file or removes the link, never writes through it.
 * Reads (`lstat`, `readlink`), never writes: `danglingLinkProblem`, as for
 * the policy.
 *
 * @example
 * ```ts
 * missingIntentMapProblem("/home/ana/.thoth/intent_map.json"); // null: there is none
 * missingIntentMapProblem("/home/ana/.thoth/intent_map.json")?.message;
 * // 'cannot read intent map "…": it is a symbolic link that leads to no file (it points to "…")'
 * ```
 */
import type { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { danglingLinkProblem } from "../platform/dangling_link_problem.ts";

/**
 * Null when nothing is at `path` (no map), or when a file was made there
 * since it was not found; else why the intent map at `path`, which could not
 * be found through, cannot be used.
 */
export function missingIntentMapProblem(path: string): AppError | null {
  return danglingLinkProblem(path, {
    code: "intent_map.unreadable",
    what: "intent map",
    remedy: "restore the file it points to; or, if no server needs an intent, remove the link " +
      `(rm ${shellQuote(path)}) and thoth run writes an empty map in its place`,
  });
}
