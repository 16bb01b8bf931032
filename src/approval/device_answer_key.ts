/**
 * The key the approval queue's waiting thoth checks a person's answer by
 * (see `answer_mac.ts`), derived from this profile's device keys; a key
 * that cannot be loaded is an `approval.no_answer_key` error.
 *
 * @example
 * ```ts
 * const key = await deviceAnswerKey(queue.thothHome);
 * const owned = await queue.ownedAnswer(id, { key });
 * ```
 */
import { AppError } from "../errors.ts";
import { loadDeviceKeys } from "../audit/device_keys.ts";
import { AnswerMacKey } from "./answer_mac.ts";

/**
 * The key a person's answer is checked by (see `answer_mac.ts`): derived
 * from the device keys of `thothHome` as this thread gets them
 * (`loadDeviceKeys`; by message in the sandboxed core), the keys the
 * session's audit loaded (and made on first use) before its first
 * decision. Got before the first request is queued, so the key is on file
 * before anyone answers.
 */
export async function deviceAnswerKey(thothHome: string): Promise<AnswerMacKey> {
  try {
    return new AnswerMacKey((await loadDeviceKeys(thothHome, new Date())).hmacRaw);
  } catch (error) {
    throw new AppError(
      "approval.no_answer_key",
      "cannot check answers in the approval queue: cannot load this profile's audit key: " +
        (error instanceof Error ? error.message : String(error)),
      { cause: error, hints: error instanceof AppError ? error.hints : [] },
    );
  }
}
