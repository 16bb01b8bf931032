/**
 * What a profile's `policy.jsonc` is when reading it said "not found": one
 * judgement for `thoth run`, `thoth doctor`, `thoth health` and the checks
 * that judge a config entry as `thoth run` would. Nothing there: the built-in
 * default applies (`thoth run` writes it there on first run). A symbolic link
 * that leads nowhere: a broken policy, refused (`policy.unreadable`), since
 * `thoth run` never creates a file through a link; the remedy removes the
 * link and never writes through it. Reads (`lstat`, `readlink`), never writes.
 *
 * @example
 * ```ts
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc"); // null: none, the default applies
 * missingPolicyProblem("/home/ana/.thoth/policy.jsonc")?.hints[0];
 * // "remove the link (rm '/home/ana/.thoth/policy.jsonc'), and thoth run writes the default …"
 * ```
 */
import { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";

/**
 * Null when nothing is at `path` (the default policy applies); else why the
 * profile policy at `path`, which could not be found through, cannot be used.
 */
export function missingPolicyProblem(path: string): AppError | null {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    return new AppError(
      "policy.unreadable",
      `cannot read policy "${path}": ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, hints: [`check the owner and permissions of "${path}"`] },
    );
  }
  // Something was made there since it was not found (another session wrote the default): read it.
  if (!info.isSymlink) return null;
  let target: string | null = null;
  try {
    target = Deno.readLinkSync(path);
  } catch {
    // Gone or changed meanwhile: still no policy that can be read.
  }
  return new AppError(
    "policy.unreadable",
    `cannot read policy "${path}": it is a symbolic link that leads to no file` +
      (target === null ? "" : ` (it points to "${target}")`),
    {
      hints: [
        `remove the link (rm ${shellQuote(path)}), and thoth run writes the default policy ` +
        "in its place",
      ],
    },
  );
}
