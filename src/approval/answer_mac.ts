/**
 * The MAC that makes a person's answer in the approval queue one that
 * `thoth approvals` wrote with this profile's keys: an HMAC-SHA256, under a
 * key derived from the device's audit HMAC key (which lives under `keys/`,
 * not in the queue folder), over every field of the answer. Whoever can
 * write the queue folder but cannot read the keys (a process granted the
 * folder alone, a container that shares it) can write an answer file, not
 * its MAC: the waiting thoth refuses a person's answer (approve, session,
 * deny) without a MAC that verifies, and the call is not run.
 *
 * The MAC travels as the name of an empty file beside the answer,
 * `<id>.<mac>.answer-mac` ({@linkcode answerMacName}), made before the
 * answer is linked into place: an answer file with a field it never held
 * is malformed to a waiting thoth of an earlier release, so the answer file
 * keeps its shape, and one that ignores the MAC file still reads it. Its
 * name is the proof, so two people answering at once each make their own
 * (a name for another answer proves nothing about this one) and no writer
 * waits on another. What the MAC covers, `given` among it (how the answer
 * was given: see `answer_given.ts`), no one wrote without the key; it does
 * not prove who held the key: any process of the user who runs thoth can
 * read it, and write any answer a `thoth approvals` could. Pure.
 *
 * @example
 * ```ts
 * const key = new AnswerMacKey(keys.hmacRaw);
 * answerMacName(answer.id, key.mac(answer)); // "k3f9x2qa.<64 hex>.answer-mac"
 * ```
 */
import { toHex } from "../audit/encoding.ts";
import { hmacSha256, HmacSha256Key } from "../audit/sha256.ts";
import type { QueueAnswer } from "./queue_record.ts";
import { givenForMac } from "./answer_given.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only. */
const LABEL = "thoth approval answer mac v1";

/** How the name of an answer's MAC file ends. */
export const ANSWER_MAC_SUFFIX = ".answer-mac";

/** The answer MAC key of a device, derived from its audit HMAC key. */
export class AnswerMacKey {
  readonly #key: HmacSha256Key;

  /** `auditKey`: the device's audit HMAC key, raw (`DeviceKeys.hmacRaw`). */
  constructor(auditKey: Uint8Array) {
    this.#key = new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
  }

  /**
   * The MAC (64 hex digits) of `answer`: every field, in a fixed order (a
   * field added to an answer must be added here).
   */
  mac(answer: QueueAnswer): string {
    const bound = [answer.server, answer.tool, answer.decisionId, answer.shapeHash];
    const input = JSON.stringify([
      LABEL,
      answer.v,
      answer.id,
      answer.digest,
      answer.decision,
      answer.by,
      answer.reason ?? null,
      answer.at,
      // What the person was shown (see answer_binding.ts); absent from an earlier release's.
      ...(bound.every((field) => field === undefined) ? [] : bound.map((f) => f ?? null)),
      // How it was given (see answer_given.ts); absent from an answer of version 1 or 2. Its
      // process chain and flags are appended only when present (givenForMac), so an answer
      // written before they were recorded keeps its MAC.
      ...(answer.given === undefined ? [] : [givenForMac(answer.given)]),
    ]);
    return toHex(this.#key.mac(encoder.encode(input)));
  }
}

/** The name of the file that carries `mac`, the MAC of an answer to request `id`. */
export function answerMacName(id: string, mac: string): string {
  return `${id}.${mac}${ANSWER_MAC_SUFFIX}`;
}

/**
 * Whether `answer` is one a person gave (approve, session, deny), and so
 * counts only with its MAC: a waiting thoth's own close (expired,
 * withdrawn) lets no call run, whoever wrote it.
 */
export function answerNeedsMac(answer: QueueAnswer): boolean {
  return answer.decision === "approve" || answer.decision === "session" ||
    answer.decision === "deny";
}
