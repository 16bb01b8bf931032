/**
 * Reads the answer file of a queued request as the waiting thoth, `thoth
 * approvals` and pruning read it: with the uid that owns it (who wrote it,
 * as the system says; its `by` is only what the writer claims). A file there
 * that is a link, or a folder, FIFO or device, is no answer: it comes back
 * `refused`; a file that is no valid answer, or over
 * {@linkcode QUEUE_FILE_LIMIT}, comes back `malformed`, unread past the
 * limit; read with a key, a person's answer without its MAC beside it (see
 * `answer_mac.ts`) comes back `unsigned`. Each still settles the request
 * (nothing else can be written in its place), as a denial by no one.
 *
 * @example
 * ```ts
 * const owned = await readOwnedAnswer(folder, "k3f9x2qa", { key });
 * if (owned?.unsigned !== undefined) note(owned.unsigned);
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import type { OpenAnswerFileOptions } from "./open_answer_file.ts";
import { answerFileProblem } from "./answer_file_problem.ts";
import { type AnswerMacKey, answerMacName, answerNeedsMac } from "./answer_mac.ts";
import { parseQueueAnswer, QUEUE_FILE_LIMIT, QUEUE_ID, type QueueAnswer } from "./queue_record.ts";
import { answerFileOpener, type QueueFolder } from "./queue_folder.ts";

/**
 * An answer as the waiting thoth reads it: with the uid that owns its file
 * (null: unknown here). `refused` says why the file there is no answer (a
 * symbolic link, a file with more than one link, or a folder, FIFO or
 * device: see `open_answer_file.ts`), never read; `answer` is then a
 * denial by "unknown" and `ownerUid` null, since the file's owner says
 * nothing about who answered.
 * `malformed` says what is wrong with a file that is no valid answer (not
 * JSON, a field missing or wrong: see `answer_file_problem.ts`); `answer`
 * is then a denial by "thoth" that says so, and `ownerUid` null: no one
 * answered.
 */
export interface OwnedAnswer {
  answer: QueueAnswer;
  ownerUid: number | null;
  refused?: string;
  malformed?: string;
  /**
   * Why a person's answer (approve, session, deny) does not count, when it
   * was read with a key to check it by ({@linkcode AnswerReadOptions.key}):
   * no MAC made with this profile's key is beside it (see `answer_mac.ts`).
   * `answer` is then a denial by "thoth" that says so, and `ownerUid` null.
   */
  unsigned?: string;
}

/** How {@linkcode readOwnedAnswer} reads an answer. */
export interface AnswerReadOptions extends OpenAnswerFileOptions {
  /** The key a person's answer is checked by (see `answer_mac.ts`); unchecked without one. */
  key?: AnswerMacKey;
}

/**
 * Why a person's answer without a MAC that verifies does not count, in
 * words for the model, the audit and stderr (no path: it reaches the model,
 * whose text keeps 200 characters of a channel's error).
 */
export const UNSIGNED_ANSWER = "no MAC made with this profile's key is beside it: it was " +
  "written without the key (by hand, by another program, or by a thoth older than this release)";

/** Why a queue file over {@linkcode QUEUE_FILE_LIMIT} is no answer. */
const OVER_LIMIT = `it is larger than ${QUEUE_FILE_LIMIT / 1024} KiB, far more than any ` +
  "answer holds, so it was not read";

/**
 * The answer to `id` in `folder`, with the uid that owns its file (see the
 * module doc); undefined when there is none. `options` say how often a
 * file with a second link is looked at again, and the key to check a
 * person's answer by.
 */
export async function readOwnedAnswer(
  folder: QueueFolder,
  id: string,
  options: AnswerReadOptions = {},
): Promise<OwnedAnswer | undefined> {
  if (!QUEUE_ID.test(id)) return undefined;
  const path = folder.path(id, "answer");
  const { value, ownerUid, refused, overLimit } = await folder.readOwned(
    path,
    answerFileOpener(options),
  );
  if (refused !== undefined) {
    return {
      answer: refusedAnswer(
        id,
        "unknown",
        `the answer file "${path}" is not an answer: ${refused}`,
      ),
      ownerUid: null,
      refused,
    };
  }
  if (value === undefined) return undefined;
  const malformed = overLimit ? OVER_LIMIT : answerFileProblem(value, id);
  if (malformed !== undefined) {
    // Present but no answer: it still settled the request, refused. No one
    // answered, so no one (not the file's owner) is named as the approver.
    return {
      answer: refusedAnswer(id, "thoth", `the answer file "${path}" is malformed: ${malformed}`),
      ownerUid: null,
      malformed,
    };
  }
  const answer = parseQueueAnswer(value)!;
  const unsigned = options.key === undefined || !answerNeedsMac(answer)
    ? undefined
    : await macProblem(folder, answer, options.key);
  if (unsigned !== undefined) {
    // Written by someone who could not sign it: no one is named as the approver.
    return {
      answer: refusedAnswer(id, "thoth", `the answer file "${path}" is not signed: ${unsigned}`),
      ownerUid: null,
      unsigned,
    };
  }
  return { answer, ownerUid };
}

/**
 * Why `answer` has no MAC made with `key` beside it (see `answer_mac.ts`):
 * undefined when its MAC file is there, a regular file.
 */
async function macProblem(
  folder: QueueFolder,
  answer: QueueAnswer,
  key: AnswerMacKey,
): Promise<string | undefined> {
  const path = joinPath(folder.dir, answerMacName(answer.id, key.mac(answer)));
  try {
    const info = await Deno.lstat(path);
    return info.isFile ? undefined : "its MAC file is not a regular file";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return UNSIGNED_ANSWER;
    return `its MAC file cannot be looked at: ${
      error instanceof Error ? error.message : String(error)
    }`;
  }
}

/**
 * A file that settled request `id` without answering it: a denial carrying
 * `reason`, bound to no arguments (an all-zero digest), by `by`.
 */
function refusedAnswer(id: string, by: string, reason: string): QueueAnswer {
  return { v: 1, id, digest: "0".repeat(64), decision: "deny", by, reason, at: 0 };
}
