/**
 * The progressive mode's counters on disk, shared by every thoth process on
 * the device: `<thothHome>/state/progressive.json`, read and rewritten under
 * an exclusive lock on `<thothHome>/state/progressive.lock`
 * (`Deno.FsFile.lock`), replaced atomically (temp file + rename) so a crash
 * never leaves half a file. The pure state transition (and pruning) is
 * `recordViolations`; this class is the shell. An unreadable file is moved
 * aside as `progressive.json.unreadable-<time>` once the new state, marked
 * distrusted for one window, is written; with no state file, the newest such
 * file still marks the loss, so a failed write or a kill in between cannot
 * turn the loss into a fresh start.
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
import { isProgressiveState, type ProgressiveState } from "../policy/progressive_state.ts";

/** The counts are incomplete: the caller blocks instead of counting from zero. */
class CountsLost extends Error {}
import type { ViolationCounter } from "../policy/violation_counter.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** File-backed, multi-process-safe violation counts. */
export class ProgressiveStore implements ViolationCounter {
  readonly #dir: string;

  /** Stores counters under `<thothHome>/state`. */
  constructor(thothHome: string) {
    this.#dir = `${thothHome.replace(/[/\\]+$/, "")}/state`;
  }

  /** The counters file. */
  get path(): string {
    return `${this.#dir}/progressive.json`;
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
      const lock = await Deno.open(`${this.#dir}/progressive.lock`, {
        read: true,
        write: true,
        create: true,
        mode: 0o600,
      });
      try {
        await lock.lock(true);
        let current: ProgressiveState | undefined;
        let lostAt: number | undefined;
        let movedTo: string | undefined;
        try {
          // Not a regular file (a FIFO would block this read for ever): unreadable.
          let text: string;
          try {
            text = new TextDecoder().decode(await readRegularFile(this.path));
          } catch (error) {
            if (!(error instanceof Deno.errors.InvalidData)) throw error;
            throw new SyntaxError("not a regular file");
          }
          const value: unknown = JSON.parse(text);
          if (isProgressiveState(value)) current = value;
          else throw new SyntaxError("not a version 1 progressive state");
        } catch (error) {
          if (error instanceof Deno.errors.NotFound) {
            // A missing file is a fresh start, unless an unreadable one was moved
            // aside and never replaced (the write failed, or the process was
            // killed in between): those counts are still lost.
            lostAt = await this.#movedAsideAt(nowMs);
          } else {
            // An unreadable file means the counts are lost: keep it for the admin
            // (moved aside once the new state is written), distrust the counts
            // for one window.
            if (!(error instanceof SyntaxError)) throw error;
            lostAt = nowMs;
            movedTo = `${this.path}.unreadable-${nowMs}`;
          }
        }
        const { state, prior, distrustedUntil } = recordViolations(
          current,
          key,
          ruleIds,
          nowMs,
          windowMs,
          lostAt,
        );
        const temp = `${this.path}.${crypto.randomUUID()}.tmp`;
        try {
          // The new state (with its distrust mark) is written before the unreadable
          // file leaves: a failed write leaves that file in place, still unreadable.
          await Deno.writeTextFile(temp, JSON.stringify(state), { mode: 0o600 });
          if (movedTo !== undefined) await Deno.rename(this.path, movedTo);
          await Deno.rename(temp, this.path);
        } catch (error) {
          await Deno.remove(temp).catch(() => {});
          throw error;
        }
        if (distrustedUntil !== undefined) {
          throw new CountsLost(
            (movedTo === undefined
              ? "the progressive counters were lost recently"
              : `the progressive counters could not be read (the file was moved to "${movedTo}")`) +
              `; violations are blocked, not counted from zero, until ${
                new Date(distrustedUntil).toISOString()
              }`,
          );
        }
        return prior;
      } finally {
        lock.close();
      }
    } catch (error) {
      if (error instanceof CountsLost) {
        throw new AppError("enforcer.progressive_state", error.message, {
          hints: ["nothing needs doing: counting resumes by itself after one window"],
          cause: error,
        });
      }
      throw new AppError(
        "enforcer.progressive_state",
        `cannot update the progressive counters in "${this.#dir}": ${(error as Error).message}`,
        { hints: ["check that THOTH_HOME (or ~/.thoth) is writable"], cause: error },
      );
    }
  }

  /**
   * When the newest `progressive.json.unreadable-<time>` was moved aside (at
   * most `nowMs`: a clock set back does not stretch the distrust), or
   * undefined when there is none.
   */
  async #movedAsideAt(nowMs: number): Promise<number | undefined> {
    let newest: number | undefined;
    for await (const entry of Deno.readDir(this.#dir)) {
      const at = UNREADABLE.exec(entry.name)?.[1];
      if (at === undefined) continue;
      newest = Math.max(newest ?? 0, Math.min(Number(at), nowMs));
    }
    return newest;
  }
}

const UNREADABLE = /^progressive\.json\.unreadable-(\d{1,16})$/;
