/**
 * Writes a writer's batch intent (`audit/.pending`, see `pending_batch.ts`)
 * in place, before the part of a batch it names is written. Fail closed: a
 * part whose intent is not written whole is never written, for the records
 * of a writer killed before it counted them would then follow the state
 * file's count with nothing to vouch for them, and `thoth audit verify`
 * would read genuine decisions as forged ones (`past_the_count`). An intent
 * that cannot be written (no regular file at its path, a full disk, a
 * permission taken away, an I/O error) is an `audit.unwritable` error that
 * names it: the batch fails as it does when a segment cannot be written,
 * and the session blocks its calls until the intent can be written again.
 * Thin I/O.
 *
 * @example
 * ```ts
 * const held = this.#pendingFile;
 * this.#pendingFile = undefined;
 * this.#pendingFile = writePendingIntent(paths.pending, held, bytes); // throws AppError
 * ```
 */
import { AppError } from "../errors.ts";
import { folderOf } from "../platform/durable_file.ts";
import { heldFileStat } from "./held_file_stat.ts";

/**
 * Writes `bytes` over the start of the intent file at `path`, through
 * `held` (the file this writer holds open for it, if any), and returns the
 * file to hold for the next part. Throws an `audit.unwritable` AppError,
 * with `held` closed, when the intent is not written whole.
 */
export function writePendingIntent(
  path: string,
  held: Deno.FsFile | undefined,
  bytes: Uint8Array,
): Deno.FsFile {
  let file = held;
  try {
    if (file !== undefined && heldFileStat(file, path).nlink === 0) {
      // Removed under the writer: what is at the path now is written.
      file.close();
      file = undefined;
    }
    if (file === undefined) {
      let regular = true;
      try {
        // Never a FIFO: opening one to write would wait for a reader for ever.
        regular = Deno.lstatSync(path).isFile;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (!regular) throw notARegularFile(path);
      file = Deno.openSync(path, { write: true, create: true, mode: 0o600 });
    }
    file.seekSync(0, Deno.SeekMode.Start);
    let rest = bytes;
    while (rest.length > 0) rest = rest.subarray(file.writeSync(rest));
    return file;
  } catch (error) {
    try {
      file?.close();
    } catch {
      // Closed already.
    }
    throw error instanceof AppError ? error : intentUnwritable(path, error);
  }
}

/** What a writer says when it cannot write its intent at `path`. */
function intentUnwritable(path: string, cause: unknown): AppError {
  const dir = folderOf(path);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    "audit.unwritable",
    `cannot write the audit log in "${dir}": cannot write its batch intent "${path}" ` +
      `(${reason}), and no record is written without it`,
    {
      hints: [
        `check that "${dir}" and "${path}" are writable by this account, on a disk with free space`,
        'run "thoth audit verify" once it is writable again',
      ],
      cause,
    },
  );
}

/** `path` is no regular file (a folder, a FIFO, a device, or a link): named, with the remedy. */
function notARegularFile(path: string): AppError {
  const dir = folderOf(path);
  return new AppError(
    "audit.unwritable",
    `cannot write the audit log in "${dir}": its batch intent "${path}" is not a regular file ` +
      "(a folder, a FIFO, a device, or a link), and no record is written without it",
    {
      hints: [
        `move "${path}" away: the next batch makes a new one`,
        'run "thoth audit verify" once it is writable again',
      ],
    },
  );
}
