/**
 * The spool files of a session whose records it let go past `HELD_MAX`
 * while its log refused them (see `LogBatches`): their decisions and
 * approvals are on the disk, signed, in files named for this session. Once
 * the log takes batches again, the session takes them back in itself, at
 * once, rather than leave a log whose outcomes name decisions it does not
 * hold until a later session takes the files in.
 *
 * Each file is claimed by renaming it, as a dead session's is (see
 * `take_orphan_spools.ts`): another session sweeping at the same time takes
 * a file once, and one it took first is left to it. The claimed files are
 * read with every line checked under the device's spool MAC, a round at a
 * time of about {@linkcode HELD_MAX} records (the memory a held batch may
 * take), and their records are queued less those the log holds already (the
 * session's start, queued again when the log took batches again, is one).
 * A file with a line the session did not write is set aside, with a
 * `spool_refused` record (or put back, for the next session to refuse, when
 * the session ended during the round: no refusal goes unrecorded). The
 * paths are remembered up to {@linkcode LET_GO_FILES_MAX}; past it, and at
 * the session's end, the files stay for the next session to take in, as a
 * killed session's do.
 *
 * @example
 * ```ts
 * const letGo = new LetGoSpools({ thothHome, session, now: Date.now, note, mac: () => spoolMac });
 * letGo.add(refusedFiles); // after `release`
 * const taken = await letGo.takeBack(); // once the log takes batches again
 * queue.unshift(...letGo.setAside(taken), ...taken.events);
 * ```
 */
import { claimedName } from "../audit/spool_claims.ts";
import { spoolFileSession } from "../audit/read_spool_file.ts";
import type { SpoolMac } from "../audit/spool_mac.ts";
import {
  claimSpoolFile,
  HELD_MAX,
  type HeldFile,
  type Queued,
  release,
  removeQuietly,
} from "./held_spool_files.ts";
import { digestRefused, setAside } from "./refuse_spool_files.ts";
import type { SpoolFileDigest } from "../audit/spool_file_digest.ts";
import {
  alreadyLogged,
  type ClaimedSpool,
  readClaimedSpools,
  recoveredFiles,
  type SpoolIntake,
} from "./take_orphan_spools.ts";

/**
 * The most let-go spool files a session remembers to take back (their paths
 * only). A session's let-go set is the files of one held batch, a file per
 * try while the log refused it; past this bound, a long outage's oldest
 * sets are remembered and the rest left to the next session.
 */
export const LET_GO_FILES_MAX = 10_000;

/** What a {@linkcode LetGoSpools} needs of its session. */
export interface LetGoSpoolsOptions {
  /** The profile the spool lives in. */
  thothHome: string;
  /** The session whose files these are. */
  session: string;
  /** The wall clock in milliseconds. */
  now: () => number;
  note: (message: string) => void;
  /** The device's spool MAC key (undefined until the session has it). */
  mac: () => SpoolMac | undefined;
}

/**
 * What one round of {@linkcode LetGoSpools.takeBack} claimed: the files
 * whose records it queues, and those it refused, still claimed (see
 * {@linkcode LetGoSpools.setAside} and {@linkcode LetGoSpools.putBack}).
 */
export interface TakenBack {
  /** The records to queue, in order: each file's `spool_recovered` record, then its records. */
  events: Queued[];
  /** The files that hold them, removed once they are in the log (see `LogBatches`). */
  files: HeldFile[];
  /** The files refused (a line the session did not write), not set aside yet. */
  refused: ClaimedSpool[];
  /** Their bytes, summed up while they are claimed (see `digestRefused`). */
  digests: ReadonlyMap<ClaimedSpool, SpoolFileDigest>;
}

/** This session's let-go spool files, and taking them back in. */
export class LetGoSpools {
  readonly #o: LetGoSpoolsOptions;
  /** The paths of the files let go, oldest first. */
  #paths: string[] = [];
  /** Whether the bound was passed (said once). */
  #full = false;

  constructor(options: LetGoSpoolsOptions) {
    this.#o = options;
  }

  /** How many let-go files wait to be taken back. */
  get length(): number {
    return this.#paths.length;
  }

  /**
   * Remembers the files of a let-go batch that are this session's (by their
   * names once `release` put claimed ones back: a file taken back and let go
   * again is this session's too); other sessions' go to the next session.
   */
  add(files: readonly HeldFile[]): void {
    for (const file of files) {
      const path = file.restore ?? file.path;
      if (spoolFileSession(path) !== this.#o.session) continue;
      if (this.#paths.length >= LET_GO_FILES_MAX) {
        if (!this.#full) {
          this.#full = true;
          this.#o.note(
            `warning: this session let go of more than ${LET_GO_FILES_MAX} audit spool files; ` +
              "it takes back the first ones once the audit log can be written, and leaves the " +
              "others for the next session to take in",
          );
        }
        return;
      }
      this.#paths.push(path);
    }
  }

  /**
   * One round: claims let-go files (each renamed; a file gone was taken by
   * another session) and reads them, until they hold about
   * {@linkcode HELD_MAX} records or none is left; returns their records less
   * those the log holds already, each file with a `spool_recovered` record
   * first (a file whose records the log holds all is removed), and the
   * files refused, for {@linkcode LetGoSpools.setAside} (or, when the
   * session ended meanwhile, {@linkcode LetGoSpools.putBack}) with nothing
   * awaited in between. Call it only once the log took a write (a
   * checkpoint) just before: it is read back as its writers keep it (see
   * `alreadyLogged`).
   */
  async takeBack(): Promise<TakenBack> {
    const mac = this.#o.mac();
    if (mac === undefined) {
      // No line can be checked: the files are left for the next session.
      this.#paths = [];
    }
    if (this.#paths.length === 0 || mac === undefined) {
      return { events: [], files: [], refused: [], digests: new Map() };
    }
    const claimed: ClaimedSpool[] = [];
    let records = 0;
    while (this.#paths.length > 0 && records < HELD_MAX) {
      const path = this.#paths.shift()!;
      const mine = claimedName(path, this.#o.session);
      let ino: number | null;
      try {
        ino = claimSpoolFile(path, mine);
      } catch {
        // Another session took it in (or it is gone): its records are that session's to write.
        continue;
      }
      const [file] = readClaimedSpools([{ path, mine, ino }], mac);
      records += file!.events.length;
      claimed.push(file!);
    }
    const intake = this.#intake();
    const refused = claimed.filter((file) => file.refused !== undefined);
    const taken = claimed.filter((file) => file.refused === undefined);
    const digests = await digestRefused(refused);
    const seen = await alreadyLogged(intake, taken);
    const files: HeldFile[] = [];
    for (const file of recoveredFiles(this.#o.session, taken, seen)) {
      // Only its spool_recovered record: the log holds all of it (the session's start, say).
      if (file.items!.length === 1) removeQuietly(file.path);
      else files.push(file);
    }
    const events: Queued[] = files.flatMap((file) => file.items!);
    const count = files.reduce((sum, file) => sum + file.items!.length - 1, 0);
    // Only the files taken in: each refused one is said apart (see `setAside`).
    if (taken.length > 0) {
      this.#o.note(
        `taking back into the audit log ${count} spooled record(s) (decisions, approvals) this ` +
          `session let go while the log refused them, from ${taken.length} of its spool file(s)` +
          (this.#paths.length > 0 ? `; ${this.#paths.length} file(s) follow` : ""),
      );
    }
    return { events, files, refused, digests };
  }

  /**
   * Sets the refused files of a round aside (see `refuse_spool_files.ts`):
   * the `spool_refused` records that say so, to queue before the round's
   * records.
   */
  setAside(taken: TakenBack): Queued[] {
    return setAside(this.#intake(), taken.refused, taken.digests);
  }

  /**
   * The session ended during the round: its files, the refused ones among
   * them, go back under their names for the next session to take in (and
   * to refuse, with a record that says so).
   */
  putBack(taken: TakenBack): void {
    release(taken.files);
    release(
      taken.refused.map(({ path, mine }) => ({ path: mine, restore: path, openedAt: undefined })),
    );
    const left = taken.files.length + taken.refused.length;
    if (left > 0) {
      this.#o.note(
        `the session ended while it was taking back ${left} of its let-go audit spool file(s): ` +
          "they stay in the spool for the next session to take in",
      );
    }
  }

  /** What reading the log back needs (the checkpoint is written before it: no log here). */
  #intake(): SpoolIntake {
    return {
      thothHome: this.#o.thothHome,
      session: this.#o.session,
      log: undefined,
      now: this.#o.now,
      note: this.#o.note,
    };
  }
}
