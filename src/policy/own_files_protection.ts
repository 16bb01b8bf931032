/**
 * What a protection of thoth's own files is (see `own_files.ts`): its rule
 * ids ({@linkcode OWN_FILES_RULE}, {@linkcode CLIENT_CONFIG_RULE}), what it
 * guards ({@linkcode OwnFilesKind}), the compiled protection
 * ({@linkcode OwnFiles}) and the answers of its per-string check
 * ({@linkcode REACHES}, {@linkcode READ_JSON}), the options it is compiled
 * with ({@linkcode OwnFilesOptions}), and the spellings of the profile
 * folder it protects ({@linkcode profileFolders}).
 *
 * @example
 * ```ts
 * profileFolders("/home/ana/.thoth", "/data/ana/.thoth"); // ["/home/ana/.thoth", "/data/ana/.thoth"]
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" })!;
 * own.check("~/.thoth/keys/x", false, false) === REACHES; // true
 * ```
 */
import type { PathOptions } from "./path_reading.ts";
import type { RelativeBudget } from "./own_files_working_folders.ts";

/** The rule id of the protection. */
export const OWN_FILES_RULE = "thoth.own_files";

/**
 * The rule id of the same protection for the MCP clients' own config files
 * (`claude_desktop_config.json`, `~/.claude.json`, `mcp.json`…): a server
 * that edits one could take itself out of thoth's governance at the next
 * start, and reading one shows other servers' credentials.
 */
export const CLIENT_CONFIG_RULE = "thoth.client_config";

/**
 * What a protection guards: thoth's profile, the files that govern thoth
 * outside it (a `--policy` file elsewhere, where a linked `policy.jsonc` or
 * intent map leads), the clients' config files, or their project configs in
 * any folder (`project_configs.ts`).
 */
export type OwnFilesKind = "profile" | "governing_file" | "client_config" | "project_config";

/** The protection of thoth's profile folder, compiled once per session. */
export interface OwnFiles {
  /** What it guards. */
  kind: OwnFilesKind;
  /**
   * The profile folder (or config file) as given (the first one), for
   * explanations; on `firstReached`'s answer, the one the call
   * reaches where it can be told (see `folderReached`).
   */
  folder: string;
  /** Set on `firstReached`'s answer when `folder` is the one the call reaches. */
  folderReached?: boolean | undefined;
  /**
   * Which of the folders (or files) given the arguments reach, each tried
   * alone; absent when one was given. Undefined when none does alone (a
   * call blocked for a reason of its own).
   */
  reachedFolder?(args: unknown): string | undefined;
  /** Whether some string in `args` (a value or a key) reaches a protected folder. */
  reaches(args: unknown): boolean;
  /**
   * One string of the arguments: {@linkcode REACHES} when it reaches a
   * protected folder, {@linkcode READ_JSON} when it does not but the JSON it
   * may hold must be read too (`json`: it may hold some), otherwise 0;
   * `escaped`: it holds a percent escape. See `firstReached`,
   * which walks the arguments once for several protections and works these
   * facts out once for all of them.
   */
  check(value: string, json: boolean, escaped: boolean): number;
  /** {@linkcode OwnFiles.check} for an object's key: the answers for short keys are kept. */
  checkKey(key: string, json: boolean, escaped: boolean): number;
  /**
   * Whether a relative path in `value` (the whole string, a word of it as a
   * shell splits it, or a word's part after a `=`) resolved against one of
   * `folders` (the working folders the same call names, see
   * `WORKING_FOLDER_KEYS`) reaches a protected folder (the whole
   * string: also a folder of item 2 itself). Each resolution spends one of
   * `budget.left`; when none is left, `budget.exhausted` is set and the
   * answer is true. Absent where a relative path reaches one wherever it is
   * resolved (the project configs).
   */
  checkRelative?(value: string, folders: readonly string[], budget: RelativeBudget): boolean;
  /** Whether {@linkcode OwnFiles.checkRelative} would resolve anything of `value` at all. */
  namesRelative?(value: string): boolean;
  /**
   * Why the call is blocked when it is not that it reaches the folder (a
   * call whose relative paths thoth cannot check); set only on the answer of
   * `firstReached`.
   */
  reason?: string | undefined;
}

/** {@linkcode OwnFiles.check}: the string reaches a protected folder. */
export const REACHES = 1;
/** {@linkcode OwnFiles.check}: the string does not, but the JSON it holds is read too. */
export const READ_JSON = 2;

/**
 * Folders other than the home folder that a shell names by a variable, as
 * the client would find them (`APPDATA` on Windows, `XDG_CONFIG_HOME`
 * elsewhere): a protected path under one is also looked for in the forms
 * `%APPDATA%\…`, `$env:APPDATA\…`, `$XDG_CONFIG_HOME/…`,
 * `${XDG_CONFIG_HOME:-~/.config}/…`. When one is not given, its default under
 * the home folder (`AppData\Roaming`, `.config`) is used.
 */
export interface VariableFolders {
  /** `APPDATA` (Windows). */
  appData?: string | undefined;
  /** `XDG_CONFIG_HOME` (Linux and the other Unix systems). */
  xdgConfigHome?: string | undefined;
}

/** How `compileOwnFiles` reads paths, and the folders shells name by a variable. */
export interface OwnFilesOptions extends PathOptions {
  /** See {@linkcode VariableFolders}. */
  variableFolders?: VariableFolders | undefined;
}

/**
 * The spellings of the profile folder to protect: `thothHome` as given, and
 * its real path (links followed) when that differs.
 */
export function profileFolders(thothHome: string, real: string | undefined): string[] {
  return real === undefined || real === thothHome ? [thothHome] : [thothHome, real];
}
