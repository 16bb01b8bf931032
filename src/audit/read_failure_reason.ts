/**
 * Why reading one of the verifier's input files failed, in words, for an
 * error message: `cannot read the anchor checkpoint "a.note": it does not
 * exist`.
 *
 * @example
 * ```ts
 * readFailureReason(new Deno.errors.NotFound("x")); // "it does not exist"
 * ```
 */

/** Why a read failed, in words. */
export function readFailureReason(cause: unknown): string {
  if (cause instanceof Deno.errors.NotFound) return "it does not exist";
  if (cause instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (cause instanceof Deno.errors.InvalidData) return "it is not a regular file";
  if (cause instanceof Deno.errors.IsADirectory) return "it is a folder";
  return cause instanceof Error ? cause.message : String(cause);
}
