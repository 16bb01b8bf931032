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
        let current: unknown = undefined;
        try {
          current = JSON.parse(await Deno.readTextFile(this.path));
        } catch (error) {
          // A missing file is a fresh start; a corrupt one is replaced (counts restart).
          if (!(error instanceof Deno.errors.NotFound) && !(error instanceof SyntaxError)) {
            throw error;
          }
        }
        const { state, prior } = recordViolations(current, key, ruleIds, nowMs, windowMs);
        const temp = `${this.path}.${crypto.randomUUID()}.tmp`;
        try {
          await Deno.writeTextFile(temp, JSON.stringify(state), { mode: 0o600 });
          await Deno.rename(temp, this.path);
        } catch (error) {
          await Deno.remove(temp).catch(() => {});
          throw error;
        }
        return prior;
      } finally {
        lock.close();
      }
    } catch (error) {
      throw new AppError(
        "enforcer.progressive_state",
        `cannot update the progressive counters in "${this.#dir}": ${(error as Error).message}`,
        { hints: ["check that THOTH_HOME (or ~/.thoth) is writable"], cause: error },
      );
    }
  }
}
