/**
 * Why a profile file that reading said "not found" for cannot be used, when
 * it is a symbolic link that leads to no file (a managed file linked in whose
 * volume is not mounted, or was removed): the one judgement behind
 * `missingPolicyProblem` (`policy/missing_policy.ts`) and
 * `missingIntentMapProblem` (`config/missing_intent_map.ts`), each of which
 * names its file and its remedy. Nothing there (or a file made there since):
 * no problem, the caller's default applies. Reads (`lstat`, `readlink`),
 * never writes.
 *
 * @example
 * ```ts
 * danglingLinkProblem("/home/ana/.thoth/policy.jsonc", {
 *   code: "policy.unreadable",
 *   what: "policy",
 *   remedy: "remove the link",
 * })?.message;
 * // 'cannot read policy "…": it is a symbolic link that leads to no file (it points to "…")'
 * ```
 */
import { AppError, type ErrorCode } from "../errors.ts";

/** How a caller names the file and what to do about a link that leads nowhere. */
export interface DanglingLinkWords {
  /** The error code of a file that cannot be read. */
  readonly code: ErrorCode;
  /** What the file is, as a message names it: `policy`, `intent map`. */
  readonly what: string;
  /** The hint for a link that leads to no file: never to write through it. */
  readonly remedy: string;
}

/**
 * Null when nothing is at `path`, or when a file was made there since it was
 * not found; else why the file at `path`, which could not be found through,
 * cannot be used: a link that leads to no file, or a path that cannot even be
 * looked at.
 */
export function danglingLinkProblem(path: string, words: DanglingLinkWords): AppError | null {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    return new AppError(
      words.code,
      `cannot read ${words.what} "${path}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error, hints: [`check the owner and permissions of "${path}"`] },
    );
  }
  // Something was made there since it was not found (another session wrote it): read it.
  if (!info.isSymlink) return null;
  let target: string | null = null;
  try {
    target = Deno.readLinkSync(path);
  } catch {
    // Gone or changed meanwhile: still nothing that can be read through it.
  }
  return new AppError(
    words.code,
    `cannot read ${words.what} "${path}": it is a symbolic link that leads to no file` +
      (target === null ? "" : ` (it points to "${target}")`),
    { hints: [words.remedy] },
  );
}
