/**
 * What one line of a spool file is worth to a recovering session: an event
 * it takes in, or the reason it refuses the line. A line is taken in only
 * when its MAC (see `spool_mac.ts`) verifies under the key of the session
 * that wrote the file at its place in the file's chain (after the line
 * before it, at its index), it is one JSON object of a type a session spools
 * (decisions and approvals, and the session's own `session_start` and
 * `session_end`, which must name the session whose key signed them: see
 * `SessionAudit`), and it carries none of the
 * members of a stored record's envelope (`v`, `seq`, `ts`, `prev`,
 * `decidedAt`), which the log writes around an event and an event must never
 * set. Its spool time (`spooledMs`, see `spool_stamp.ts`), when it has one,
 * is kept in the event: the log's writer takes it off. Pure.
 *
 * @example
 * ```ts
 * const result = checkSpoolLine(lineBytes, mac.forSession("s-dead"), chain, { bytes: 1 << 20 });
 * if (result.kind === "event") queue.push(result.event); // and the chain has moved on
 * ```
 */
import type { ApprovalEvent, DecisionEvent, SessionEndEvent, SessionStartEvent } from "./record.ts";
import { type SessionSpoolMac, splitSignedLine, type SpoolChain } from "./spool_mac.ts";
import { eventStamp, SPOOL_STAMP_KEY } from "./spool_stamp.ts";

/** An event a spool holds. */
export type SpooledEvent = DecisionEvent | ApprovalEvent | SessionStartEvent | SessionEndEvent;

/**
 * The record types a session writes to its spool: the ones that gate a
 * call, its own start, and its own end when the log did not take it (so
 * that a session whose log never opened is still recorded as started and
 * ended once a later session takes its spool in).
 */
export const SPOOLED_TYPES: ReadonlySet<string> = new Set([
  "decision",
  "approval",
  "session_start",
  "session_end",
]);

/** The spooled types a session writes of itself only (see {@linkcode checkSpoolLine}). */
const OWN_TYPES: ReadonlySet<string> = new Set(["session_start", "session_end"]);

/** The members of a stored record's envelope, which no event carries. */
export const ENVELOPE_KEYS: readonly string[] = ["v", "seq", "ts", "prev", "decidedAt"];

/** What a line is: an event to take in, or why it is refused. */
export type SpoolLineResult =
  | { kind: "event"; event: SpooledEvent }
  | { kind: "refused"; why: string };

/**
 * How many more bytes the search for a whole line after a torn part (see
 * {@linkcode checkSpoolLine}) may hash in this file: a genuine torn part is
 * rare (a failed write whose cut failed too), and a line made of event starts
 * must not cost a hash of its whole rest for each of them.
 */
export interface TornSearchBudget {
  bytes: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** How a spooled event's JSON starts (`type` is its first member). */
const STARTS = [...SPOOLED_TYPES].map((type) => encoder.encode(`{"type":${JSON.stringify(type)},`));

/**
 * Checks one line (its bytes, without the newline) of a file `mac`'s session
 * wrote, at `chain`'s place in it; the chain moves on past it when its MAC
 * verifies. A line whose MAC does not verify may still end in a whole line
 * written after a torn part (a write that failed half-way and could not be
 * cut back, followed by the next write, chained after the last whole line):
 * the first start of a spooled event in it whose rest verifies is that line,
 * looked for within `budget`.
 */
export function checkSpoolLine(
  line: Uint8Array,
  mac: SessionSpoolMac,
  chain: SpoolChain,
  budget: TornSearchBudget,
): SpoolLineResult {
  const found = chainedContent(line, mac, chain, budget);
  return typeof found === "string"
    ? { kind: "refused", why: found }
    : spooledEvent(found, mac.session);
}

/**
 * The event JSON of `line` (see {@linkcode checkSpoolLine}) when its MAC
 * verifies at `chain`'s place, which then moves on; why not, when it does not.
 *
 * @example
 * ```ts
 * const content = chainedContent(lineBytes, mac.forSession("s-other"), chain, { bytes: 1 << 20 });
 * ```
 */
export function chainedContent(
  line: Uint8Array,
  mac: SessionSpoolMac,
  chain: SpoolChain,
  budget: TornSearchBudget,
): Uint8Array | string {
  const signed = splitSignedLine(line);
  if (signed === undefined) {
    return "it carries no MAC (a spool line of an earlier release, or not written by thoth)";
  }
  const { content } = signed;
  let verified: Uint8Array | undefined;
  if (mac.verifies(chain, content, signed.mac)) verified = content;
  for (let at = nextStart(content, 1); verified === undefined && at > 0;) {
    budget.bytes -= content.length - at;
    if (budget.bytes < 0) break;
    if (mac.verifies(chain, content.subarray(at), signed.mac)) verified = content.subarray(at);
    else at = nextStart(content, at + 1);
  }
  if (verified === undefined) {
    return `its MAC does not verify under the key of session ${mac.session} at its place ` +
      `(event ${chain.index + 1} of the file: a line before it missing, moved or changed, ` +
      "or a line not written by thoth)";
  }
  chain.advance();
  return verified;
}

/**
 * The event whose verified JSON is `content`, in a file of `session`, or
 * why it is refused all the same.
 */
function spooledEvent(content: Uint8Array, session: string): SpoolLineResult {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(content));
  } catch {
    return { kind: "refused", why: "it is no JSON" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "refused", why: "it is no JSON object" };
  }
  const event = value as Record<string, unknown>;
  const type = event["type"];
  if (typeof type !== "string" || !SPOOLED_TYPES.has(type)) {
    return {
      kind: "refused",
      why: `it holds a record of type ${shown(type)}, which a spool never holds`,
    };
  }
  for (const key of ENVELOPE_KEYS) {
    if (Object.hasOwn(event, key)) {
      return {
        kind: "refused",
        why: `it carries the envelope's "${key}", which only the log writes`,
      };
    }
  }
  if (typeof event["session"] !== "string") {
    return { kind: "refused", why: "it names no session" };
  }
  // A session spools its own start and end only: one naming another session is none it wrote.
  if (OWN_TYPES.has(type) && event["session"] !== session) {
    return {
      kind: "refused",
      why: `its ${type} names session ${shown(event["session"])}, not ${
        shown(session)
      }, whose spool it is in`,
    };
  }
  // When it was spooled (see spool_stamp.ts); a line of an earlier release has none.
  if (eventStamp(event) === null) {
    return { kind: "refused", why: `its "${SPOOL_STAMP_KEY}" is no time in milliseconds` };
  }
  return { kind: "event", event: event as unknown as SpooledEvent };
}

/** Where the next start of a spooled event is in `bytes`, from `from`; -1 when none is. */
function nextStart(bytes: Uint8Array, from: number): number {
  let best = -1;
  for (const start of STARTS) {
    const at = indexOfBytes(bytes, start, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** Where `needle` first occurs in `hay` at or after `from`; -1 when it does not. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let at = hay.indexOf(first, from); at >= 0; at = hay.indexOf(first, at + 1)) {
    if (at + needle.length > hay.length) return -1;
    let i = 1;
    while (i < needle.length && hay[at + i] === needle[i]) i++;
    if (i === needle.length) return at;
  }
  return -1;
}

/** A value from a file, quoted and cut short for a message. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
