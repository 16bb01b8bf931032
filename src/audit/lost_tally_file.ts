/**
 * A session's lost tally on the disk (see `lost_tally.ts`):
 * `<thothHome>/audit/lost/<session>.tally`, 0600 in a 0700 folder, made
 * whole when the session starts and kept open, then rewritten in place,
 * from its first byte, each time a decision or approval is lost. The
 * session removes it at its end once the log holds everything it wrote
 * (its `decisions_lost` record among them), or when it lost nothing; a
 * tally left behind counts losses a killed session never told the log of,
 * and `thoth audit verify` reports them (see `lost_tally_findings.ts`)
 * until a later session takes it into the log (see
 * `take_in_lost_tallies.ts`). The session holds an exclusive lock on it
 * while it lives: a tally no one holds is a dead session's. No link is
 * followed to make it (see `lost_tally_folder.ts`). Thin I/O.
 *
 * @example
 * ```ts
 * const tally = LostTallyFile.reserve(thothHome, "s-1a2b");
 * tally.useKey(keys.hmacRaw);
 * tally.add("decision", "d-9f2c41aa07e35b18", Date.now(), "cannot write the audit spool: No space left on device");
 * tally.release(); // at the end, once the log holds its decisions_lost record
 * ```
 */
import { auditPaths } from "./log_paths.ts";
import {
  emptyTally,
  encodeLostTally,
  LOST_TALLY_IDS_MAX,
  type LostTally,
  LostTallyMac,
} from "./lost_tally.ts";

/** A session's lost tally, open for rewriting in place. */
export class LostTallyFile {
  readonly #path: string;
  readonly #name: string;
  #file: Deno.FsFile | undefined;
  #mac: LostTallyMac | undefined;
  readonly #tally: LostTally;

  private constructor(path: string, file: Deno.FsFile, session: string) {
    this.#path = path;
    this.#name = path.slice(path.lastIndexOf("/") + 1);
    this.#file = file;
    this.#tally = emptyTally(session);
  }

  /** The folder of a profile's lost tallies. */
  static dir(thothHome: string): string {
    return `${auditPaths(thothHome).dir}/lost`;
  }

  /**
   * Makes the session's tally whole now, counting nothing, while there is
   * room for it; throws when it cannot (nothing is left behind then). No
   * link is followed: a symbolic link where the folder must be (outside the
   * profile, or another profile's folder) is refused, as is one at the
   * tally's own name (the file is made new, never opened through a link).
   */
  static reserve(thothHome: string, session: string): LostTallyFile {
    const dir = LostTallyFile.dir(thothHome);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = realFolder(dir);
    const path = `${dir}/${session}.tally`;
    // createNew (O_EXCL): a link at the name is not followed, the open fails.
    const file = Deno.openSync(path, { read: true, write: true, createNew: true, mode: 0o600 });
    try {
      // Still the folder looked at (not swapped for a link meanwhile), and the file made there.
      const opened = file.statSync();
      const now = Deno.lstatSync(dir);
      if (!now.isDirectory || now.ino !== folder.ino || now.dev !== folder.dev) {
        try {
          if (Deno.lstatSync(path).ino === opened.ino) Deno.removeSync(path); // Made through it.
        } catch {
          // Gone already.
        }
        throw new Error(LINKED);
      }
      // Held while the session lives: a session that takes in the tallies of dead sessions
      // (see `take_in_lost_tallies.ts`) leaves one it cannot lock alone. It holds this one
      // only for a moment, if at all: the file is new and empty.
      file.lockSync(true);
    } catch (error) {
      file.close();
      throw error;
    }
    const tally = new LostTallyFile(path, file, session);
    try {
      tally.#write();
    } catch (error) {
      tally.release();
      throw error;
    }
    return tally;
  }

  /** Signs the tally with a key derived from `auditKey` (the device's, raw) from now on. */
  useKey(auditKey: Uint8Array): void {
    this.#mac = new LostTallyMac(auditKey);
  }

  /** How many losses it counts. */
  get count(): number {
    return this.#tally.count;
  }

  /**
   * Counts one more lost record of type `type` (of decision `decisionId`,
   * lost at `ms` for `reason`: the first one's is kept) and rewrites the
   * tally, flushed to the disk; false when it could not be written (or has
   * no key yet to sign it with).
   */
  add(type: string, decisionId: string, ms: number, reason: string): boolean {
    const t = this.#tally;
    const at = isoTime(ms);
    if (t.count === 0) {
      t.from = at;
      t.reason = reason;
    }
    t.count++;
    t.until = at;
    t.types[type] = (t.types[type] ?? 0) + 1;
    if (t.decisionIds.length < LOST_TALLY_IDS_MAX) t.decisionIds.push(decisionId);
    if (this.#mac === undefined || this.#file === undefined) return false;
    try {
      this.#write();
      this.#file.syncDataSync();
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the whole tally over the file's bytes, from the first. */
  #write(): void {
    const file = this.#file!;
    let bytes = encodeLostTally(this.#tally, this.#name, this.#mac);
    file.seekSync(0, Deno.SeekMode.Start);
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  }

  /** Closes the tally and removes it: the log holds what it counted, or it counted nothing. */
  release(): void {
    this.close();
    try {
      Deno.removeSync(this.#path);
    } catch {
      // Gone already.
    }
  }

  /**
   * Closes the tally (its lock goes with it) and leaves it on the disk, for
   * `thoth audit verify` and the next session to take into the log.
   */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

/** Why a tally is not made through a link where its folder must be. */
const LINKED = "a symbolic link stands where the folder must be, and is never followed";

/** `lstat` of the folder `dir`; throws when it is anything else (a link: never followed). */
function realFolder(dir: string): Deno.FileInfo {
  const info = Deno.lstatSync(dir);
  if (!info.isDirectory) throw new Error(info.isSymlink ? LINKED : "not a folder");
  return info;
}

/** `ms` as ISO 8601 (the epoch for a time no date holds). */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString();
}
