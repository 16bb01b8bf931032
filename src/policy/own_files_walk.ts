/**
 * The walk of a call's arguments for the protections of thoth's own files
 * (see `own_files.ts`): every string (a value or a key, anywhere, also
 * inside JSON a string holds) is read once by each protection in turn, and
 * the working folders the call names are gathered for the reading of its
 * relative paths (see `own_files_reached_relative.ts`). The answer is the
 * first protection reached ({@linkcode firstReached}).
 *
 * @example
 * ```ts
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" });
 * firstReached([own], { path: "~/.thoth/keys/hmac.key" })?.folder; // "/home/ana/.thoth"
 * firstReached([own], { path: "~/notes.txt" }); // undefined
 * ```
 */
import { leadsJson } from "./own_files_value_forms.ts";
import { type OwnFiles, REACHES, READ_JSON } from "./own_files_protection.ts";
import { isWorkingFolderKey, MAY_NAME_WORKING_FOLDER } from "./own_files_working_folder_keys.ts";
import { reachedRelative } from "./own_files_reached_relative.ts";
import { holdsPercentEscape } from "./percent_escape.ts";
import { parsePythonJson } from "./python_json.ts";

/**
 * The first of `protections` (in their order) that some string in `args`
 * (a value or a key, anywhere, also inside JSON a string holds) reaches, or
 * `undefined`. The arguments are walked once for all of them: each string is
 * read by each protection in turn, which share what they work out of it.
 */
export function firstReached(
  protections: readonly (OwnFiles | undefined)[],
  args: unknown,
): OwnFiles | undefined {
  const own = reachedAmong(protections, args);
  // Named by the folder (or file) the call reaches, not the first one given.
  if (own?.reachedFolder === undefined || own.reason !== undefined) return own;
  const folder = own.reachedFolder(args);
  return folder === undefined ? own : { ...own, folder, folderReached: true };
}

/** {@linkcode firstReached}, its answer named by the first folder given. */
function reachedAmong(
  protections: readonly (OwnFiles | undefined)[],
  args: unknown,
): OwnFiles | undefined {
  const list = protections.filter((p): p is OwnFiles => p !== undefined);
  // Whether some protection resolves relative paths against working folders: then a string
  // holding JSON that may name one is parsed to find it.
  const relative = list.some((p) => p.checkRelative !== undefined);
  // After a later protection is reached, only the earlier ones are still read.
  let found: OwnFiles | undefined;
  let limit = list.length;
  const read = (value: string, pending: unknown[], key: boolean): boolean => {
    const json = leadsJson(value);
    const escaped = holdsPercentEscape(value);
    let parse = false;
    for (let i = 0; i < limit; i++) {
      const answer = key
        ? list[i]!.checkKey(value, json, escaped)
        : list[i]!.check(value, json, escaped);
      if (answer === REACHES) {
        found = list[i];
        limit = i;
        if (i === 0) return true;
        // The earlier protections still read the JSON they asked for.
        break;
      }
      if (answer === READ_JSON) parse = true;
    }
    if (!parse && json && relative && MAY_NAME_WORKING_FOLDER.test(value)) parse = true;
    if (parse) {
      try {
        pending.push(parsePythonJson(value));
      } catch {
        // Not JSON: the string as it is.
      }
    }
    return false;
  };
  // The working folders the call names (see `WORKING_FOLDER_KEYS`): most calls name none.
  let folders: string[] | undefined;
  const addFolders = (child: unknown): void => {
    if (typeof child === "string") {
      if (!leadsJson(child)) {
        (folders ??= []).push(child);
        return;
      }
      // `"cwd": "[\"/home/ana\"]"`, as a server that parses it reads it.
      try {
        addFolders(parsePythonJson(child));
      } catch {
        (folders ??= []).push(child);
      }
    } else if (Array.isArray(child)) {
      for (let i = 0; i < child.length; i++) {
        if (typeof child[i] === "string") (folders ??= []).push(child[i]);
      }
    }
  };
  // Iterative: arguments may nest deeper than the call stack goes.
  const pending: unknown[] = [args];
  while (pending.length > 0 && limit > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (read(value, pending, false)) return found;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key, pending, true)) return found;
        const child = (value as Record<string, unknown>)[key];
        if (relative && isWorkingFolderKey(key)) addFolders(child);
        pending.push(child);
      }
    }
  }
  if (folders === undefined || limit === 0) return found;
  return reachedRelative(list, limit, args, [...new Set(folders)]) ?? found;
}
