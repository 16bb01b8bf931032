/**
 * The two files of one request in the local approval queue, as validated
 * data: `<id>.request.json` (written by the waiting proxy) and
 * `<id>.answer.json` (written once, by whoever settles it first: a person
 * through `thoth approvals`, or the proxy itself when it stops waiting), and
 * `<id>.outcome.json` (written by the proxy when a person's answer did not
 * decide the call: it came after the call was withdrawn, the proxy refused
 * it as given for another call than the one it asked about, or the proxy
 * refused the approved call for a cause of its own, such as an audit log
 * that could not record the approval). Any
 * process of the same OS user can write here, so both are parsed strictly.
 * A fourth, `<id>.taken` ({@linkcode TAKEN_SUFFIX}), is only a marker: the
 * waiting thoth made it once the approval record of the answer it acts on
 * was written (see `prune_queue.ts`); nothing reads what it holds. So is
 * `<id>.<mac>.answer-mac`, whose name is the MAC of a person's answer (see
 * `answer_mac.ts`).
 *
 * @example
 * ```ts
 * const entry = parseQueueEntry(JSON.parse(text)); // QueueEntry or null
 * ```
 */
import { type AnswerGiven, parseAnswerGiven } from "./answer_given.ts";

/**
 * The characters of a queue id: lowercase letters and digits without those a
 * person may misread (0, 1, i, l, o).
 */
export const QUEUE_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** How many characters a queue id has. */
export const QUEUE_ID_LENGTH = 8;

/** A queue id: {@linkcode QUEUE_ID_LENGTH} characters from {@linkcode QUEUE_ID_ALPHABET}. */
export const QUEUE_ID: RegExp = new RegExp(`^[${QUEUE_ID_ALPHABET}]{${QUEUE_ID_LENGTH}}$`);

/**
 * How the name of a request's taken marker ends (`<id>.taken`): no `.json`,
 * so that nothing that looks for a request, answer or outcome file mistakes
 * it for one.
 */
export const TAKEN_SUFFIX = ".taken";

/**
 * The most bytes a queue file (request, answer or outcome) may hold; a
 * larger one is no such file and is not read past this (anyone who can
 * write the folder could leave a huge or sparse one). The largest request
 * thoth writes, every field at its longest and every character escaped in
 * the JSON, stays well under it; an answer or outcome is a few KiB at most.
 */
export const QUEUE_FILE_LIMIT = 256 * 1024;

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * The version this release writes in a request file (`"v"`): 3, which says
 * that the waiting thoth takes answers of version 3, which say how they
 * were given (`given`: see `answer_given.ts`). Version 2 says that the
 * waiting thoth takes only answers that bind what the person was shown
 * (`server`, `tool`, `decisionId`, `shapeHash`: see `answer_binding.ts`),
 * of version 2 and without `given`: this release answers such a request
 * in that form (see {@linkcode takesAnswerGiven}). A request with `"v": 1`
 * was queued by a thoth of an earlier release, which refuses a binding
 * answer as malformed (it has fields that release's answers never hold):
 * this release reads it, lists it as from an earlier release, and does not
 * answer it (see {@linkcode fromEarlierRelease}). A thoth of an earlier
 * release reads no request of a later version than its own, so its
 * `thoth approvals` neither lists nor answers one.
 */
export const QUEUE_REQUEST_VERSION = 3;

/**
 * The version this release writes in an answer file to a request of
 * version 3: 3, the answer of a person carries what they were shown (see
 * `answer_binding.ts`) and how it was given (`given`); to a request of
 * version 2 it writes version 2, without `given` (that release's thoth
 * refuses a field its answers never held). An answer with `"v": 1` was
 * written by an earlier release (or, for a thoth's own close, by a waiting
 * thoth of one); a waiting thoth of this release refuses a person's answer
 * that binds nothing, whatever its version.
 */
export const QUEUE_ANSWER_VERSION = 3;

/** The request version from which a waiting thoth takes answers that bind what was shown. */
const BINDING_REQUEST_VERSION = 2;

/**
 * Whether `entry` was queued by a thoth of an earlier release (request
 * version 1), which refuses an answer that binds what was shown: one
 * `thoth approvals` of this release must not write.
 */
export function fromEarlierRelease(entry: QueueEntry): boolean {
  return entry.v < BINDING_REQUEST_VERSION;
}

/**
 * Whether the thoth that queued `entry` takes an answer that says how it
 * was given (`given`, answer version 3): a request of version 3. One of
 * version 2 is answered in version 2, without it.
 */
export function takesAnswerGiven(entry: QueueEntry): boolean {
  return entry.v >= 3;
}

/** A request waiting in the queue. */
export interface QueueEntry {
  /**
   * 1: queued by a thoth of an earlier release; 2: by one that takes no
   * `given`; 3: this release's (see {@linkcode QUEUE_REQUEST_VERSION}).
   */
  v: 1 | 2 | 3;
  id: string;
  createdAt: number;
  expiresAt: number;
  server: string;
  tool: string;
  ruleIds: string[];
  reasons: string[];
  decisionId: string;
  shape: string[];
  digest: string;
  allowSession: boolean;
  pid: number;
  /**
   * The waiting thoth's PID namespace (`pid:[…]`) and the machine's boot id:
   * `pid` names that thoth only for a reader with the same two. Null, or
   * absent (a request of an older thoth), when unknown.
   */
  pidNamespace?: string | null;
  bootId?: string | null;
}

/** The decisions a queue answer can carry. */
export type QueueDecision = "approve" | "session" | "deny" | "expired" | "withdrawn";

/** How a queue request was settled. */
export interface QueueAnswer {
  /**
   * 1: an earlier release's form; 2: binds what was shown; 3: says too how
   * it was given (see {@linkcode QUEUE_ANSWER_VERSION}).
   */
  v: 1 | 2 | 3;
  id: string;
  digest: string;
  decision: QueueDecision;
  by: string;
  reason?: string;
  at: number;
  /**
   * What the person was shown, for a person's answer (see
   * `answer_binding.ts`); absent in a waiting thoth's own close and in an
   * answer of an earlier release.
   */
  server?: string;
  tool?: string;
  decisionId?: string;
  shapeHash?: string;
  /**
   * How a person's answer was given (see `answer_given.ts`): only in an
   * answer of version 3, and absent in a waiting thoth's own close.
   */
  given?: AnswerGiven;
}

/**
 * What became of a call whose request a person answered, when the answer
 * did not decide it: `withdrawn`, the call was cancelled (or its session
 * ended) before the answer was used; `misbound`, the waiting thoth refused
 * the answer because what it binds (server, tool, decision id, argument
 * shape: see `answer_binding.ts`) is not the call it holds, or because it
 * binds nothing; `refused`, the answer approved the call, but the waiting
 * thoth refused to run it all the same (the approval could not be recorded
 * in the audit log, or could not be marked taken). Written by the proxy
 * next to the request, so that `thoth approvals list` does not call a call
 * approved that never ran. A reader of an earlier release, which knows only
 * the first two, takes a `refused` note for no note at all (see
 * {@linkcode parseQueueOutcome}).
 */
export interface QueueOutcome {
  v: 1;
  id: string;
  digest: string;
  outcome: QueueOutcomeKind;
  /**
   * Why, in words for a person that name no argument value: "the client
   * cancelled the call while it waited", "the person was shown another
   * tool than this call has (…)", "the approval could not be recorded in
   * the audit log".
   */
  reason: string;
  at: number;
}

/** What an outcome file can say became of the call (see {@linkcode QueueOutcome}). */
export type QueueOutcomeKind = "withdrawn" | "misbound" | "refused";

const OUTCOMES: readonly string[] = ["withdrawn", "misbound", "refused"];

const OUTCOME_KEYS = ["v", "id", "digest", "outcome", "reason", "at"];

/**
 * Validates a parsed `<id>.outcome.json`; null when it is not one, or when
 * its `outcome` is a kind this release does not know (a later release's):
 * the listing then says only what the answer says, as with no note.
 */
export function parseQueueOutcome(value: unknown): QueueOutcome | null {
  if (!isRecord(value) || !onlyKeys(value, OUTCOME_KEYS)) return null;
  const v = value;
  const ok = v["v"] === 1 && typeof v["id"] === "string" && QUEUE_ID.test(v["id"]) &&
    typeof v["digest"] === "string" && DIGEST.test(v["digest"]) &&
    typeof v["outcome"] === "string" && OUTCOMES.includes(v["outcome"]) &&
    text(v["reason"], 500) && count(v["at"]);
  return ok ? value as unknown as QueueOutcome : null;
}

/** Every `decision` an answer file may hold. */
export const DECISIONS: readonly string[] = ["approve", "session", "deny", "expired", "withdrawn"];
const ENTRY_KEYS = [
  "v",
  "id",
  "createdAt",
  "expiresAt",
  "server",
  "tool",
  "ruleIds",
  "reasons",
  "decisionId",
  "shape",
  "digest",
  "allowSession",
  "pid",
  "pidNamespace",
  "bootId",
];
/** Every field an answer file may hold. */
export const ANSWER_KEYS: readonly string[] = [
  "v",
  "id",
  "digest",
  "decision",
  "by",
  "reason",
  "at",
  "server",
  "tool",
  "decisionId",
  "shapeHash",
  "given",
];

// Checked by hand rather than with a schema library: the proxy core reads
// these files and stays free of the npm compatibility layer (memory).
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}
function text(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length <= max;
}
function texts(value: unknown, max: number, count: number): value is string[] {
  return Array.isArray(value) && value.length <= count && value.every((v) => text(v, max));
}
function optionalText(value: unknown): boolean {
  return value === undefined || value === null || text(value, 100);
}
function count(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Validates a parsed `<id>.request.json`; null when it is not one. */
export function parseQueueEntry(value: unknown): QueueEntry | null {
  if (!isRecord(value) || !onlyKeys(value, ENTRY_KEYS)) return null;
  const v = value;
  const ok = (v["v"] === 1 || v["v"] === 2 || v["v"] === QUEUE_REQUEST_VERSION) &&
    typeof v["id"] === "string" &&
    QUEUE_ID.test(v["id"]) &&
    count(v["createdAt"]) && count(v["expiresAt"]) && text(v["server"], 200) &&
    text(v["tool"], 200) && texts(v["ruleIds"], 200, 20) && texts(v["reasons"], 400, 20) &&
    text(v["decisionId"], 100) && texts(v["shape"], 300, 40) &&
    typeof v["digest"] === "string" && DIGEST.test(v["digest"]) &&
    typeof v["allowSession"] === "boolean" && typeof v["pid"] === "number" &&
    Number.isSafeInteger(v["pid"]) && optionalText(v["pidNamespace"]) &&
    optionalText(v["bootId"]);
  return ok ? value as unknown as QueueEntry : null;
}

/** Validates a parsed `<id>.answer.json`; null when it is not one. */
export function parseQueueAnswer(value: unknown): QueueAnswer | null {
  if (!isRecord(value) || !onlyKeys(value, ANSWER_KEYS)) return null;
  const v = value;
  const ok = (v["v"] === 1 || v["v"] === 2 || v["v"] === QUEUE_ANSWER_VERSION) &&
    typeof v["id"] === "string" &&
    QUEUE_ID.test(v["id"]) &&
    typeof v["digest"] === "string" && DIGEST.test(v["digest"]) &&
    typeof v["decision"] === "string" && DECISIONS.includes(v["decision"]) &&
    text(v["by"], 200) && (v["reason"] === undefined || text(v["reason"], 500)) &&
    count(v["at"]) && (v["server"] === undefined || text(v["server"], 200)) &&
    (v["tool"] === undefined || text(v["tool"], 200)) &&
    (v["decisionId"] === undefined || text(v["decisionId"], 100)) &&
    (v["shapeHash"] === undefined ||
      typeof v["shapeHash"] === "string" && DIGEST.test(v["shapeHash"])) &&
    // Only an answer of version 3 says how it was given.
    (v["given"] === undefined ||
      v["v"] === QUEUE_ANSWER_VERSION && parseAnswerGiven(v["given"]) !== null);
  return ok ? value as unknown as QueueAnswer : null;
}
