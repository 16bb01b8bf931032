/**
 * The progressive mode's counters on disk, shared by every thoth process on
 * the device: `<thothHome>/state/progressive.json`, read and rewritten under
 * an exclusive lock on `<thothHome>/state/progressive.lock` (`FileLock`:
 * waited for without blocking the thread, said on stderr after a second,
 * given up after 5 s, when the call is blocked with a
 * {@linkcode ProgressiveStateError} naming the lock), replaced atomically
 * (temp file + rename) so a crash never leaves half a file. The pure state
 * transition (and pruning) is `recordViolations`; this class is the shell.
 * `withdrawViolations` takes back what was counted for a call that did not
 * happen after all (see `progressive_take_back.ts`); the file's reading is
 * `progressive_file.ts`, doctor's look at it `progressive_inspection.ts`.
 * An unreadable file is moved aside as `progressive.json.unreadable-<time>`
 * once the new state, marked distrusted for one window, is written; with no
 * state file, the newest such file still marks the loss, so a failed write
 * or a kill in between cannot turn the loss into a fresh start. A symbolic
 * link in the file's place is not followed (thoth writes the file itself, so
 * no link of its own is ever there): it is moved aside the same way.
 * Failures are {@linkcode ProgressiveStateError}s: their message names the
 * files (for stderr and the audit record, not for the model), and
 * `sameCause` tells one cause's repeats apart from a new one.
 *
 * @example
 * ```ts
 * const store = new ProgressiveStore("/home/ana/.thoth");
 * const prior = await store.recordViolations(
 *   { server: "filesystem", user: "ana@example.org" }, ["no-deletes"], Date.now(), 86_400_000,
 * );
 * prior["no-deletes"]; // violations of no-deletes before this one, in the window
 * ```
 */
import { AppError } from "../errors.ts";
import { recordViolations, type ViolationKey } from "../policy/record_violations.ts";
import type { ProgressiveState } from "../policy/progressive_state.ts";
import { takeBackViolations, type ViolationsTakenBack } from "../policy/withdraw_violations.ts";

import type { ViolationCounter } from "../policy/violation_counter.ts";
import { newestMovedAside, readCountersFile, SYMLINK } from "./progressive_file.ts";
import { FileLock } from "../platform/file_lock.ts";
import { type LockPatience, takeLockPatiently } from "../platform/take_lock_patiently.ts";
import {
  countersLocked,
  countersLockNote,
  PROGRESSIVE_LOCK_PATIENCE,
} from "./counters_lock_wait.ts";
import { stderrNote } from "../platform/stderr_note.ts";

/** The counts are incomplete: the caller blocks instead of counting from zero. */
class CountsLost extends Error {
  constructor(message: string, readonly until: number, readonly hints: readonly string[]) {
    super(message);
  }
}

/**
 * The progressive counters cannot be used (`enforcer.progressive_state`):
 * they were lost (the violation is blocked until `until`), or the file
 * cannot be read or written (blocked until that is fixed). Failures with
 * the same `sameCause` come of one cause (one loss, one broken folder), so a
 * session warns of it once.
 *
 * @example
 * ```ts
 * if (error instanceof ProgressiveStateError) seen.add(error.sameCause);
 * ```
 */
export class ProgressiveStateError extends AppError {
  /** Equal for the failures of one cause. */
  readonly sameCause: string;
  /** When the counts were lost: until when violations are blocked. */
  readonly until: number | undefined;

  constructor(
    message: string,
    options: { hints: readonly string[]; cause: unknown; sameCause: string; until?: number },
  ) {
    super("enforcer.progressive_state", message, { hints: options.hints, cause: options.cause });
    this.sameCause = options.sameCause;
    this.until = options.until;
  }
}

/** How a {@linkcode ProgressiveStore} waits for its lock, and where it says so. */
export interface ProgressiveStoreOptions {
  /** Default `PROGRESSIVE_LOCK_PATIENCE` (5 s; said after 1 s). */
  lockPatience?: LockPatience;
  /** Where the note of a long wait goes (default: stderr, as `thoth: …`). */
  note?: (message: string) => void;
}

/** File-backed, multi-process-safe violation counts. */
export class ProgressiveStore implements ViolationCounter {
  readonly #dir: string;
  readonly #patience: LockPatience;
  readonly #note: (message: string) => void;
  /** A long wait was told, and no take succeeded since: the next long wait is not told again. */
  #told = false;

  /** Stores counters under `<thothHome>/state`. */
  constructor(thothHome: string, options: ProgressiveStoreOptions = {}) {
    this.#dir = `${thothHome.replace(/[/\\]+$/, "")}/state`;
    this.#patience = options.lockPatience ?? PROGRESSIVE_LOCK_PATIENCE;
    this.#note = options.note ?? stderrNote;
  }

  /** The counters file. */
  get path(): string {
    return `${this.#dir}/progressive.json`;
  }

  /** The lock every process takes to read and rewrite the counters. */
  get lockPath(): string {
    return `${this.#dir}/progressive.lock`;
  }

  /**
   * Takes the counters' lock without blocking the thread, saying once when
   * the wait is long; throws a {@linkcode ProgressiveStateError} naming the
   * lock and the remedy once the wait runs out.
   */
  async #take(lock: FileLock): Promise<void> {
    const patience = this.#patience;
    const taken = await takeLockPatiently(lock, patience, () => {
      if (this.#told) return;
      this.#told = true;
      this.#note(countersLockNote(lock.path, patience.waitMs));
    });
    if (taken) {
      this.#told = false;
      return;
    }
    const { message, hints } = countersLocked(lock.path, patience.waitMs);
    throw new ProgressiveStateError(message, {
      hints,
      cause: undefined,
      sameCause: `locked ${lock.path}`,
    });
  }

  /** Records a violation of each of `ruleIds` and returns the prior counts in the window. */
  async recordViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    nowMs: number,
    windowMs: number,
  ): Promise<Record<string, number>> {
    try {
      await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
      const lock = await FileLock.open(this.lockPath);
      try {
        await this.#take(lock);
        let current: ProgressiveState | undefined;
        let lostAt: number | undefined;
        let movedTo: string | undefined;
        let why: string | undefined;
        try {
          current = await readCountersFile(this.path);
          if (current === undefined) {
            // A missing file is a fresh start, unless an unreadable one was moved
            // aside and never replaced (the write failed, or the process was
            // killed in between): those counts are still lost.
            const aside = await newestMovedAside(this.#dir);
            lostAt = aside === undefined ? undefined : Math.min(aside.at, nowMs);
          }
        } catch (error) {
          // An unreadable file means the counts are lost: keep it for the admin
          // (moved aside once the new state is written), distrust the counts
          // for one window.
          if (!(error instanceof SyntaxError)) throw error;
          lostAt = nowMs;
          movedTo = `${this.path}.unreadable-${nowMs}`;
          why = error.message;
        }
        const { state, prior, distrustedUntil } = recordViolations(
          current,
          key,
          ruleIds,
          nowMs,
          windowMs,
          lostAt,
        );
        // The new state (with its distrust mark) is written before the unreadable
        // file leaves: a failed write leaves that file in place, still unreadable.
        await replaceCounters(this.path, state, movedTo);
        if (distrustedUntil !== undefined) {
          throw new CountsLost(
            (movedTo === undefined
              ? "the progressive counters were lost recently"
              : `the progressive counters could not be read (the file was moved to "${movedTo}")`) +
              `; violations are blocked, not counted from zero, until ${
                new Date(distrustedUntil).toISOString()
              }` + (why === undefined ? "" : ` (what was wrong with "${this.path}": ${why})`),
            distrustedUntil,
            [
              "nothing needs doing: counting resumes by itself after one window",
              ...(why === SYMLINK
                ? [
                  `thoth never makes "${this.path}" a symbolic link: find out what did ` +
                  `(the link is kept as "${movedTo}")`,
                ]
                : []),
            ],
          );
        }
        return prior;
      } finally {
        lock.close();
      }
    } catch (error) {
      if (error instanceof ProgressiveStateError) throw error;
      if (error instanceof CountsLost) {
        // One loss is one cause: the mark it left ends at one time.
        throw new ProgressiveStateError(error.message, {
          hints: error.hints,
          cause: error,
          sameCause: `lost until ${error.until}`,
          until: error.until,
        });
      }
      const message = `cannot update the progressive counters in "${this.#dir}": ${
        (error as Error).message
      }`;
      throw new ProgressiveStateError(message, {
        hints: [await this.#remedy()],
        cause: error,
        sameCause: message,
      });
    }
  }

  /**
   * Takes back one violation at `atMs` of each of `ruleIds` (as
   * {@linkcode recordViolations} counted them) for a call that did not
   * happen after all; returns whether any was there to take back. A file
   * that is missing, unreadable or another one by now is left as it is:
   * nothing is taken back (the next count deals with an unreadable file).
   * Throws a {@linkcode ProgressiveStateError} when the counters cannot be
   * read or written, or their lock does not come: the violations then stay
   * counted, which is stricter, never looser.
   */
  async withdrawViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    atMs: number,
  ): Promise<boolean> {
    return (await this.takeBackViolations(key, ruleIds, atMs)).takenBack.length > 0;
  }

  /**
   * {@linkcode withdrawViolations}, saying what became of each rule's count
   * (see `takeBackViolations`): a file that is missing or unreadable has
   * every rule's count gone from it (`unreadable` says the latter).
   */
  async takeBackViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    atMs: number,
  ): Promise<Omit<ViolationsTakenBack, "state"> & { unreadable?: true }> {
    const gone = () => ({ takenBack: [], full: [], gone: [...new Set(ruleIds)] });
    try {
      const lock = await FileLock.open(this.lockPath);
      try {
        await this.#take(lock);
        let current: ProgressiveState | undefined;
        try {
          current = await readCountersFile(this.path);
        } catch (error) {
          if (error instanceof SyntaxError) return { ...gone(), unreadable: true };
          throw error;
        }
        if (current === undefined) return gone();
        const { state, ...taken } = takeBackViolations(current, key, ruleIds, atMs);
        if (state !== undefined) await replaceCounters(this.path, state, undefined);
        return taken;
      } finally {
        lock.close();
      }
    } catch (error) {
      if (error instanceof ProgressiveStateError) throw error;
      const message = `cannot take back a count in the progressive counters in "${this.#dir}": ${
        (error as Error).message
      }`;
      throw new ProgressiveStateError(message, {
        hints: [await this.#remedy()],
        cause: error,
        sameCause: message,
      });
    }
  }

  /**
   * What to do when the counters cannot be read or written: remove the
   * symbolic link that leads out of the profile, if one does; else make the
   * folder writable.
   */
  async #remedy(): Promise<string> {
    for (const path of [this.#dir, this.path]) {
      try {
        if ((await Deno.lstat(path)).isSymlink) {
          return `"${path}" is a symbolic link: remove it, so that thoth keeps its counters ` +
            "in a folder and file of its own";
        }
      } catch {
        // Absent or unreachable: not a link to name.
      }
    }
    return `check that "${this.#dir}" is a folder this user can read and write ` +
      "(THOTH_HOME, or ~/.thoth)";
  }
}

/**
 * Writes `state` as the counters file, atomically (a temp file, then a
 * rename); an unreadable file in its place is first moved to `movedTo`.
 */
async function replaceCounters(
  path: string,
  state: ProgressiveState,
  movedTo: string | undefined,
): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temp, JSON.stringify(state), { mode: 0o600 });
    if (movedTo !== undefined) await Deno.rename(path, movedTo);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
