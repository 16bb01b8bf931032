/**
 * The records a session holds for the audit log, and the spool files that
 * hold them on the disk until the log has them: a file is removed once its
 * records are in the log, rewritten whole when the log took part of a batch,
 * kept fresh while the log refuses it (so that no other session takes it for
 * a dead one's), and put back under its old name when it was claimed from a
 * killed session and this one lets go of it.
 *
 * @example
 * ```ts
 * const files = respool(spool, refusedEvents, refusedFiles, note);
 * keepFresh(files);
 * ```
 */
import type { DecisionSpool } from "../audit/decision_spool.ts";
import type { AuditEvent } from "../audit/record.ts";
import { SPOOL_STAMP_KEY } from "../audit/spool_stamp.ts";

/**
 * A record waiting for the log: its event, or its JSON when that is already
 * made (a spooled decision, an outcome). Only the text of those is held:
 * objects that outlive a few young-generation collections cost the relay's
 * thread more than the text does.
 */
export type Queued = AuditEvent | string;

/**
 * A file whose records wait in the queue: a spool file of this session, or
 * one claimed from a killed session (`restore`: its name before the claim).
 */
export interface HeldFile {
  path: string;
  restore?: string;
  /** Its header's `at` (see `DecisionSpool`); undefined for a file of an earlier release. */
  openedAt: number | undefined;
  /** Its inode, when known: another file at its path is no longer this one. */
  ino?: number | null;
  /**
   * The queued records it holds (the very entries of the queue), and for a
   * claimed file its `spool_recovered` record: what this session leaves out
   * when another session took the file in (see `retaken`).
   */
  items?: Queued[];
}

/**
 * The most records held for a log that keeps refusing them. Past it the held
 * ones are let go: the gating records among them stay in their spool files,
 * which the session takes back in once its log takes batches again (see
 * `let_go_spools.ts`), or the next session when it ends first; the others
 * are lost, with a note (and counted in a `records_dropped` record). Calls
 * stay blocked meanwhile (fail closed), so only observe mode or trailing
 * records grow the queue.
 */
export const HELD_MAX = 10_000;

/**
 * The record types the spool holds: those that gate a call, and the
 * session's start and end (see `SessionAudit`), which a file rewritten or
 * handed on keeps with them.
 */
const SPOOLED = new Set<unknown>(["decision", "approval", "session_start", "session_end"]);

/** The record types that gate a call (a decision, an approval). */
const GATING = new Set<unknown>(["decision", "approval"]);

/**
 * A waiting record's JSON when the spool holds it (a decision, an approval,
 * the session's start or end), or undefined.
 *
 * @example
 * ```ts
 * gatingBody('{"type":"outcome"}'); // undefined
 * ```
 */
export function gatingBody(event: Queued): string | undefined {
  if (typeof event !== "string") {
    // A spooled event held as an object is one taken in from a killed session's spool,
    // which carries its spool stamp; a start or end without one is a session's own, which
    // its spool could not take.
    const spooled = GATING.has(event.type) ||
      (SPOOLED.has(event.type) && Object.hasOwn(event, SPOOL_STAMP_KEY));
    return spooled ? JSON.stringify(event) : undefined;
  }
  return SPOOLED.has(queuedType(event)) ? event : undefined;
}

/**
 * Whether a waiting record gates a call (a decision, an approval).
 *
 * @example
 * ```ts
 * isGating('{"type":"session_start"}'); // false: spooled, but it gates nothing
 * ```
 */
export function isGating(event: Queued): boolean {
  return GATING.has(typeof event === "string" ? queuedType(event) : event.type);
}

/** The `type` of a waiting record's JSON; undefined when it is no JSON object. */
function queuedType(json: string): unknown {
  try {
    return (JSON.parse(json) as { type?: unknown } | null)?.type;
  } catch {
    return undefined;
  }
}

/**
 * The JSON of the spooled records among `events` (see {@linkcode gatingBody}), in order.
 *
 * @example
 * ```ts
 * gatingBodies(queue).length; // how many decisions and approvals wait
 * ```
 */
export function gatingBodies(events: Iterable<Queued>): string[] {
  const bodies: string[] = [];
  for (const event of events) {
    const body = gatingBody(event);
    if (body !== undefined) bodies.push(body);
  }
  return bodies;
}

/**
 * The date a file replacing `files` carries: the earliest of theirs, or
 * undefined when one of them is undated (or there are none).
 *
 * @example
 * ```ts
 * earliestOpened([{ path: "a", openedAt: 5 }, { path: "b", openedAt: 3 }]); // 3
 * ```
 */
export function earliestOpened(files: readonly HeldFile[]): number | undefined {
  const dates = files.map((file) => file.openedAt);
  return dates.length === 0 || dates.includes(undefined)
    ? undefined
    : Math.min(...(dates as number[]));
}

/**
 * Claims the spool file at `path` as `claimed` (see `claimedName`): made
 * fresh first (a claimed file that grows stale is one whose holder died),
 * then renamed. Returns its inode; throws when another session took it first.
 *
 * @example
 * ```ts
 * const ino = claimSpoolFile(path, claimedName(path, session));
 * ```
 */
export function claimSpoolFile(path: string, claimed: string): number | null {
  const touched = new Date();
  Deno.utimeSync(path, touched, touched);
  Deno.renameSync(path, claimed);
  return Deno.statSync(claimed).ino;
}

/**
 * Makes `files` fresh, so that no other session takes them for a dead one's.
 *
 * @example
 * ```ts
 * keepFresh(heldFiles);
 * ```
 */
export function keepFresh(files: readonly HeldFile[]): void {
  const now = new Date();
  for (const file of files) {
    try {
      Deno.utimeSync(file.path, now, now);
    } catch {
      // Gone or unreachable: its records are still held here.
    }
  }
}

/**
 * Puts the gating records among `events` (decisions, approvals) in one new
 * spool file of this session, written whole, and removes `files`, whose
 * records are in the log or in `events`: handed on later (at the session's
 * end, past {@linkcode HELD_MAX}, or by a kill), no record reaches the log
 * twice. When the new file cannot be written, `files` are kept as they are
 * (a record twice rather than one lost). Returns the files that hold the
 * records now.
 *
 * @example
 * ```ts
 * const held = respool(spool, refusedEvents, refusedFiles, (line) => console.error(line));
 * ```
 */
export function respool(
  spool: DecisionSpool,
  events: readonly Queued[],
  files: HeldFile[],
  note: (message: string) => void,
): HeldFile[] {
  const bodies = gatingBodies(events);
  // Dated as the earliest file it replaces; undated when one of them is.
  const openedAt = earliestOpened(files);
  let path: string | undefined;
  try {
    if (bodies.length > 0) path = spool.writeFile(bodies, openedAt);
  } catch (error) {
    note(
      `error: cannot rewrite the spool files of the records the audit log refused: ${
        message(error)
      }; they stay as they are, and a later session may record some of their decisions twice`,
    );
    return files;
  }
  for (const file of files) removeQuietly(file.path);
  if (path === undefined) return [];
  let ino: number | null = null;
  try {
    ino = Deno.statSync(path).ino;
  } catch {
    // Checked by path only.
  }
  return [{
    path,
    openedAt,
    ino,
    items: events.filter((event) => gatingBody(event) !== undefined),
  }];
}

/**
 * Leaves files whose records the log refused for a later session to take
 * in (or this one, see `let_go_spools.ts`): a claimed one goes back under
 * its old name.
 *
 * @example
 * ```ts
 * release(heldFiles);
 * ```
 */
export function release(files: readonly HeldFile[]): void {
  for (const file of files) {
    if (file.restore === undefined) continue;
    try {
      Deno.renameSync(file.path, file.restore);
    } catch {
      // Left under its claimed name.
    }
  }
}

/**
 * Removes the file at `path`, if it is still there.
 *
 * @example
 * ```ts
 * removeQuietly(file.path);
 * ```
 */
export function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
