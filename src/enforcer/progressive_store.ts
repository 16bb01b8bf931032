/**
 * The progressive mode's counters on disk, shared by every thoth process on
 * the device: `<thothHome>/state/progressive.json`, read and rewritten under
 * an exclusive lock on `<thothHome>/state/progressive.lock`
 * (`Deno.FsFile.lock`), replaced atomically (temp file + rename) so a crash
 * never leaves half a file. Counts outside the window are pruned on write.
 * The pure state transition is `recordViolations`; this class is the shell.
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
          if (!(await Deno.stat(this.path)).isFile) throw new SyntaxError("not a regular file");
          const value: unknown = JSON.parse(await Deno.readTextFile(this.path));
          if (isProgressiveState(value)) current = value;
          else throw new SyntaxError("not a version 1 progressive state");
        } catch (error) {
          // A missing file is a fresh start. An unreadable one means the counts are
          // lost: keep it for the admin, and distrust the counts for one window.
          if (!(error instanceof Deno.errors.NotFound)) {
            if (!(error instanceof SyntaxError)) throw error;
            lostAt = nowMs;
            movedTo = `${this.path}.unreadable-${nowMs}`;
            await Deno.rename(this.path, movedTo);
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
          await Deno.writeTextFile(temp, JSON.stringify(state), { mode: 0o600 });
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
}
