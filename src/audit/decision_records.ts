/**
 * `thoth audit show --decision-id`: reads a decision id as a refusal prints
 * it ("Decision d-9f2c41aa07e35b18.") and picks the records tied to that
 * decision: the decision itself, its approval, outcome and cancellation
 * records (an approval that a stateless retry answered ties the asking
 * decision and the retry's together), and the `session_start` and
 * `handshake` records (which client and server spoke) of each session they
 * belong to. Pure.
 *
 * @example
 * ```ts
 * const id = readDecisionId("d-9f2c41aa07e35b18.");      // "d-9f2c41aa07e35b18"
 * const tied = recordsOfDecision(records, id);           // in log order
 * ```
 */
import { AppError } from "../errors.ts";
import { showName } from "../identity/shown_env_value.ts";

type Rec = Record<string, unknown>;

/** A decision id: `d-` and 16 lowercase hex digits (see `newDecisionId`). */
const DECISION_ID = /^d-[0-9a-f]{16}$/;

/** An example id for messages. */
const EXAMPLE = "d-9f2c41aa07e35b18";

/**
 * The decision id in `value`, as a refusal or `thoth approvals list` prints
 * it: surrounding spaces, quotes, brackets, the refusal's own `Decision `
 * before it (any case) and a sentence's final `.`, `,` or `;` are left out,
 * upper-case hex digits are read as lower-case, and the 16 hex digits alone
 * are read as the id they end (`d-` is put before them). Anything else is
 * refused with `usage.bad_flag` (exit 2), naming the value (hidden when it
 * looks like a key, but never when it has a decision id's shape, `d-` and
 * hex digits: an id is no secret) and the shape of an id.
 *
 * @example
 * ```ts
 * readDecisionId("Decision d-9F2C41AA07E35B18."); // "d-9f2c41aa07e35b18"
 * readDecisionId("9f2c41aa07e35b18");             // "d-9f2c41aa07e35b18"
 * ```
 */
export function readDecisionId(value: string): string {
  const id = value.trim().replace(/^["'`(\[]+/, "").replace(/^decision\s+/i, "")
    .replace(/^["'`(\[]+/, "").replace(/["'`)\].,;:]+$/, "").toLowerCase();
  if (DECISION_ID.test(id)) return id;
  if (BARE_ID.test(id)) return `d-${id}`;
  const hints = [`copy the id from the refusal ("Decision ${EXAMPLE}"): "d-" and 16 hex digits`];
  if (["allow", "block", "step_up"].includes(id)) {
    hints.unshift(`to list decisions by verdict, use --decision ${id}`);
  }
  // A decision id is no secret: one of its shape (a digit short, say) is shown as given.
  const given = value.trim();
  const shown = ID_SHAPE.test(id)
    ? JSON.stringify(given.length > 80 ? `${given.slice(0, 80)}…` : given)
    : showName(value);
  throw new AppError(
    "usage.bad_flag",
    `${shown} given to --decision-id is not a decision id`,
    { hints, exitCode: 2 },
  );
}

/** A decision id's 16 hex digits without their `d-`. */
const BARE_ID = /^[0-9a-f]{16}$/;

/**
 * What has a decision id's shape, right or not (a digit short or over): `d-`
 * and hex digits. Hex digits alone of another length may be a key, and are
 * shown as any value is.
 */
const ID_SHAPE = /^d-[0-9a-f]{1,32}$/;

/** The decision a record is about: its `decisionId`, and a stateless retry's `retryDecisionId`. */
function idsOf(record: Rec): string[] {
  const ids: string[] = [];
  for (const key of ["decisionId", "retryDecisionId"]) {
    if (typeof record[key] === "string") ids.push(record[key]);
  }
  return ids;
}

/**
 * The records tied to decision `id`, in log order: every record that names
 * it, the records of a decision an approval ties to it (a stateless retry and
 * the call that asked), and the `session_start` and `handshake` records of
 * each of their sessions.
 * Empty when no record names `id`.
 */
export function recordsOfDecision(records: readonly Rec[], id: string): Rec[] {
  const ids = new Set([id]);
  for (const record of records) {
    if (record["type"] !== "approval") continue;
    const named = idsOf(record);
    if (named.includes(id)) { for (const other of named) ids.add(other); }
  }
  const tied = new Set(records.filter((r) => idsOf(r).some((i) => ids.has(i))));
  if (tied.size === 0) return [];
  const sessions = new Set([...tied].map((r) => r["session"]));
  return records.filter((r) =>
    tied.has(r) ||
    ((r["type"] === "session_start" || r["type"] === "handshake") && sessions.has(r["session"]))
  );
}
