/**
 * Taking in the spool files that killed sessions left: each is claimed by
 * renaming it (so that only one session takes it; a file a killed session
 * had claimed is claimed again), and its records are queued less those the
 * log holds already and those taken from another file already. Temp files a
 * kill left half-written are removed. A file with a line that is not one its
 * session wrote (see `read_spool_file.ts`) is refused whole: none of its
 * records is queued, and `refuse_spool_files.ts` sets it aside.
 *
 * The claims and the read back are I/O; which records are still to be
 * written ({@linkcode recoveredFiles}) is decided apart from them.
 *
 * @example
 * ```ts
 * const taken = readClaimedSpools(claimOrphanSpools(intake), spoolMac);
 * const seen = await alreadyLogged(intake, taken);
 * const files = recoveredFiles(intake.session, taken, seen);
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import { claimedName, stillAt } from "../audit/spool_claims.ts";
import { gatingInLog, spooledKey } from "../audit/decision_spool.ts";
import { orphanSpools, removeStaleTemps } from "../audit/orphan_spools.ts";
import { auditPaths } from "../audit/log_paths.ts";
import type { AuditEvent } from "../audit/record.ts";
import { readSpoolFile, SPOOL_LIMITS, type SpoolLimits } from "../audit/read_spool_file.ts";
import type { SpoolMac } from "../audit/spool_mac.ts";
import { displayNames } from "./display_names.ts";
import { claimSpoolFile, type HeldFile, type Queued, release } from "./held_spool_files.ts";

/** A spool file untouched this long belongs to a session that is gone. */
export const ORPHAN_AFTER_MS = 60_000;

/**
 * How often a running session looks again for spool files other sessions
 * left (see `SessionAudit.sweep`): a killed session's files are younger than
 * {@linkcode ORPHAN_AFTER_MS} when the client relaunches its servers, so the
 * relaunched sessions' `start` leaves them; one of them takes them in at most
 * this much after they come of age.
 */
export const SWEEP_MS = 30_000;

/**
 * How much of the log a recovery reads back for spool files of an earlier
 * release (no header to say when they were opened); past it, their records
 * not found yet are taken in (a record twice rather than one lost).
 */
export const UNDATED_READ_BACK_BYTES = 64 * 1024 * 1024;
/** How much of the log is read back at most for dated spool files (a very busy log). */
export const DATED_READ_BACK_BYTES = 256 * 1024 * 1024;

/** What taking in other sessions' spool files needs of the session that does it. */
export interface SpoolIntake {
  /** The profile the spool lives in. */
  thothHome: string;
  /** The session that takes the files in. */
  session: string;
  /** The log read back for what it holds already (its writer's state first). */
  log: AuditLog | undefined;
  /** The wall clock in milliseconds (for the age of the files). */
  now: () => number;
  note: (message: string) => void;
}

/** A spool file this session claimed from a session that is gone, not read yet. */
export interface SpoolClaim {
  /** Its name before the claim. */
  path: string;
  /** Its name once claimed by this session. */
  mine: string;
  ino: number | null;
}

/** A spool file claimed from a session that is gone, with its records. */
export interface ClaimedSpool extends SpoolClaim {
  events: AuditEvent[];
  /** Its header's `at`; undefined for a file of an earlier release. */
  openedAt: number | undefined;
  /** Why it is refused (it then has no events); absent when it is taken in. */
  refused?: string;
}

/**
 * Whether other sessions left spool files old enough to take in: one read of
 * the spool folder, cheap when there are none.
 *
 * @example
 * ```ts
 * if (orphansWaiting(intake)) readClaimedSpools(claimOrphanSpools(intake), spoolMac);
 * ```
 */
export function orphansWaiting(intake: SpoolIntake): boolean {
  return orphanSpools(intake.thothHome, intake.session, intake.now(), ORPHAN_AFTER_MS).length > 0;
}

/**
 * Removes stale temp files, then claims every spool file other sessions
 * left (at least {@linkcode ORPHAN_AFTER_MS} old), each renamed at once (see
 * `claimSpoolFile`); a file another session claims first is passed over.
 *
 * @example
 * ```ts
 * const claims = claimOrphanSpools(intake);
 * ```
 */
export function claimOrphanSpools(intake: SpoolIntake): SpoolClaim[] {
  const { thothHome, session } = intake;
  const now = intake.now();
  removeStaleTemps(thothHome, now, ORPHAN_AFTER_MS);
  const claims: SpoolClaim[] = [];
  for (const path of orphanSpools(thothHome, session, now, ORPHAN_AFTER_MS)) {
    const mine = claimedName(path, session);
    try {
      claims.push({ path, mine, ino: claimSpoolFile(path, mine) });
    } catch {
      continue;
    }
  }
  return claims;
}

/**
 * The claimed files `claims`, each read within `limits` and every line of it
 * checked under `mac` (see `read_spool_file.ts`): a file with a line its
 * session did not write is `refused`, with no events.
 *
 * @example
 * ```ts
 * const taken = readClaimedSpools(claimOrphanSpools(intake), spoolMac);
 * ```
 */
export function readClaimedSpools(
  claims: readonly SpoolClaim[],
  mac: SpoolMac,
  limits: SpoolLimits = SPOOL_LIMITS,
): ClaimedSpool[] {
  return claims.map((claim) => ({ ...claim, ...readSpoolFile(claim.mine, mac, limits) }));
}

/**
 * Of the records of `taken` (killed sessions' spools), the keys of those the
 * log already holds (see `gatingInLog`), read back until the `session_start`
 * of each of their sessions, and {@linkcode DATED_READ_BACK_BYTES} at most,
 * or, when one of them is a file of an earlier release (undated),
 * {@linkcode UNDATED_READ_BACK_BYTES} at most. Not bounded by time: a clock
 * stepped back dates the newest records earlier than the files. When the
 * log cannot be read, none: a record twice rather than one lost.
 *
 * @example
 * ```ts
 * const seen = await alreadyLogged(intake, taken);
 * ```
 */
export async function alreadyLogged(
  intake: SpoolIntake,
  taken: readonly ClaimedSpool[],
): Promise<Set<string>> {
  const events = taken.flatMap((file) => file.events);
  const undated = taken.some((file) => file.openedAt === undefined);
  const sessions = new Set<string>();
  for (const event of events) if (typeof event.session === "string") sessions.add(event.session);
  if (sessions.size === 0) return new Set();
  try {
    // The log as its writer keeps it, first: a dead writer's last batch is taken in or cut
    // (a line it was cut off in, a damaged line, a broken chain) only by the next write, and
    // a record read back from bytes the writer then cuts would be lost from both places.
    await intake.log?.checkpoint();
    const found = await gatingInLog(
      auditPaths(intake.thothHome).dir,
      sessions,
      // Bounded by the sessions' starts, and a busy log by bytes too: a session's
      // start must not wait on reading a whole log.
      {
        maxBytes: undated ? UNDATED_READ_BACK_BYTES : DATED_READ_BACK_BYTES,
        // Every record a spool holds (a session's start and end too): each taken in once.
        wanted: new Set(events.map(spooledKey)),
      },
    );
    if (!found.complete) {
      const mib = (undated ? UNDATED_READ_BACK_BYTES : DATED_READ_BACK_BYTES) / (1024 * 1024);
      intake.note(
        `recovered spool files${undated ? " of an earlier release" : ""}: the ` +
          `audit log was read back ${mib} MiB only to find which of their records it holds; ` +
          "the others are taken in, and some may be recorded twice",
      );
    }
    return found.held;
  } catch (error) {
    intake.note(
      `cannot read the audit log back to find which recovered spool records it holds: ${
        message(error)
      }; all of them are taken in, and some may be recorded twice`,
    );
    return new Set();
  }
}

/**
 * The files of `taken` as the session holds them: each with its
 * `spool_recovered` record and its records not in `seen` (the keys the log
 * holds), each of which joins `seen`, so that a record in two files is taken
 * once.
 *
 * @example
 * ```ts
 * const files = recoveredFiles("s-1", taken, new Set());
 * ```
 */
export function recoveredFiles(
  session: string,
  taken: readonly ClaimedSpool[],
  seen: Set<string>,
): HeldFile[] {
  const files: HeldFile[] = [];
  for (const { path, mine, ino, events, openedAt } of taken) {
    const fresh = events.filter((event) => {
      const key = spooledKey(event);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const skipped = events.length - fresh.length;
    const opened = openedAt === undefined ? undefined : isoTime(openedAt);
    const items: Queued[] = [{
      type: "spool_recovered",
      session,
      file: path.split("/").pop() ?? path,
      count: fresh.length,
      ...(skipped === 0 ? {} : { skipped }),
      // Its records were decided after this (each also carries its own time: see spool_stamp.ts).
      ...(opened === undefined ? {} : { openedAt: opened }),
    }, ...fresh];
    files.push({ path: mine, restore: path, openedAt, ino, items });
  }
  return files;
}

/**
 * Puts claimed files back under their names, for the next session to take
 * in (the session's final batch no longer waits for them, or, as `why` says,
 * this session cannot take them in), and says so.
 *
 * @example
 * ```ts
 * putBack(taken, note);
 * ```
 */
export function putBack(
  taken: readonly SpoolClaim[],
  note: (message: string) => void,
  why = "the session ended while it was still taking in",
): void {
  release(taken.map(({ path, mine }) => ({ path: mine, restore: path, openedAt: undefined })));
  const left = taken.map((file) => file.path).filter((path) => stillAt(path, undefined));
  const names = displayNames(taken.map((file) => file.path.split("/").pop() ?? file.path));
  note(
    `warning: ${why} other sessions' audit spool file(s) ${names}: ` +
      (left.length === taken.length
        ? "they are put back for the next session to take in"
        : `${left.length} of ${taken.length} are put back for the next session to take in; ` +
          "the others stay under their claimed names, which a session takes in a minute " +
          "after"),
  );
}

/** `ms` as ISO 8601, or undefined when it is no time a date holds. */
function isoTime(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
