/**
 * What `thoth doctor` and `thoth health` see of the progressive counters:
 * the file read as a session would read it, changing nothing.
 *
 * @example
 * ```ts
 * const { kind, movedAside } = await inspectProgressiveState("/home/ana/.thoth");
 * ```
 */
import { newestMovedAside, readCountersFile, SYMLINK } from "./progressive_file.ts";

/** What {@linkcode inspectProgressiveState} found. */
export interface ProgressiveInspection {
  /** The counters file. */
  path: string;
  /**
   * `absent`: no file (a fresh start, unless `movedAside` marks a loss);
   * `readable`: a state a session uses; `unreadable`: a file a session moves
   * aside, blocking violations for one window (`problem` says why);
   * `unusable`: the folder or file cannot be used at all (not a folder, no
   * permission, too large): every violation is blocked until it is fixed.
   */
  kind: "absent" | "readable" | "unreadable" | "unusable";
  /** How many (server, user, rule) keys a readable file holds; else null. */
  entries: number | null;
  /** A readable file's counts-lost mark (epoch milliseconds), or null when it has none. */
  distrustUntil: number | null;
  /** The newest file moved aside (`progressive.json.unreadable-<time>`) and its time, or null. */
  movedAside: { path: string; at: number } | null;
  /** Why the file is unreadable or unusable; null otherwise. */
  problem: string | null;
  /** Whether the file (`unreadable`) or the folder (`unusable`) is a symbolic link. */
  link: boolean;
}

/**
 * Reads the progressive counters as a session would, without changing
 * anything (for `thoth doctor` and `thoth health`): a symbolic link is not
 * followed, a FIFO not opened, nothing is moved aside.
 *
 * @example
 * ```ts
 * const found = await inspectProgressiveState("/home/ana/.thoth");
 * if (found.kind === "unreadable") console.log(found.problem);
 * ```
 */
export async function inspectProgressiveState(thothHome: string): Promise<ProgressiveInspection> {
  const dir = `${thothHome.replace(/[/\\]+$/, "")}/state`;
  const path = `${dir}/progressive.json`;
  const found: ProgressiveInspection = {
    path,
    kind: "absent",
    entries: null,
    distrustUntil: null,
    movedAside: null,
    problem: null,
    link: false,
  };
  let folder: Deno.FileInfo;
  try {
    folder = await Deno.lstat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return found;
    return { ...found, kind: "unusable", problem: `cannot look at "${dir}": ${message(error)}` };
  }
  if (folder.isSymlink) {
    return {
      ...found,
      kind: "unusable",
      link: true,
      problem: `"${dir}" is a symbolic link, which thoth doctor does not follow`,
    };
  }
  if (!folder.isDirectory) {
    return {
      ...found,
      kind: "unusable",
      problem: `"${dir}" is not a folder: thoth cannot keep its counters there`,
    };
  }
  try {
    const aside = await newestMovedAside(dir);
    if (aside !== undefined) found.movedAside = { path: `${dir}/${aside.name}`, at: aside.at };
  } catch {
    // A folder this user cannot list: reading the file below says so.
  }
  try {
    const state = await readCountersFile(path);
    if (state === undefined) return found;
    return {
      ...found,
      kind: "readable",
      entries: Object.keys(state.entries).length,
      distrustUntil: state.distrustUntil ?? null,
    };
  } catch (error) {
    if (error instanceof SyntaxError) {
      return {
        ...found,
        kind: "unreadable",
        problem: error.message,
        link: error.message === SYMLINK,
      };
    }
    return { ...found, kind: "unusable", problem: `cannot read "${path}": ${message(error)}` };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}
