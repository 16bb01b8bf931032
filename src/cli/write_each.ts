/**
 * The writes of a multi-file run, one after the other, and the error of one
 * that fails after another was written: it names what was written and what
 * was not, never that nothing was.
 *
 * @example
 * ```ts
 * await writeEach(planned, ({ file }) => file.path, ({ file, plan }) => applyConfigPlan(io, file, file.path, plan.text, deps, wording));
 * ```
 */
import { AppError } from "../errors.ts";
import type { WriteResult } from "../config/write_config.ts";

/**
 * Runs `write` for each item in turn; when one fails after another was
 * written, the error says which files were written and which were not
 * (`partialWriteError`), never that nothing was.
 */
export async function writeEach<T>(
  items: readonly T[],
  outputOf: (item: T) => string,
  write: (item: T) => Promise<WriteResult | null | undefined>,
): Promise<void> {
  const written: string[] = [];
  for (const [i, item] of items.entries()) {
    let outcome: WriteResult | null | undefined;
    try {
      outcome = await write(item);
    } catch (error) {
      throw partialWriteError(error, written, items.slice(i).map(outputOf));
    }
    if (outcome) written.push(outputOf(item));
  }
}

/**
 * The error of a write that failed after `written` were written: its own
 * code, message and hints, but naming what was written and what was not
 * (`notWritten`) instead of saying that nothing was. `error` as it is when
 * nothing was written.
 */
export function partialWriteError(
  error: unknown,
  written: readonly string[],
  notWritten: readonly string[],
): unknown {
  if (written.length === 0) return error;
  const list = (paths: readonly string[]) => paths.map((path) => `"${path}"`).join(", ");
  const state = `already written: ${list(written)}; not written: ${list(notWritten)}`;
  const untold = (text: string) =>
    text.replace(/^nothing was (?:written|changed)[;,]\s*/, "")
      .replace(/[;,]?\s*nothing was (?:written|changed)\b/g, "")
      .replace(/\bnothing was (?:written|changed)\b/g, `${list(notWritten)} was not written`);
  const message = error instanceof Error ? error.message : String(error);
  const app = error instanceof AppError ? error : undefined;
  return new AppError(app?.code ?? "io.write_failed", `${untold(message)}; ${state}`, {
    cause: app?.cause ?? error,
    hints: [
      ...(app?.hints ?? []).map(untold).filter((hint) => hint !== ""),
      `${list(written)} now hold${written.length === 1 ? "s" : ""} the new text (backed up ` +
      `beside it as the lines above say); fix what stopped ${list(notWritten)}, then run the ` +
      "same command again: it changes only what is not done yet",
    ],
    ...(app === undefined ? {} : { exitCode: app.exitCode }),
  });
}
