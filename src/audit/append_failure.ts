/**
 * How the audit writer reports a failed write: `audit.unwritable` naming
 * the log's folder, and, for an `appendMany` some of whose records reached
 * the log whole before it failed, how many did (the next write takes them
 * in, so they must not be appended again).
 *
 * @example
 * ```ts
 * const failure = unwritable("/home/ana/.thoth/audit", new Error("disk full"));
 * appendedBeforeFailure(partlyWritten(failure, 3)); // 3
 * ```
 */
import { AppError } from "../errors.ts";

/** `audit.unwritable`: the log in `dir` could not be written, for `cause`. */
export function unwritable(dir: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError("audit.unwritable", `cannot write the audit log in "${dir}": ${reason}`, {
    hints: [
      `check that "${dir}" is a writable folder on a disk with free space`,
      'run "thoth audit verify" once it is writable again',
    ],
    cause,
  });
}

/** The records of each failed `appendMany` that reached the log whole anyway. */
const writtenBeforeFailure = new WeakMap<object, number>();

/** `failure`, for one `appendMany` of which `written` records reached the log whole. */
export function partlyWritten(failure: AppError, written: number): AppError {
  const error = new AppError(failure.code, failure.message, {
    hints: failure.hints,
    cause: failure.cause,
  });
  writtenBeforeFailure.set(error, written);
  return error;
}

/**
 * How many of the items of an `appendMany` that rejected with `error`
 * reached the log whole before it failed (the first ones, in order): the
 * next write takes them in, so they must not be appended again. 0 for any
 * other error.
 *
 * @example
 * ```ts
 * try {
 *   await log.appendMany(items);
 * } catch (error) {
 *   const retry = items.slice(appendedBeforeFailure(error));
 * }
 * ```
 */
export function appendedBeforeFailure(error: unknown): number {
  return typeof error === "object" && error !== null ? writtenBeforeFailure.get(error) ?? 0 : 0;
}
