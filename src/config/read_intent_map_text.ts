/**
 * Reads the text of a profile's intent map the way `thoth run` does, for
 * `thoth run` and for the checks that must judge it alike (`status`,
 * `health`).
 *
 * @example
 * ```ts
 * readIntentMapText("/home/ana/.thoth/intent_map.json"); // null when there is none
 * ```
 */
import { AppError } from "../errors.ts";

/**
 * The text of the intent map at `file` as `thoth run` reads it: null when
 * there is none; `intent_map.unreadable` when it is not a regular file (a
 * FIFO would block the read, and the client, for ever) or cannot be read.
 * Synchronous, so `thoth status` (pure, synchronous planning) and `thoth
 * run` read it with the same code.
 */
export function readIntentMapText(file: string): string | null {
  try {
    if (!Deno.statSync(file).isFile) {
      throw new Deno.errors.InvalidData("it is not a regular file");
    }
    return Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new AppError(
      "intent_map.unreadable",
      `cannot read intent map "${file}": ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hints: [
          "make it a regular file and fix its permissions, or remove it if no server needs an intent",
        ],
      },
    );
  }
}
