/**
 * How a person's answer in the approval queue was given, as the
 * `thoth approvals` that wrote it saw its own process: through which
 * command (`via`), whether its standard input and output were both a
 * terminal (`terminal`), the name of its controlling terminal when known
 * (`tty`), and whether the check that it runs inside no server thoth
 * governs could read the process tree (`treeChecked`, absent when not
 * known). The answer file carries it (`given`), covered by the answer's
 * MAC (see `answer_mac.ts`), and the waiting thoth copies it into the
 * approval record of the audit log, so that an answer given by a script
 * or a tool the model called (no terminal) reads otherwise than one typed
 * at a terminal. It is what that process saw, not proof of a person: any
 * process of the user can read the key and start a terminal of its own
 * (`script`). Pure.
 *
 * @example
 * ```ts
 * parseAnswerGiven({ via: "cli", terminal: false, treeChecked: true }); // the same, typed
 * givenWords({ via: "cli", terminal: false }); // "without a terminal"
 * ```
 */

/** How an answer was given (see the module doc). */
export interface AnswerGiven {
  /** `cli`: `thoth approvals approve` or `deny`; `watch`: a key pressed in `thoth approvals watch`. */
  via: "cli" | "watch";
  /** Standard input and standard output were both a terminal. */
  terminal: boolean;
  /** The controlling terminal's name as `ps` shows it (`pts/3`), when it has one and it is known. */
  tty?: string;
  /** The governed-caller check read the process tree (false: it could not; absent: not known). */
  treeChecked?: boolean;
}

/** An outcome or answer that may carry {@linkcode AnswerGiven}. */
export interface GivenFacts {
  given?: AnswerGiven;
}

const KEYS = ["via", "terminal", "tty", "treeChecked"];

/** The characters a terminal name may hold (`pts/3`, `ttys004`, `tty1`). */
const TTY = /^[A-Za-z0-9/._-]{1,64}$/;

/** Validates a parsed `given` field; null when it is not one. */
export function parseAnswerGiven(value: unknown): AnswerGiven | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (!Object.keys(v).every((key) => KEYS.includes(key))) return null;
  const ok = (v["via"] === "cli" || v["via"] === "watch") && typeof v["terminal"] === "boolean" &&
    (v["tty"] === undefined || typeof v["tty"] === "string" && TTY.test(v["tty"])) &&
    (v["treeChecked"] === undefined || typeof v["treeChecked"] === "boolean");
  return ok ? v as unknown as AnswerGiven : null;
}

/**
 * `given` in a fixed order, absent fields as null: what the answer's MAC
 * covers (see `answer_mac.ts`).
 */
export function givenForMac(given: AnswerGiven): unknown[] {
  return [given.via, given.terminal, given.tty ?? null, given.treeChecked ?? null];
}

/**
 * What a listing or the audit adds to "approved by ana": "without a
 * terminal", "without a terminal, the process tree unchecked", "the process
 * tree unchecked"; "" for an answer typed at a terminal with the tree
 * checked, or one that says nothing of how it was given.
 */
export function givenWords(given: AnswerGiven | undefined): string {
  if (given === undefined) return "";
  const parts = [
    given.terminal ? "" : "without a terminal",
    given.treeChecked === false ? "the process tree unchecked" : "",
  ].filter((part) => part !== "");
  return parts.join(", ");
}
