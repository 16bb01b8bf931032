/**
 * What a writer finds at the state file when it opens the log: whether the
 * file can count the log (missing, empty or damaged when it cannot), and,
 * with keys but no log, that the log was removed (`LogGone`, recorded at
 * once). A state file that is no regular file is refused, named, with the
 * remedy. Also how the writer opens the file it keeps.
 *
 * @example
 * ```ts
 * const before = await stateBefore(auditPaths(home).state); // "missing" for a new log
 * const file = await Deno.open(auditPaths(home).state, STATE_FILE_OPEN);
 * ```
 */
import { AppError } from "../errors.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { MAX_STATE_FILE_BYTES } from "./read_state_settled.ts";
import { readStateWitness } from "./state_witness.ts";

/**
 * The state file is no regular file (a FIFO, a device, or a link to one):
 * named, with the remedy. A writer never opens it, so no read blocks, and
 * never replaces it in silence; moved away, it is rebuilt from the log by the
 * next writer, which records that it was.
 */
function stateNotAFile(path: string, cause: Error): AppError {
  const dir = path.slice(0, path.lastIndexOf("/"));
  return new AppError(
    "audit.unwritable",
    `cannot write the audit log in "${dir}": its state file "${path}" is not a regular file (a FIFO, a device, or a link to one)`,
    {
      hints: [
        `move "${path}" away: the next writer rebuilds the state from the log and records that it did`,
        'run "thoth audit verify" once it is writable again',
      ],
      cause,
    },
  );
}

/** How a writer opens its state file: read and rewritten in place, made (0600) when missing. */
export const STATE_FILE_OPEN: Deno.OpenOptions = {
  read: true,
  write: true,
  create: true,
  mode: 0o600,
};

/** What a writer found at open where a log should be: no segment, no usable state, but keys. */
export interface LogGone {
  state: "missing" | "empty" | "damaged";
  /** When the device's first signing key was made. */
  keysCreated: string;
}

/** Why the state file cannot count the log (missing, empty, damaged), or undefined when it can. */
export async function stateBefore(path: string): Promise<LogGone["state"] | undefined> {
  let text: string;
  try {
    // Only a regular file (a FIFO in its place would hold thoth run, and its
    // client, for ever), and never a huge one whole: see `WriterStateFile.readText`.
    text = new TextDecoder().decode(await readRegularFile(path, { limit: MAX_STATE_FILE_BYTES }));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    if (error instanceof FileOverLimitError) return "damaged";
    if (error instanceof Deno.errors.InvalidData) throw stateNotAFile(path, error);
    throw error;
  }
  if (text.trim() === "") return "empty";
  return readStateWitness(text) === undefined ? "damaged" : undefined;
}
