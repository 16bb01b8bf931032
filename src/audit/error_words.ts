/**
 * An error's words for a message that names the path itself: the first line
 * of its message, without the operation and path Deno adds (`: readdir
 * '…'`). Pure.
 *
 * @example
 * ```ts
 * errorWords(new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/h/x'"));
 * // "Permission denied (os error 13)"
 * ```
 */

/** The words of `error` (anything thrown), without Deno's operation and path. */
export function errorWords(error: unknown): string {
  const text = error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
  return text.replace(/: [a-z_]+ '[^]*'$/, "");
}
