/**
 * Spool files of a session that another session claimed while this one was
 * stopped (SIGSTOP, a debugger, a laptop asleep) for longer than
 * {@linkcode ORPHAN_AFTER_MS}, taking them for a dead session's. While the
 * claimer holds a file, its records are the claimer's to write; once no one
 * holds it, the log is read back for what the claimer wrote and this session
 * writes the rest.
 *
 * @example
 * ```ts
 * const elsewhere = new ClaimedElsewhere({ thothHome, session, now: Date.now, note, mac: () => spoolMac });
 * const left = await elsewhere.retaken(log, batch, batchFiles);
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import { claimedCopies, claimedName, stillAt } from "../audit/spool_claims.ts";
import { type DecisionSpool, gatingInLog } from "../audit/decision_spool.ts";
import { spoolsHolding } from "../audit/orphan_spools.ts";
import { auditPaths } from "../audit/log_paths.ts";
import type { SpoolMac } from "../audit/spool_mac.ts";
import { displayNames } from "./display_names.ts";
import {
  claimSpoolFile,
  earliestOpened,
  gatingBodies,
  gatingBody,
  type HeldFile,
  type Queued,
} from "./held_spool_files.ts";
import { DATED_READ_BACK_BYTES, ORPHAN_AFTER_MS } from "./take_orphan_spools.ts";

/** How many times a batch is tried again after spool files of its were found taken by another session. */
export const RECLAIM_TRIES = 3;

/**
 * How long a session's end waits, at most, for its sweep still in progress
 * (see `SessionAudit.sweep`), and then for another session that claimed its
 * spool file while it was stopped and still holds it: never the minute after
 * which a holder counts as dead.
 */
export const END_WAIT_MS = 3000;

/** How often the session's end looks whether another session still holds its spool records. */
const HOLDER_POLL_MS = 50;

/** What a {@linkcode ClaimedElsewhere} needs of its session. */
export interface ClaimedElsewhereOptions {
  /** The profile the spool lives in. */
  thothHome: string;
  /** The session whose files these are. */
  session: string;
  /** The wall clock in milliseconds (for the age of the claimed copies). */
  now: () => number;
  note: (message: string) => void;
  /**
   * The device's spool MAC key (undefined until the session has it): a
   * session's file holds records only in lines whose MAC verifies.
   */
  mac: () => SpoolMac | undefined;
}

/** A batch less what another session holds or wrote, with the files that still cover it. */
export interface RetakenBatch {
  events: Queued[];
  files: HeldFile[];
}

/**
 * The files of a session that other sessions hold: their records (`items`)
 * are out of the session's queue, the holder's to write; each goes back into
 * it (to be checked against the log, see {@linkcode ClaimedElsewhere.retaken})
 * once no one holds it.
 */
export class ClaimedElsewhere {
  readonly #o: ClaimedElsewhereOptions;
  #files: HeldFile[] = [];

  constructor(options: ClaimedElsewhereOptions) {
    this.#o = options;
  }

  /** How many files other sessions hold. */
  get length(): number {
    return this.#files.length;
  }

  /**
   * Takes out the files no other session holds any more, to go back in front
   * of the queue with their records: the next batch finds them gone (or put
   * back) and {@linkcode ClaimedElsewhere.retaken} checks them against the log.
   */
  takeFree(): HeldFile[] {
    if (this.#files.length === 0) return [];
    const now = this.#o.now();
    const free = this.#files.filter((file) => !this.#held(file, now));
    if (free.length === 0) return [];
    this.#files = this.#files.filter((file) => !free.includes(file));
    return free;
  }

  /**
   * Some spool files of a batch are no longer at their paths: another
   * session claimed them as a dead session's. That session writes their
   * records; this one must not write them again. When another session still
   * holds a file (see `#held`), its records leave the batch for this list
   * and the rest of the batch (outcomes, the session's end, records of files
   * still this session's) goes on at once. When the claimer died holding it
   * (its copy is stale), this session claims the copy back. Once no one else
   * holds a file, the log is read back for its records (what the claimer
   * wrote) and the batch goes on without those; what the claimer could not
   * have read (written after its claim) stays in the batch. Undefined when
   * another session took a stale copy just before this one could: the
   * batch is tried again soon.
   */
  async retaken(
    log: AuditLog,
    events: Queued[],
    files: HeldFile[],
  ): Promise<RetakenBatch | undefined> {
    const now = this.#o.now();
    const missing = files.filter((file) =>
      file.items !== undefined && !stillAt(file.path, file.ino)
    );
    if (missing.length === 0) return { events, files };
    const kept = files.filter((file) => !missing.includes(file));
    // Held by a living session: its records are that session's to write; the rest goes on now.
    const away = missing.filter((file) => this.#held(file, now));
    if (away.length > 0) {
      this.#files.push(...away);
      const theirs = new Set<Queued>(away.flatMap((file) => file.items!));
      events = events.filter((event) => !theirs.has(event));
    }
    const gone = missing.filter((file) => !away.includes(file));
    if (gone.length === 0) return { events, files: kept };
    for (const file of gone) {
      for (const copy of claimedCopies(file.restore ?? file.path, file.path)) {
        // Its claimer died before taking it in: this session holds it again.
        const mine = claimedName(copy.path, this.#o.session);
        try {
          const ino = claimSpoolFile(copy.path, mine);
          kept.push({
            path: mine,
            restore: file.restore ?? file.path,
            openedAt: file.openedAt,
            ino,
            items: file.items!,
          });
        } catch {
          // Taken by another session meanwhile: the next try looks again.
          return undefined;
        }
      }
    }
    const items = new Set<Queued>(gone.flatMap((file) => file.items!));
    const { keys, sessions } = gatingKeys(items);
    let held = new Set<string>();
    let complete = true;
    try {
      await log.checkpoint();
      ({ held, complete } = await gatingInLog(auditPaths(this.#o.thothHome).dir, sessions, {
        maxBytes: DATED_READ_BACK_BYTES,
        wanted: new Set(keys.values()),
      }));
    } catch (error) {
      complete = false;
      this.#o.note(`cannot read the audit log back: ${message(error)}`);
    }
    const { left, found } = notLogged(events, items, keys, held);
    this.#o.note(retakenNote(gone, found, keys.size, complete));
    return { events: left, files: kept };
  }

  /**
   * At the session's end: waits up to `ms` for the sessions that hold
   * records of this one's spool to let go of them, and has `flush` take each
   * back as it does (see {@linkcode ClaimedElsewhere.takeFree}). What is
   * still held after is left to its holder, and kept in a new spool file of
   * this session too: the holder may have read its copy before this session
   * wrote the last of those records, which would then be nowhere else. A
   * later session takes that file in and skips what the log holds by then.
   */
  async awaitHolders(
    ms: number,
    flush: () => Promise<boolean>,
    spool: DecisionSpool | undefined,
  ): Promise<void> {
    const until = Date.now() + ms;
    while (this.#files.length > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(HOLDER_POLL_MS, ms)));
      const now = this.#o.now();
      if (this.#files.some((file) => !this.#held(file, now))) await flush();
    }
    const held = this.#files.splice(0);
    if (held.length === 0) return;
    const bodies = gatingBodies(held.flatMap((file) => file.items!));
    const names = displayNames(
      held.map((file) => (file.restore ?? file.path).split("/").pop() ?? file.path),
    );
    let kept = "";
    if (bodies.length > 0 && spool !== undefined) {
      const openedAt = earliestOpened(held);
      try {
        const path = spool.writeFile(bodies, openedAt);
        kept = `; they are kept in spool file ${
          JSON.stringify(path.split("/").pop())
        } too, which a later session takes in, skipping those the audit log holds by then`;
      } catch (error) {
        kept =
          `; they could not be kept in a spool file of this session too (${
            message(error)
          }): those this session wrote after the other session claimed the file are LOST unless ` +
          "it read them";
      }
    }
    this.#o.note(
      `warning: ${bodies.length} decision or approval record(s) of this session's audit spool ` +
        `file(s) ${names} are left to the session that claimed them while this session was ` +
        `stopped, which still held them after ${ms / 1000} s${kept}`,
    );
  }

  /**
   * Whether another session holds `file` (gone from its path) now: its
   * claimed copy is fresh (the claimer is taking it in), or, with no copy
   * left, a fresh spool file of another session holds its records (a
   * claimer whose log refused them rewrote them into a file of its own, see
   * `respool`, and writes them once its log works again). A stale copy is
   * one whose claimer died: not held.
   */
  #held(file: HeldFile, now: number): boolean {
    const copies = claimedCopies(file.restore ?? file.path, file.path);
    if (copies.length > 0) return copies.some((copy) => now - copy.modified < ORPHAN_AFTER_MS);
    const bodies = new Set(gatingBodies(file.items ?? []));
    const mac = this.#o.mac();
    return bodies.size > 0 && mac !== undefined &&
      spoolsHolding(this.#o.thothHome, this.#o.session, bodies, now, ORPHAN_AFTER_MS, mac).length >
        0;
  }
}

/**
 * The gating records among `items` by their JSON (the key the log is read
 * back for), with the sessions that wrote them.
 *
 * @example
 * ```ts
 * const { keys, sessions } = gatingKeys(new Set(file.items));
 * ```
 */
export function gatingKeys(
  items: ReadonlySet<Queued>,
): { keys: Map<Queued, string>; sessions: Set<string> } {
  const keys = new Map<Queued, string>();
  const sessions = new Set<string>();
  for (const item of items) {
    const body = gatingBody(item);
    if (body === undefined) continue;
    keys.set(item, body);
    const session = typeof item === "string"
      ? (JSON.parse(body) as { session?: unknown }).session
      : item.session;
    if (typeof session === "string") sessions.add(session);
  }
  return { keys, sessions };
}

/**
 * `events` less the records of `items` the log holds (`held`, by their
 * `keys`) and less the `spool_recovered` records among them (the session
 * that took the file in wrote one), with how many were found in the log.
 *
 * @example
 * ```ts
 * const { left, found } = notLogged(batch, items, keys, held);
 * ```
 */
export function notLogged(
  events: readonly Queued[],
  items: ReadonlySet<Queued>,
  keys: ReadonlyMap<Queued, string>,
  held: ReadonlySet<string>,
): { left: Queued[]; found: number } {
  let found = 0;
  const left = events.filter((event) => {
    if (!items.has(event)) return true;
    const key = keys.get(event);
    // Its own spool_recovered record: the session that took the file in wrote one.
    if (key === undefined) return typeof event === "string" || event.type !== "spool_recovered";
    if (!held.has(key)) return true;
    found++;
    return false;
  });
  return { left, found };
}

/** The note on files another session took in while this one was stopped. */
function retakenNote(
  gone: readonly HeldFile[],
  found: number,
  gating: number,
  complete: boolean,
): string {
  const names = gone.map((file) => (file.restore ?? file.path).split("/").pop()).join(", ");
  return `warning: another session took in this session's audit spool file(s) ${names} while this ` +
    `session was stopped for more than ${ORPHAN_AFTER_MS / 1000} s; ${found} of their ` +
    `${gating} decision and approval record(s) are in the audit log already and are ` +
    "not recorded again" +
    (complete
      ? ""
      : `; the log could not be read back whole (${
        DATED_READ_BACK_BYTES / (1024 * 1024)
      } MiB at most), so some may be recorded twice ("thoth audit verify" names them)`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
