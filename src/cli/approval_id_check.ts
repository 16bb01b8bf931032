/**
 * The id `thoth approvals approve` and `deny` are given: read as the id it
 * names (case ignored), or refused saying what is wrong with it and what an
 * id is made of ({@linkcode ID_SHAPE}).
 *
 * @example
 * ```ts
 * checkId("K3F9X2QA"); // "k3f9x2qa"
 * checkId("k3f9x2q0"); // throws approval.unknown_id: "0" never appears in one
 * ```
 */
import { QUEUE_ID, QUEUE_ID_ALPHABET, QUEUE_ID_LENGTH } from "../approval/queue_record.ts";
import { looksLikeSecret, showValue } from "../identity/shown_env_value.ts";
import { displayText } from "../approval/display_text.ts";
import { AppError } from "../errors.ts";

/** The lowercase letters and digits an id never holds, as "0, 1, i, l and o". */
const LEFT_OUT = [..."0123456789abcdefghijklmnopqrstuvwxyz"].filter((c) =>
  !QUEUE_ID_ALPHABET.includes(c)
);

/**
 * `text` with ASCII capitals lowercased, and nothing else changed: the
 * Kelvin sign lowercases to "k" too, and is no id's.
 */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The request id `id` names. Ids are lowercase, so an id typed in capitals
 * (`K3F9X2QA`, copied from a message that shouted) names exactly one id and
 * is read as that id; anything else that is not an id is refused, saying
 * which characters or how many were wrong and what an id is made of.
 */
export function checkId(id: string, program = "thoth"): string {
  if (QUEUE_ID.test(id)) return id;
  const lower = asciiLower(id);
  if (QUEUE_ID.test(lower)) return lower;
  const chars = [...id];
  const strange = [...new Set(chars.filter((c) => !QUEUE_ID_ALPHABET.includes(asciiLower(c))))];
  // What is wrong, except for a value shown by fingerprint: its characters stay unsaid.
  const why = looksLikeSecret(id)
    ? ""
    : strange.length > 0
    ? `: ${strange.map((c) => JSON.stringify(displayText(c))).join(", ")} never ${
      strange.length === 1 ? "appears" : "appear"
    } in one`
    : chars.length !== QUEUE_ID_LENGTH
    ? `: it has ${chars.length} characters, not ${QUEUE_ID_LENGTH}`
    : "";
  throw new AppError("approval.unknown_id", `${showValue(id)} is not an approval id${why}`, {
    hints: [`${ID_SHAPE}; copy it from "${program} approvals list"`],
  });
}

/** What an id is made of, for the help of `approve` and `deny` and the hint of a wrong one. */
export const ID_SHAPE =
  `an id is ${QUEUE_ID_LENGTH} characters from "${QUEUE_ID_ALPHABET}" (lowercase ` +
  `letters and digits without ${LEFT_OUT.slice(0, -1).join(", ")} and ${LEFT_OUT.at(-1)})`;
