/**
 * Taking into the log the lost tallies dead sessions left (see
 * `lost_tally.ts`): a session killed after it lost decisions or approvals,
 * before the log heard of them, leaves its tally in `audit/lost/`, which
 * `thoth audit verify` warns of (`decisions_untold`) until a session that
 * opens the log writes what it counts there: one `decisions_lost` record per
 * tally (see `lost_tally_record.ts`), then the tally is removed. Only a
 * tally whose MAC verifies under the device's audit key and that names the
 * session of its file's name is taken in: any other that counts something
 * or holds no tally (a MAC that fails or is missing, another session's
 * name, bytes that are no tally) is refused, moved to `audit/lost/refused/`
 * and told of by a `spool_refused` record, which accounts for nothing (see
 * `refuse_lost_tally.ts`); a `decisions_lost` record makes verify count a
 * session's missing approvals as accounted for, so only thoth's own tally
 * may write one. A tally whose MAC cannot be checked (this session has no
 * audit key) is left for a session that has it. A tally that counts
 * nothing (its session was killed without a loss) is removed with no
 * record. A tally this session cannot open (its user may not read it) is
 * left where it is and said once on stderr with the fix: what it counts is
 * unknown, so it is neither taken in nor refused.
 *
 * A session holds the lock of its own tally while it lives (see
 * `LostTallyFile.reserve`): only a tally whose lock this session takes is a
 * dead one's, and it keeps that lock until it is done with it, so that no
 * other session takes the same tally in meanwhile. A tally already told of
 * (its record written, and the session that wrote it stopped before it
 * removed the tally) is removed with no second record: the log's
 * `decisions_lost` records of its session tell of all it counts. A
 * symbolic link where the folder must be is never followed. Thin I/O.
 *
 * @example
 * ```ts
 * const { recorded, refused, removed } = await takeInLostTallies({ thothHome, session, log, auditKey, note });
 * ```
 */
import type { AuditLog } from "./audit_log.ts";
import { auditPaths } from "./log_paths.ts";
import {
  decodeLostTally,
  LOST_TALLY_BYTES,
  LOST_TALLY_NAME,
  LostTallyMac,
  type LostTallyRead,
} from "./lost_tally.ts";
import { LostTallyFile } from "./lost_tally_file.ts";
import { lostTallyRecord } from "./lost_tally_record.ts";
import { toldInLog } from "./lost_told_in_log.ts";
import { refusalReason, setTallyAside } from "./refuse_lost_tally.ts";

/**
 * An empty tally file younger than this may be one a session is making
 * (created, not yet locked): left alone. A session writes its tally at once.
 */
export const EMPTY_TALLY_FRESH_MS = 60_000;

/** What taking in the lost tallies of dead sessions needs of the session that does it. */
export interface TallyIntake {
  /** The profile the tallies and the log live in. */
  thothHome: string;
  /** The session that takes them in (its own tally is left alone). */
  session: string;
  /** The open log the records are written to. */
  log: AuditLog;
  /** The device's audit key (raw), which checks the tallies' MACs; undefined: unchecked. */
  auditKey: Uint8Array | undefined;
  /** The wall clock in milliseconds (for the age of an empty tally file). */
  now: () => number;
  note: (message: string) => void;
  /** Removes a tally file taken in (tests stop a session between its record and this). */
  remove?: (path: string) => void;
  /** Opens a tally file to read (tests make one fail as a file the user may not read does). */
  open?: (path: string) => Deno.FsFile;
}

/** What {@linkcode takeInLostTallies} did. */
export interface TalliesTaken {
  /** How many tallies it wrote a `decisions_lost` record for. */
  recorded: number;
  /** How many it refused and set aside, with a `spool_refused` record each. */
  refused: number;
  /** How many tally files it removed (those recorded among them). */
  removed: number;
}

/** A dead session's tally, locked by this session, that counts losses. */
interface Held {
  name: string;
  path: string;
  file: Deno.FsFile;
  read: LostTallyRead;
}

/** A dead session's tally, locked by this session, that it refuses (see `refuse_lost_tally.ts`). */
interface Refused {
  name: string;
  path: string;
  file: Deno.FsFile;
  bytes: Uint8Array;
  size: number;
  reason: string;
}

/**
 * Takes into `intake.log` the lost tallies of dead sessions under
 * `intake.thothHome` and removes them (see the module's doc); a tally of a
 * live session is never opened for more than a try of its lock.
 */
export async function takeInLostTallies(intake: TallyIntake): Promise<TalliesTaken> {
  const dir = LostTallyFile.dir(intake.thothHome);
  const remove = intake.remove ?? ((path: string) => Deno.removeSync(path));
  const mine = `${intake.session}.tally`;
  const names: string[] = [];
  try {
    // A link there is never followed: the tallies where it points are not this profile's (the
    // session said so when it could not make its own; see `lost_tally_folder.ts`).
    if (!Deno.lstatSync(dir).isDirectory) return { recorded: 0, refused: 0, removed: 0 };
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && entry.name !== mine && LOST_TALLY_NAME.test(entry.name)) {
        names.push(entry.name);
      }
    }
  } catch {
    return { recorded: 0, refused: 0, removed: 0 };
  }
  const mac = intake.auditKey === undefined ? undefined : new LostTallyMac(intake.auditKey);
  const taken: TalliesTaken = { recorded: 0, refused: 0, removed: 0 };
  const counting: Held[] = [];
  const refusing: Refused[] = [];
  try {
    for (const name of names.sort()) {
      const path = `${dir}/${name}`;
      const file = deadTally(path, intake.open, intake.note);
      if (file === undefined) continue;
      let keep = false;
      try {
        const bytes = readAll(file);
        const read = decodeLostTally(bytes, name, mac);
        const refuse = (reason: string) => {
          refusing.push({ name, path, file, bytes, size: file.statSync().size, reason });
          keep = true;
        };
        if ("problem" in read) {
          if (bytes.length === 0 && fresh(file, intake.now())) continue; // Being made.
          if (!bytes.every((b) => b === 0)) { // Zeros (or empty): made, never written.
            refuse(refusalReason(name, read)!);
            continue;
          }
        } else if (read.tally.count > 0) {
          if (read.mac === "unchecked") continue; // Left for a session that can check its MAC.
          const reason = refusalReason(name, read);
          if (reason !== undefined) refuse(reason);
          else counting.push({ name, path, file, read });
          keep = true;
          continue;
        }
        remove(path); // Counts nothing.
        taken.removed++;
      } catch (error) {
        intake.note(
          `warning: cannot take in the lost tally ${JSON.stringify(path)}: ${words(error)}`,
        );
      } finally {
        if (!keep) file.close();
      }
    }
    if (counting.length === 0 && refusing.length === 0) return taken;
    // The log as its writer keeps it, first: a dead writer's last batch taken in or cut.
    await intake.log.checkpoint();
    const refusals = refusing.filter(({ path, file }) => sameFile(path, file)).map((r) =>
      setTallyAside(dir, r.name, r.bytes, r.size, r.reason, intake.session, intake.note)
    );
    await intake.log.appendMany(refusals);
    taken.refused += refusals.length;
    const told = await toldInLog(
      auditPaths(intake.thothHome).dir,
      new Set(counting.map((held) => held.read.tally.session)),
    );
    for (const { name, path, file, read } of counting) {
      const record = lostTallyRecord(name, read, told.get(read.tally.session) ?? 0, intake.session);
      if (record !== undefined) {
        // Under the log's lock: still the tally this session holds.
        if (!await intake.log.appendMany([record], () => sameFile(path, file))) continue;
        taken.recorded++;
      }
      remove(path);
      taken.removed++;
    }
  } catch (error) {
    intake.note(
      `warning: cannot take the lost tallies of dead sessions into the audit log: ${
        words(error)
      }; ` +
        "they stay for a later session, and thoth audit verify reports them meanwhile",
    );
  } finally {
    for (const { file } of [...counting, ...refusing]) file.close();
  }
  return taken;
}

/**
 * The tally at `path` open and locked by this session, when its session is
 * gone (no one holds its lock) and it is still the file at `path`;
 * undefined otherwise. One that cannot be opened (this user may not read
 * it) is left where it is, and said once on stderr with the fix: neither
 * taken in nor refused, since what it counts is unknown; `thoth audit
 * verify` and `thoth doctor` name it until it can be read.
 */
function deadTally(
  path: string,
  open: (path: string) => Deno.FsFile = (p) => Deno.openSync(p, { read: true }),
  note: (message: string) => void,
): Deno.FsFile | undefined {
  let file: Deno.FsFile;
  try {
    file = open(path);
  } catch (error) {
    // Removed meanwhile (its session ended, or another took it in): nothing to say.
    if (error instanceof Deno.errors.NotFound) return undefined;
    note(unopenedNote(path, error));
    return undefined;
  }
  try {
    if (file.statSync().isFile && file.tryLockSync(true) && sameFile(path, file)) return file;
  } catch {
    // Not a file a lock can be taken on: left alone.
  }
  file.close();
  return undefined;
}

/** Whether `file` is still the file at `path` (not removed or replaced since it was opened). */
function sameFile(path: string, file: Deno.FsFile): boolean {
  try {
    const ino = file.statSync().ino;
    return ino !== null && Deno.statSync(path).ino === ino;
  } catch {
    return false;
  }
}

/** The bytes of `file`, from its first, {@linkcode LOST_TALLY_BYTES} at most. */
function readAll(file: Deno.FsFile): Uint8Array {
  const bytes = new Uint8Array(LOST_TALLY_BYTES);
  let at = 0;
  while (at < bytes.length) {
    const n = file.readSync(bytes.subarray(at));
    if (n === null || n === 0) break;
    at += n;
  }
  return bytes.subarray(0, at);
}

/** Whether `file` (empty) was made less than {@linkcode EMPTY_TALLY_FRESH_MS} ago. */
function fresh(file: Deno.FsFile, nowMs: number): boolean {
  const made = file.statSync().mtime?.getTime();
  return made === undefined || nowMs - made < EMPTY_TALLY_FRESH_MS;
}

/**
 * What a session says of the lost tally at `path` it cannot open (`error`):
 * it stays, counts unknown, and how to let the next session take it in. Pure.
 */
export function unopenedNote(path: string, error: unknown): string {
  return `warning: cannot open the lost tally ${JSON.stringify(path)} a dead session left ` +
    // Without the operation and path Deno adds (`: open '…'`): the path is named already.
    `(${
      words(error).replace(/: [a-z_]+ '[^]*'$/, "")
    }): it stays where it is, and nothing it counts is taken into the audit ` +
    "log; give this user back read and write access to it (chmod 600 on it, owned by the user " +
    'thoth runs as), and the next session takes it in ("thoth audit verify" and "thoth doctor" ' +
    "name it meanwhile)";
}

function words(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
