/**
 * The answer MAC key (see `answer_mac.ts`) of a profile, for the one who
 * answers a request (`thoth approvals approve|deny|watch`): read from the
 * device's audit HMAC key under `<thothHome>/keys/`, as it is, never made
 * (the waiting thoth made it before it queued its request; keys are made
 * only under the audit lock). Only a regular file of at most
 * {@linkcode ANSWER_KEY_FILE_LIMIT} bytes is read.
 *
 * @example
 * ```ts
 * const key = await readAnswerKey("/home/ana/.thoth");
 * key.mac(answer);
 * ```
 */
import { AppError } from "../errors.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { fromBase64 } from "../audit/encoding.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { AnswerMacKey } from "./answer_mac.ts";

/** The most bytes the HMAC key file may hold: thoth writes 45 (32 bytes in base64, a newline). */
export const ANSWER_KEY_FILE_LIMIT = 1024;

/**
 * The answer MAC key of `thothHome`. Throws `approval.no_answer_key` when
 * the key is not there or cannot be read, `approval.bad_answer_key` when it
 * is no key.
 */
export async function readAnswerKey(thothHome: string): Promise<AnswerMacKey> {
  const path = auditPaths(thothHome).hmacKey;
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, { limit: ANSWER_KEY_FILE_LIMIT });
  } catch (error) {
    if (error instanceof FileOverLimitError || error instanceof Deno.errors.InvalidData) {
      throw badKey(path, error.message);
    }
    const missing = error instanceof Deno.errors.NotFound;
    const why = missing
      ? "there is no such file"
      : error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new AppError(
      "approval.no_answer_key",
      `cannot sign the answer: cannot read the audit HMAC key "${path}": ${why}`,
      {
        cause: error,
        hints: [
          "answer as the user the waiting thoth runs as, with its THOTH_HOME: only that user " +
          "can read the key, and a waiting thoth checks every answer against it",
          ...(missing ? ['run "thoth doctor" to see the state of the audit keys'] : []),
        ],
      },
    );
  }
  const raw = fromBase64(new TextDecoder().decode(bytes).trim());
  if (raw === undefined || raw.length !== 32) throw badKey(path, "it is empty or damaged");
  return new AnswerMacKey(raw);
}

/** The error for a key file at `path` that is no key. */
function badKey(path: string, why: string): AppError {
  return new AppError(
    "approval.bad_answer_key",
    `cannot sign the answer: the audit HMAC key "${path}" is not a key: ${why}`,
    { hints: ['run "thoth doctor" for what to do about a damaged audit key'] },
  );
}
