/**
 * What a session says on stderr about an approval queue that cannot take
 * requests: a broken queue explained once, not at every STEP_UP (see
 * {@linkcode QueueFailureNotes}). Pure.
 *
 * @example
 * ```ts
 * const said = new QueueFailureNotes();
 * for (const line of said.failed(error)) note(line);
 * ```
 */
import { AppError } from "../errors.ts";
import { displayText } from "./display_text.ts";
import { QUEUE_ID_ALPHABET, QUEUE_ID_LENGTH } from "./queue_record.ts";

/** A request's own part of a queue error: a temp file's suffix, a request id in a file name. */
const REQUEST_PART = new RegExp(
  `\\.tmp-[0-9a-f]+|[${QUEUE_ID_ALPHABET}]{${QUEUE_ID_LENGTH}}` +
    `\\.(?:(?:request|answer|outcome)\\.json|taken)`,
  "g",
);

/**
 * What one session says on stderr (as lines for its `note`) about a queue
 * that cannot take requests, so that a broken queue is explained once, not
 * at every STEP_UP: the first failure in full (what is wrong, where, and
 * each hint), the same failure again in one short line that counts the
 * calls refused so far, a failure of another cause in full again, and,
 * once the queue takes a request again, that it works again. Only the
 * words change: every call it could not take is refused all the same.
 *
 * @example
 * ```ts
 * const said = new QueueFailureNotes();
 * said.failed(error); // ["error: the approval queue cannot take the request: …", "hint: …"]
 * said.failed(error); // ["error: the approval queue still cannot take requests (same cause as above); 2 calls refused so far"]
 * said.queued(); // ["the approval queue takes requests again; 2 calls were refused while it could not"]
 * ```
 */
export class QueueFailureNotes {
  /** The cause of the failures since the queue last took a request (undefined: none). */
  #cause: string | undefined;
  /** The calls refused since the queue last took a request. */
  #refused = 0;

  /** The lines to say for a request the queue could not take, failing with `error`. */
  failed(error: unknown): string[] {
    const text = error instanceof Error ? error.message : String(error);
    // The same cause, whichever request met it: the parts that name the request do not count.
    const cause =
      `${error instanceof AppError ? error.code : error instanceof Error ? error.name : ""}` +
      `\n${text.replace(REQUEST_PART, "")}`;
    this.#refused++;
    if (cause === this.#cause) {
      return [
        "error: the approval queue still cannot take requests (same cause as above); " +
        `${this.#refused} calls refused so far`,
      ];
    }
    const changed = this.#cause !== undefined;
    this.#cause = cause;
    return [
      `error: the approval queue cannot take the request${
        changed ? ", now for another reason" : ""
      }: ${displayText(text, 400)}`,
      ...(error instanceof AppError ? error.hints : []).map((hint) => `hint: ${hint}`),
    ];
  }

  /** The lines to say when the queue took a request: none, unless it had been failing. */
  queued(): string[] {
    if (this.#cause === undefined) return [];
    const refused = this.#refused;
    this.#cause = undefined;
    this.#refused = 0;
    return [
      `the approval queue takes requests again; ${refused} ${
        refused === 1 ? "call was" : "calls were"
      } refused while it could not`,
    ];
  }
}
