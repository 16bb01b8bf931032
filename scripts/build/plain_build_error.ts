/**
 * A failure of the release build's own permissions or of the OS's, said
 * plainly ({@linkcode plainError}) instead of as an internal error.
 *
 * @example
 * ```ts
 * formatError("build", plainError(error), verbose);
 * ```
 */
import { AppError } from "../../src/errors.ts";

/** A failure of the build's own permissions or of the OS's, said plainly instead of "internal error". */
export function plainError(error: unknown): unknown {
  if (error instanceof Deno.errors.NotCapable) {
    return new AppError(
      "build.not_permitted",
      `the build's permissions do not allow this: ${error.message}`,
      {
        hints: [
          'deno task build runs with -P=build (deno.json "permissions.build"): keep --out-dir ' +
          "under dist/ and run it from the project root",
        ],
        cause: error,
      },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new AppError("build.os_denied", `the operating system refused: ${error.message}`, {
      hints: ["check the owner and mode of the --out-dir folder"],
      cause: error,
    });
  }
  return error;
}
