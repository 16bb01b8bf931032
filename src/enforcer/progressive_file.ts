/**
 * Reading the progressive counters file as a session and doctor read it:
 * the state or nothing, a `SyntaxError` for a file a session moves aside
 * (not JSON, a foreign version, not a regular file, a symbolic link), and
 * the newest file already moved aside (`progressive.json.unreadable-<time>`).
 *
 * @example
 * ```ts
 * const state = await readCountersFile("/home/ana/.thoth/state/progressive.json");
 * const aside = await newestMovedAside("/home/ana/.thoth/state");
 * ```
 */
import { isProgressiveState, type ProgressiveState } from "../policy/progressive_state.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** Why a symbolic link in the counters file's place is unreadable. */
export const SYMLINK = "it is a symbolic link, which thoth does not follow";

const UNREADABLE = /^progressive\.json\.unreadable-(\d{1,16})$/;

/**
 * The counters file as a session reads it: its state, or undefined when
 * there is none. Throws a `SyntaxError` naming what is wrong when the file is
 * unreadable (a session moves such a file aside): not JSON, not a version 1
 * state, not a regular file (a FIFO would block the read for ever), or a
 * symbolic link (not followed: thoth never puts one there). Other errors
 * (no permission, a file over the size limit) are thrown as they are.
 */
export async function readCountersFile(path: string): Promise<ProgressiveState | undefined> {
  let text: string;
  try {
    if ((await Deno.lstat(path)).isSymlink) throw new SyntaxError(SYMLINK);
    text = new TextDecoder().decode(await readRegularFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (!(error instanceof Deno.errors.InvalidData)) throw error;
    throw new SyntaxError("not a regular file");
  }
  const value: unknown = JSON.parse(text);
  if (isProgressiveState(value)) return value;
  throw new SyntaxError("not a version 1 progressive state");
}

/**
 * The newest `progressive.json.unreadable-<time>` in `dir` and the time in
 * its name (when it was moved aside), or undefined when there is none.
 */
export async function newestMovedAside(
  dir: string,
): Promise<{ name: string; at: number } | undefined> {
  let newest: { name: string; at: number } | undefined;
  for await (const entry of Deno.readDir(dir)) {
    const at = UNREADABLE.exec(entry.name)?.[1];
    if (at === undefined) continue;
    if (newest === undefined || Number(at) > newest.at) {
      newest = { name: entry.name, at: Number(at) };
    }
  }
  return newest;
}
