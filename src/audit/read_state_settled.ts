/**
 * The state file's text as a reader outside the writer's lock takes it
 * (`thoth health`, `thoth doctor`, `thoth audit verify`): read again until
 * two reads agree, only from a regular file, and never more than
 * {@linkcode MAX_STATE_FILE_BYTES}.
 *
 * @example
 * ```ts
 * const state = parseLogState(await readStateSettled(paths.state));
 * ```
 */
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";

/**
 * The most bytes of a state file a reader outside the writer takes. A writer's
 * state holds a few counters and names and one hash per level of the log's
 * tree (at most 64), a few KiB at most: 1 MiB leaves room for any state and
 * keeps a file that is not one from being read whole.
 */
export const MAX_STATE_FILE_BYTES = 1024 * 1024;

/**
 * The state file's text as a reader outside the writer's lock should take
 * it: a writer rewrites the file in place, so a read can land mid-write and
 * mix old and new bytes. Reads again until two reads in a row agree (at most
 * ten; a writer's rewrite is one system call, so the next read sees it whole).
 * Only a regular file is read: a FIFO in its place would block the reader
 * (`thoth health`, `thoth doctor`, `thoth audit verify`) for ever. Throws what
 * `Deno.readTextFile` throws, `Deno.errors.InvalidData` ("it is not a
 * regular file"), and `FileOverLimitError` for a file over
 * {@linkcode MAX_STATE_FILE_BYTES}, which is never read whole (its message
 * says to remove it: the next governed session rebuilds it from the log).
 */
export async function readStateSettled(path: string): Promise<string> {
  const read = async () => {
    try {
      return new TextDecoder().decode(await readRegularFile(path, { limit: MAX_STATE_FILE_BYTES }));
    } catch (error) {
      if (!(error instanceof FileOverLimitError)) throw error;
      throw new FileOverLimitError(
        error.size,
        error.limit,
        "no writer makes a state file that large; remove it: the next governed session " +
          "rebuilds it from the log",
      );
    }
  };
  let text = await read();
  for (let attempt = 1; attempt < 10; attempt++) {
    const again = await read();
    if (again === text) return text;
    text = again;
  }
  return text;
}
