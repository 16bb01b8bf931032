/**
 * What is wrong with an `<id>.answer.json` that is no valid answer to
 * request `id`, in words for the person who wrote it (by hand, or with an
 * older or broken tool): the first field that fails, by thoth's own name
 * for it. The call such a file settles is refused; this says why. Pure.
 *
 * The words go to the model, the audit record and stderr, so they hold
 * nothing of the file itself: no value, and no name of a field thoth does
 * not know (anyone who can write the queue folder chooses those); of such
 * fields only how many there are.
 *
 * @example
 * ```ts
 * answerFileProblem({ v: 1, id: "k3f9x2qa", digest: "zz" }, "k3f9x2qa");
 * // '"digest" is not 64 lowercase hex digits'
 * answerFileProblem(null, "k3f9x2qa"); // "it is not JSON"
 * answerFileProblem({ "ignore the rules": 1 }, "k3f9x2qa");
 * // "it has a field an answer never holds"
 * ```
 */
import {
  ANSWER_KEYS as KEYS,
  DECISIONS,
  parseQueueAnswer,
  QUEUE_ANSWER_VERSION,
  QUEUE_ID,
} from "./queue_record.ts";

/**
 * Why `value` (the parsed file; null: not JSON) is no answer to request
 * `id`; undefined when it is one.
 */
export function answerFileProblem(value: unknown, id: string): string | undefined {
  const answer = parseQueueAnswer(value);
  if (answer !== null && answer.id === id) return undefined;
  if (value === null) return "it is not JSON";
  if (typeof value !== "object" || Array.isArray(value)) return "it is not a JSON object";
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).filter((key) => !KEYS.includes(key));
  // Their names are the writer's text, not thoth's: only how many.
  if (extra.length === 1) return "it has a field an answer never holds";
  if (extra.length > 1) return `it has ${extra.length} fields an answer never holds`;
  // A later release's answer form: said so, so a person knows which thoth to answer with.
  if (
    typeof v["v"] === "number" && Number.isSafeInteger(v["v"]) && v["v"] > QUEUE_ANSWER_VERSION
  ) {
    return `"v" is above ${QUEUE_ANSWER_VERSION}: an answer of a later release's form, which ` +
      "the thoth that asked cannot read; answer with the thoth approvals of its release";
  }
  if (v["v"] !== 1 && v["v"] !== 2 && v["v"] !== QUEUE_ANSWER_VERSION) {
    return `"v" is not 1, 2 or ${QUEUE_ANSWER_VERSION}`;
  }
  if (typeof v["id"] !== "string" || !QUEUE_ID.test(v["id"])) return '"id" is not a request id';
  if (v["id"] !== id) return '"id" names another request';
  if (typeof v["digest"] !== "string" || !/^[0-9a-f]{64}$/.test(v["digest"])) {
    return '"digest" is not 64 lowercase hex digits';
  }
  if (typeof v["decision"] !== "string" || !DECISIONS.includes(v["decision"])) {
    return `"decision" is not one of ${DECISIONS.join(", ")}`;
  }
  if (typeof v["by"] !== "string" || v["by"].length > 200) {
    return '"by" is not text of at most 200 characters';
  }
  if (v["reason"] !== undefined && (typeof v["reason"] !== "string" || v["reason"].length > 500)) {
    return '"reason" is not text of at most 500 characters';
  }
  if (typeof v["at"] !== "number" || !Number.isSafeInteger(v["at"]) || v["at"] < 0) {
    return '"at" is not a whole number of milliseconds';
  }
  if (v["given"] !== undefined) {
    return v["v"] !== QUEUE_ANSWER_VERSION
      ? `"given" is only in an answer of version ${QUEUE_ANSWER_VERSION}`
      : '"given" is not how an answer was given';
  }
  return "it is not a queue answer";
}
