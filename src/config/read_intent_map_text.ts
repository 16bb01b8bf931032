/**
 * Reads the text of a profile's intent map the way `thoth run` does, for
 * `thoth run` and for the checks that must judge it alike (`status`,
 * `health`, `doctor`).
 *
 * @example
 * ```ts
 * readIntentMapText("/home/ana/.thoth/intent_map.json"); // null when there is none
 * ```
 */
import { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import {
  FileOverLimitError,
  type OpenedFileFacts,
  readRegularFileSync,
} from "../platform/read_regular_file.ts";
import { missingIntentMapProblem } from "./missing_intent_map.ts";
import { utf8FileText } from "../policy/utf8_file_text.ts";

/**
 * The most bytes an intent map may hold: one `"server": "intent"` line per
 * server needs far less. `thoth run` reads no more, and `doctor` and `health`
 * read no more either.
 */
export const MAX_INTENT_MAP_BYTES = 1024 * 1024;

/**
 * What is wrong with an intent map over the limit, in one sentence.
 *
 * @example
 * ```ts
 * intentMapTooLargeText("/m.json", new FileOverLimitError(2097152, 1048576));
 * // 'intent map "/m.json" is 2097152 bytes, over the 1 MiB (1048576-byte) limit'
 * ```
 */
export function intentMapTooLargeText(path: string, error: FileOverLimitError): string {
  return `intent map "${path}" ${error.message.replace(/^it /, "")}`;
}

/** What to do about an intent map over the limit. */
export function intentMapTooLargeRemedy(path: string): string {
  return "an intent map this large is almost certainly not the intended file: move it aside " +
    `(mv ${shellQuote(path)} ${shellQuote(`${path}.large`)}) and write one "server": "intent" ` +
    "entry per server, or trim it";
}

/**
 * The text of the intent map at `file` as `thoth run` reads it: null when
 * there is none; `intent_map.unreadable` when it is not a regular file (a
 * FIFO would block the read, and the client, for ever), cannot be read, or
 * is a symbolic link that leads to no file (`missingIntentMapProblem`: a
 * broken map, never "no map");
 * `intent_map.invalid` when it is not UTF-8;
 * `intent_map.too_large` when it holds more than
 * {@linkcode MAX_INTENT_MAP_BYTES} (never read whole: at most one byte past
 * the limit is read). With a `judge` (`thoth run` gives governing_file_trust's
 * `ownerJudge`), the owner and mode of the file actually opened are judged
 * before it is read, and its `AppError` (`intent_map.untrusted`) is thrown as
 * it is: a map swapped in after its path was judged is refused. Synchronous,
 * so `thoth status` (pure, synchronous planning) and `thoth run` read it with
 * the same code.
 */
export function readIntentMapText(
  file: string,
  options: { readonly judge?: (facts: OpenedFileFacts) => void } = {},
): string | null {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(file, { limit: MAX_INTENT_MAP_BYTES, ...options });
  } catch (error) {
    if (error instanceof AppError) throw error; // The judge's refusal.
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is a map that cannot be read, not an absent one.
      const broken = missingIntentMapProblem(file);
      if (broken !== null) throw broken;
      return null;
    }
    if (error instanceof FileOverLimitError) {
      throw new AppError(
        "intent_map.too_large",
        `cannot read ${intentMapTooLargeText(file, error)}`,
        { cause: error, hints: [intentMapTooLargeRemedy(file)] },
      );
    }
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
  return intentMapFileText(bytes, file);
}

/**
 * The text of an intent map's `bytes`: strictly UTF-8 (a byte-order mark
 * dropped), as `thoth run`, `doctor` and `health` decode it; throws
 * `intent_map.invalid` for a file in another encoding (see `utf8FileText`).
 */
export function intentMapFileText(bytes: Uint8Array, file: string): string {
  return utf8FileText(bytes, { code: "intent_map.invalid", name: `intent map "${file}"` });
}
