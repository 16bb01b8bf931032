/**
 * The second walk of a call for the protections of thoth's own files
 * (`own_files.ts`, its item 4), for a call that names a working folder
 * ({@linkcode reachedRelative}): each string of it, also inside JSON a
 * string holds, read as relative paths resolved against the call's working
 * folders (see `own_files_working_folders.ts`), within a budget that grows
 * with the call's size ({@linkcode RELATIVE_BUDGET_BASE}). A call that names
 * more than {@linkcode MAX_WORKING_FOLDERS} folders, or needs more
 * resolutions than its budget, is blocked with its own reason. Pure.
 *
 * @example
 * ```ts
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" })!;
 * reachedRelative([own], 1, { command: "rm .thoth/state/x", cwd: "~" }, ["~"]); // own
 * reachedRelative([own], 1, { command: "ls", cwd: "~" }, ["~"]); // undefined
 * ```
 */
import type { OwnFiles } from "./own_files.ts";
import { leadsJson } from "./own_files_value_forms.ts";
import { parsePythonJson } from "./python_json.ts";
import type { RelativeBudget } from "./own_files_working_folders.ts";

/**
 * The most working folders (distinct, see `WORKING_FOLDER_KEYS` in
 * `own_files_working_folder_keys.ts`) a call may name when some string of it
 * may name a relative path to a protected folder: such a call is blocked
 * (each such path would be resolved against each folder).
 */
export const MAX_WORKING_FOLDERS = 8;

/**
 * How many more resolutions of relative paths a call's working folders may
 * ask for, in all: a path joined to a folder written plainly (an absolute
 * path without a variable, `~`, `.` or `..` segment) whose `..` segments,
 * resolved as the OS does, land apart from every protected folder and folder
 * of item 2 (most) is not read further and costs nothing; any other reading,
 * against any folder (the first one too), costs one, and one more for every
 * 64 of its characters; a word repeated in a string is read once.
 * {@linkcode RELATIVE_BUDGET_BASE}, and one more for every
 * {@linkcode RELATIVE_BUDGET_CHARS} characters of the call's strings, so the
 * work stays in proportion to the call's size. A call that needs more is
 * blocked.
 */
export const RELATIVE_BUDGET_BASE = 4096;
/** See {@linkcode RELATIVE_BUDGET_BASE}. */
export const RELATIVE_BUDGET_CHARS = 256;

/** Why a call naming too many working folders is blocked. */
function tooManyFoldersReason(count: number): string {
  return `too many working folders in one call to check: ${count}; thoth checks at most ` +
    `${MAX_WORKING_FOLDERS} (distinct cwd, dir, directory, workdir… arguments) when a string ` +
    "of the call may name a relative path to its own or a client's config files, and never " +
    "forwards such a call, in any mode. Split the call into calls that name fewer folders, or " +
    "give absolute paths";
}

/** Why a call with more relative paths than thoth checks is blocked. */
const BUDGET_REASON = "too many relative paths in one call to check against its working " +
  "folders (cwd, dir, directory, workdir… arguments): thoth resolves at most " +
  `${RELATIVE_BUDGET_BASE} and one more per ${RELATIVE_BUDGET_CHARS} characters of the call, ` +
  "and never forwards a call it cannot check, in any mode. Split the call, name fewer " +
  "working folders, or give absolute paths";

/**
 * The first of `protections` (before `limit`) that a relative path in some
 * string of `args` (a value anywhere in the call, also inside JSON a string
 * holds) reaches once resolved against one of `folders`, the working folders
 * the call names anywhere in it; `undefined` when none does. A second walk,
 * only for a call that names a working folder. A call naming more than
 * {@linkcode MAX_WORKING_FOLDERS} folders in which some string may name a
 * relative path, or needing more resolutions than its budget (see
 * {@linkcode RELATIVE_BUDGET_BASE}), is answered with the first such
 * protection and its own reason.
 */
export function reachedRelative(
  protections: readonly OwnFiles[],
  limit: number,
  args: unknown,
  folders: readonly string[],
): OwnFiles | undefined {
  const list = protections.slice(0, limit).filter((p) => p.checkRelative !== undefined);
  if (list.length === 0) return undefined;
  const tooMany = folders.length > MAX_WORKING_FOLDERS;
  const budget: RelativeBudget = { left: RELATIVE_BUDGET_BASE, exhausted: false };
  let found: OwnFiles | undefined;
  let end = list.length;
  const pending: unknown[] = [args];
  while (pending.length > 0 && end > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      budget.left += value.length / RELATIVE_BUDGET_CHARS;
      for (let i = 0; i < end; i++) {
        const own = list[i]!;
        if (tooMany) {
          if (own.namesRelative!(value)) {
            return { ...own, reason: tooManyFoldersReason(folders.length) };
          }
          continue;
        }
        if (own.checkRelative!(value, folders, budget)) {
          if (budget.exhausted) return { ...list[0]!, reason: BUDGET_REASON };
          found = own;
          end = i;
          break;
        }
      }
      if (leadsJson(value)) {
        try {
          pending.push(parsePythonJson(value));
        } catch {
          // Not JSON: the string as it is.
        }
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      // A key is read as a value is: `{"files": {".thoth/state/x": "…"}}`.
      for (const [key, child] of Object.entries(value)) pending.push(key, child);
    }
  }
  return found;
}
